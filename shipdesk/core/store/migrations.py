"""Schema versions: an ordered list of migration functions; version N = the first N have run.

Each migration is written out in SQL and never edited once released: a later change is a new function
appended to ``MIGRATIONS``. ``open_store`` backs the database up before running any of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from peewee import SqliteDatabase

Migration = Callable[[SqliteDatabase], None]

_V1_SCHEMA = """
CREATE TABLE "shipment" (
    "id" INTEGER NOT NULL PRIMARY KEY, "shipment_nbr" TEXT NOT NULL, "acumatica_id" TEXT NOT NULL,
    "status" TEXT NOT NULL, "ship_via" TEXT NOT NULL, "customer_id" TEXT NOT NULL,
    "ship_to_name" TEXT NOT NULL, "ship_to_attention" TEXT NOT NULL, "ship_to_line1" TEXT NOT NULL,
    "ship_to_line2" TEXT NOT NULL, "ship_to_city" TEXT NOT NULL, "ship_to_state" TEXT NOT NULL,
    "ship_to_postal_code" TEXT NOT NULL, "ship_to_country" TEXT NOT NULL, "ship_to_phone" TEXT NOT NULL,
    "ship_to_email" TEXT NOT NULL, "order_numbers" TEXT NOT NULL, "package_count" INTEGER NOT NULL,
    "total_weight" TEXT, "weight_unit" TEXT NOT NULL, "last_modified" TEXT,
    "raw_json" TEXT NOT NULL, "state" TEXT NOT NULL, "attention_reason" TEXT NOT NULL,
    "address_status" TEXT NOT NULL, "address_classification" TEXT NOT NULL,
    "address_override_reason" TEXT NOT NULL, "address_checked_at" TEXT, "residential" INTEGER,
    "pulled_at" TEXT NOT NULL, "updated_at" TEXT NOT NULL);
CREATE UNIQUE INDEX "shipment_shipment_nbr" ON "shipment" ("shipment_nbr");
CREATE INDEX "shipment_state" ON "shipment" ("state");

CREATE TABLE "package" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "shipment_id" INTEGER NOT NULL REFERENCES "shipment" ("id") ON DELETE CASCADE,
    "acumatica_id" TEXT NOT NULL, "line_nbr" INTEGER, "box_id" TEXT NOT NULL, "weight" TEXT,
    "uom" TEXT NOT NULL, "length" TEXT, "width" TEXT, "height" TEXT,
    "declared_value" TEXT, "tracking_number" TEXT NOT NULL, "status_type" TEXT NOT NULL,
    "status_description" TEXT NOT NULL, "delivered_at" TEXT, "signed_by" TEXT NOT NULL, "tracked_at" TEXT);
CREATE INDEX "package_shipment_id" ON "package" ("shipment_id");
CREATE INDEX "package_tracking_number" ON "package" ("tracking_number");
CREATE UNIQUE INDEX "package_shipment_id_acumatica_id" ON "package" ("shipment_id", "acumatica_id");

CREATE TABLE "label_job" (
    "id" INTEGER NOT NULL PRIMARY KEY, "job_id" TEXT NOT NULL,
    "shipment_id" INTEGER NOT NULL REFERENCES "shipment" ("id") ON DELETE CASCADE,
    "state" TEXT NOT NULL, "attempts" INTEGER NOT NULL, "request_json" TEXT NOT NULL,
    "ups_shipment_id" TEXT NOT NULL, "tracking_numbers_json" TEXT NOT NULL, "charges" TEXT,
    "currency" TEXT NOT NULL, "negotiated_charges" TEXT, "label_paths_json" TEXT NOT NULL,
    "label_format" TEXT NOT NULL, "last_error" TEXT NOT NULL, "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL, "written_back_at" TEXT, "printed_at" TEXT, "voided_at" TEXT);
CREATE UNIQUE INDEX "label_job_job_id" ON "label_job" ("job_id");
CREATE INDEX "label_job_shipment_id" ON "label_job" ("shipment_id");
CREATE INDEX "label_job_state" ON "label_job" ("state");

CREATE TABLE "tracking_event" (
    "id" INTEGER NOT NULL PRIMARY KEY, "tracking_number" TEXT NOT NULL, "status_type" TEXT NOT NULL,
    "status_code" TEXT NOT NULL, "description" TEXT NOT NULL, "location" TEXT NOT NULL,
    "occurred_at" TEXT NOT NULL, "occurred_local" TEXT NOT NULL, "source" TEXT NOT NULL,
    "received_at" TEXT NOT NULL);
CREATE UNIQUE INDEX "tracking_event_once" ON "tracking_event"
    ("tracking_number", "occurred_at", "status_code", "description");

CREATE TABLE "alert_subscription" (
    "id" INTEGER NOT NULL PRIMARY KEY, "tracking_number" TEXT NOT NULL, "subscribed_at" TEXT NOT NULL,
    "expires_at" TEXT NOT NULL, "active" INTEGER NOT NULL);
CREATE UNIQUE INDEX "alert_subscription_tracking_number" ON "alert_subscription" ("tracking_number");

CREATE TABLE "audit_entry" (
    "id" INTEGER NOT NULL PRIMARY KEY, "at" TEXT NOT NULL, "user" TEXT NOT NULL, "action" TEXT NOT NULL,
    "shipment_nbr" TEXT, "job_id" TEXT, "detail" TEXT NOT NULL);
CREATE INDEX "audit_entry_at" ON "audit_entry" ("at");
CREATE INDEX "audit_entry_shipment_nbr" ON "audit_entry" ("shipment_nbr");

CREATE TABLE "sync_state" (
    "key" TEXT NOT NULL PRIMARY KEY, "value" TEXT NOT NULL, "updated_at" TEXT NOT NULL);
"""


def _v1_initial(db: SqliteDatabase) -> None:
    for statement in _V1_SCHEMA.split(";"):
        if statement.strip():
            db.execute_sql(statement)


def _v2_poll_schedule(db: SqliteDatabase) -> None:
    """When the sync last asked UPS about each package, and the delivery date UPS gave (its cadence)."""
    db.execute_sql('ALTER TABLE "package" ADD COLUMN "polled_at" TEXT')
    db.execute_sql('ALTER TABLE "package" ADD COLUMN "scheduled_delivery" TEXT')


def _v3_return_labels(db: SqliteDatabase) -> None:
    """A return label is a shipment row of its own (tracked like any package); ``return_of`` names the shipment it
    returns ("" for every shipment pulled from Acumatica)."""
    db.execute_sql('ALTER TABLE "shipment" ADD COLUMN "return_of" TEXT NOT NULL DEFAULT \'\'')


MIGRATIONS: Sequence[Migration] = (_v1_initial, _v2_poll_schedule, _v3_return_labels)

_VERSION_TABLE = 'CREATE TABLE IF NOT EXISTS "schema_version" ("version" INTEGER NOT NULL)'


def current_version(db: SqliteDatabase) -> int:
    db.execute_sql(_VERSION_TABLE)
    row = db.execute_sql('SELECT MAX("version") FROM "schema_version"').fetchone()
    return int(row[0] or 0)


def run_pending(db: SqliteDatabase, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Run every migration not yet applied, each in its own IMMEDIATE transaction (so two processes
    starting together cannot both run one). Returns the versions applied."""
    applied: list[int] = []
    for version, migration in enumerate(migrations, start=1):
        with db.atomic("IMMEDIATE"):
            if current_version(db) >= version:
                continue
            migration(db)
            db.execute_sql('DELETE FROM "schema_version"')
            db.execute_sql('INSERT INTO "schema_version" ("version") VALUES (?)', (version,))
        applied.append(version)
    return applied
