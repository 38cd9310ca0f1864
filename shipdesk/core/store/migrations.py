"""Schema versions: an ordered list of migration functions; version N = the first N have run.

Each migration is written out in SQL and never edited once released: a later change is a new function
appended to ``MIGRATIONS``. Versions 1 and 2 are SQLite's own SQL (they were released before the shared
store existed); a new PostgreSQL database starts from ``POSTGRESQL_BASELINE``, the same schema at
version 2 written for PostgreSQL, and every migration from version 3 on runs on both (``dialect(db)``
picks the few words that differ). Each run happens under a lock, so two stations starting together
migrate once: SQLite's ``BEGIN IMMEDIATE`` per migration, PostgreSQL's advisory lock for the whole run
(``run_pending``). ``open_store`` backs a SQLite database up before migrating it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from typing import Any

from peewee import Column, Database, PostgresqlDatabase, Table

from shipdesk.core.store.engines import LOCK_MIGRATIONS

log = logging.getLogger(__name__)

Migration = Callable[[Database], None]

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


def _v1_initial(db: Database) -> None:
    for statement in _V1_SCHEMA.split(";"):
        if statement.strip():
            db.execute_sql(statement)


def _v2_poll_schedule(db: Database) -> None:
    """When the sync last asked UPS about each package, and the delivery date UPS gave (its cadence)."""
    db.execute_sql('ALTER TABLE "package" ADD COLUMN "polled_at" TEXT')
    db.execute_sql('ALTER TABLE "package" ADD COLUMN "scheduled_delivery" TEXT')


# -- version 3: return labels (issue 16); its SQL is the same on both dialects ---------------------------
def _v3_return_labels(db: Database) -> None:
    """A return label is a shipment row of its own (tracked like any package); ``return_of`` names the shipment it
    returns ("" for every shipment pulled from Acumatica)."""
    db.execute_sql('ALTER TABLE "shipment" ADD COLUMN "return_of" TEXT NOT NULL DEFAULT \'\'')


# -- version 4: stations sharing one store (issue 11) ----------------------------------------------------
#: the states in which a label job has (or may have) a live UPS label: at most one such job per shipment
_LIVE_STATES = ("requesting", "labelled", "written_back", "in_transit", "exception", "delivered", "uncertain",
                "labelled_twice")
_TYPES = {  # the words that differ between the two dialects
    "sqlite": {"id": "INTEGER NOT NULL PRIMARY KEY", "bool": "INTEGER", "false": "0", "bytes": "BLOB",
               "real": "REAL", "date": "TEXT"},
    "postgresql": {"id": "SERIAL PRIMARY KEY", "bool": "BOOLEAN", "false": "FALSE", "bytes": "BYTEA",
                   "real": "DOUBLE PRECISION", "date": "DATE"},
}


def dialect(db: Database) -> str:
    return "postgresql" if isinstance(db, PostgresqlDatabase) else "sqlite"


def _v4_stations(db: Database) -> None:
    """Station names on jobs and in the history; one live label job per shipment; label files, the sync's
    lease and the UPS token in the store; the facts kept under key prefixes in sync_state become columns."""
    t = _TYPES[dialect(db)]
    live = ", ".join(f"'{state}'" for state in _LIVE_STATES)
    for statement in (
        'ALTER TABLE "label_job" ADD COLUMN "station" TEXT NOT NULL DEFAULT \'\'',
        f'ALTER TABLE "label_job" ADD COLUMN "superseded_on" {t["date"]}',
        'ALTER TABLE "audit_entry" ADD COLUMN "station" TEXT NOT NULL DEFAULT \'\'',
        'ALTER TABLE "shipment" ADD COLUMN "address_memory_json" TEXT',
        f'ALTER TABLE "shipment" ADD COLUMN "reconfirm" {t["bool"]} NOT NULL DEFAULT {t["false"]}',
        'ALTER TABLE "shipment" ADD COLUMN "status_queued" TEXT NOT NULL DEFAULT \'\'',
        'ALTER TABLE "shipment" ADD COLUMN "status_written_json" TEXT',
        'ALTER TABLE "alert_subscription" ADD COLUMN "heard_at" TEXT',
        f'CREATE UNIQUE INDEX "label_job_one_live" ON "label_job" ("shipment_id") WHERE "state" IN ({live})',
        'CREATE INDEX "shipment_status_queued" ON "shipment" ("status_queued")',
        f'CREATE TABLE "label_file" ("id" {t["id"]}, '
        '"job_id" INTEGER NOT NULL REFERENCES "label_job" ("id") ON DELETE CASCADE, '
        f'"tracking_number" TEXT NOT NULL, "format" TEXT NOT NULL, "usable" {t["bool"]} NOT NULL, '
        f'"data" {t["bytes"]} NOT NULL, "stored_at" TEXT NOT NULL)',
        'CREATE UNIQUE INDEX "label_file_once" ON "label_file" ("job_id", "tracking_number", "usable")',
        'CREATE INDEX "label_file_tracking_number" ON "label_file" ("tracking_number")',
        'CREATE TABLE "lease" ("name" TEXT NOT NULL PRIMARY KEY, "holder" TEXT NOT NULL, "station" TEXT NOT NULL, '
        '"pid" INTEGER NOT NULL, "taken_at" TEXT NOT NULL, "expires_at" TEXT NOT NULL)',
        f'CREATE TABLE "ups_token" ("key" TEXT NOT NULL PRIMARY KEY, "sealed" TEXT NOT NULL, '
        f'"expires_at" {t["real"]} NOT NULL, "updated_at" TEXT NOT NULL)',
        'CREATE TABLE "token_grant" ("day" TEXT NOT NULL PRIMARY KEY, "grants" INTEGER NOT NULL)',
    ):
        db.execute_sql(statement)
    _v4_move_prefixed_keys(db)


#: sync_state key prefix → (table, column, key column, how the value is kept)
_V4_PREFIXED = (
    ("ship_flow.address.", "shipment", "address_memory_json", "shipment_nbr", "text"),
    ("ship_flow.reconfirm.", "shipment", "reconfirm", "shipment_nbr", "flag"),
    ("status_writeback.pending.", "shipment", "status_queued", "shipment_nbr", "text"),
    ("status_writeback.written.", "shipment", "status_written_json", "shipment_nbr", "text"),
    ("track_alert.heard.", "alert_subscription", "heard_at", "tracking_number", "text"),
)


def _v4_move_prefixed_keys(db: Database) -> None:
    """Move what sync_state kept under key prefixes into the new columns (then drop those keys)."""
    sync_state = Table("sync_state", ("key", "value")).bind(db)
    for prefix, table_name, column, key_column, kind in _V4_PREFIXED:
        table = Table(table_name, (key_column, column)).bind(db)
        rows = list(sync_state.select(Column(sync_state, "key"), Column(sync_state, "value"))
                    .where(Column(sync_state, "key").startswith(prefix)).tuples())
        for key, value in rows:
            stored: Any = (value == "1") if kind == "flag" else (value or None)
            if kind == "text" and column == "status_queued":
                stored = value or ""
            (table.update({Column(table, column): stored})
             .where(Column(table, key_column) == key[len(prefix):]).execute())
        sync_state.delete().where(Column(sync_state, "key").startswith(prefix)).execute()
    _v4_move_superseded(db, sync_state)


def _v4_move_superseded(db: Database, sync_state: Table) -> None:
    """``ship_flow.superseded`` (a JSON list of {shipment, job, since}) → ``label_job.superseded_on``."""
    key, value = Column(sync_state, "key"), Column(sync_state, "value")
    row = sync_state.select(value).where(key == "ship_flow.superseded").tuples().first()
    if row is None:
        return
    try:
        entries = json.loads(row[0] or "[]")
    except ValueError:
        entries = []
    jobs = Table("label_job", ("job_id", "superseded_on")).bind(db)
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and entry.get("job") and entry.get("since"):
            (jobs.update({Column(jobs, "superseded_on"): str(entry["since"])})
             .where(Column(jobs, "job_id") == str(entry["job"])).execute())
    sync_state.delete().where(key == "ship_flow.superseded").execute()


# -- version 5: the label's charges with taxes (issue 15); the same SQL on both dialects -------------------
def _v5_charges_with_taxes(db: Database) -> None:
    """What the shipper pays UPS where UPS adds taxes (TotalChargesWithTaxes, published and negotiated)."""
    db.execute_sql('ALTER TABLE "label_job" ADD COLUMN "charges_with_taxes" TEXT')
    db.execute_sql('ALTER TABLE "label_job" ADD COLUMN "negotiated_with_taxes" TEXT')


MIGRATIONS: Sequence[Migration] = (_v1_initial, _v2_poll_schedule, _v3_return_labels, _v4_stations,
                                   _v5_charges_with_taxes)


# -- PostgreSQL: a new database starts at version 2 ------------------------------------------------------
_POSTGRESQL_V2_SCHEMA = """
CREATE TABLE "shipment" (
    "id" SERIAL PRIMARY KEY, "shipment_nbr" TEXT NOT NULL, "acumatica_id" TEXT NOT NULL,
    "status" TEXT NOT NULL, "ship_via" TEXT NOT NULL, "customer_id" TEXT NOT NULL,
    "ship_to_name" TEXT NOT NULL, "ship_to_attention" TEXT NOT NULL, "ship_to_line1" TEXT NOT NULL,
    "ship_to_line2" TEXT NOT NULL, "ship_to_city" TEXT NOT NULL, "ship_to_state" TEXT NOT NULL,
    "ship_to_postal_code" TEXT NOT NULL, "ship_to_country" TEXT NOT NULL, "ship_to_phone" TEXT NOT NULL,
    "ship_to_email" TEXT NOT NULL, "order_numbers" TEXT NOT NULL, "package_count" INTEGER NOT NULL,
    "total_weight" TEXT, "weight_unit" TEXT NOT NULL, "last_modified" TEXT,
    "raw_json" TEXT NOT NULL, "state" TEXT NOT NULL, "attention_reason" TEXT NOT NULL,
    "address_status" TEXT NOT NULL, "address_classification" TEXT NOT NULL,
    "address_override_reason" TEXT NOT NULL, "address_checked_at" TEXT, "residential" BOOLEAN,
    "pulled_at" TEXT NOT NULL, "updated_at" TEXT NOT NULL);
CREATE UNIQUE INDEX "shipment_shipment_nbr" ON "shipment" ("shipment_nbr");
CREATE INDEX "shipment_state" ON "shipment" ("state");

CREATE TABLE "package" (
    "id" SERIAL PRIMARY KEY,
    "shipment_id" INTEGER NOT NULL REFERENCES "shipment" ("id") ON DELETE CASCADE,
    "acumatica_id" TEXT NOT NULL, "line_nbr" INTEGER, "box_id" TEXT NOT NULL, "weight" TEXT,
    "uom" TEXT NOT NULL, "length" TEXT, "width" TEXT, "height" TEXT,
    "declared_value" TEXT, "tracking_number" TEXT NOT NULL, "status_type" TEXT NOT NULL,
    "status_description" TEXT NOT NULL, "delivered_at" TEXT, "signed_by" TEXT NOT NULL, "tracked_at" TEXT,
    "polled_at" TEXT, "scheduled_delivery" DATE);
CREATE INDEX "package_shipment_id" ON "package" ("shipment_id");
CREATE INDEX "package_tracking_number" ON "package" ("tracking_number");
CREATE UNIQUE INDEX "package_shipment_id_acumatica_id" ON "package" ("shipment_id", "acumatica_id");

CREATE TABLE "label_job" (
    "id" SERIAL PRIMARY KEY, "job_id" TEXT NOT NULL,
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
    "id" SERIAL PRIMARY KEY, "tracking_number" TEXT NOT NULL, "status_type" TEXT NOT NULL,
    "status_code" TEXT NOT NULL, "description" TEXT NOT NULL, "location" TEXT NOT NULL,
    "occurred_at" TEXT NOT NULL, "occurred_local" TEXT NOT NULL, "source" TEXT NOT NULL,
    "received_at" TEXT NOT NULL);
CREATE UNIQUE INDEX "tracking_event_once" ON "tracking_event"
    ("tracking_number", "occurred_at", "status_code", "description");

CREATE TABLE "alert_subscription" (
    "id" SERIAL PRIMARY KEY, "tracking_number" TEXT NOT NULL, "subscribed_at" TEXT NOT NULL,
    "expires_at" TEXT NOT NULL, "active" BOOLEAN NOT NULL);
CREATE UNIQUE INDEX "alert_subscription_tracking_number" ON "alert_subscription" ("tracking_number");

CREATE TABLE "audit_entry" (
    "id" SERIAL PRIMARY KEY, "at" TEXT NOT NULL, "user" TEXT NOT NULL, "action" TEXT NOT NULL,
    "shipment_nbr" TEXT, "job_id" TEXT, "detail" TEXT NOT NULL);
CREATE INDEX "audit_entry_at" ON "audit_entry" ("at");
CREATE INDEX "audit_entry_shipment_nbr" ON "audit_entry" ("shipment_nbr");

CREATE TABLE "sync_state" (
    "key" TEXT NOT NULL PRIMARY KEY, "value" TEXT NOT NULL, "updated_at" TEXT NOT NULL);
"""


def _postgresql_baseline(db: Database) -> None:
    for statement in _POSTGRESQL_V2_SCHEMA.split(";"):
        if statement.strip():
            db.execute_sql(statement)


#: (the version it brings a new PostgreSQL database to, the migration that does it)
POSTGRESQL_BASELINE: tuple[int, Migration] = (2, _postgresql_baseline)

_VERSION_TABLE = 'CREATE TABLE IF NOT EXISTS "schema_version" ("version" INTEGER NOT NULL)'


def current_version(db: Database) -> int:
    db.execute_sql(_VERSION_TABLE)
    row = db.execute_sql('SELECT MAX("version") FROM "schema_version"').fetchone()
    return int(row[0] or 0)


def current_version_if_any(db: Database) -> int:
    """The schema version of a store that has one (read only: nothing is created)."""
    row = db.execute_sql('SELECT MAX("version") FROM "schema_version"').fetchone()
    return int(row[0] or 0)


def run_pending(db: Database, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Run every migration not yet applied; returns the versions applied.

    SQLite: each in its own IMMEDIATE transaction (two processes starting together cannot both run one).
    PostgreSQL: the whole run under an advisory lock held by this connection (a second station waits,
    then finds nothing to do), each migration in its own transaction (PostgreSQL's DDL is transactional)."""
    if dialect(db) == "sqlite":
        return _run(db, migrations, lambda: db.atomic("IMMEDIATE"))
    db.execute_sql("SELECT pg_advisory_lock(%s, %s)", (LOCK_MIGRATIONS, 0))
    try:
        with db.atomic():
            db.execute_sql(_VERSION_TABLE)
        return _run(db, migrations, db.atomic, baseline=POSTGRESQL_BASELINE)
    finally:
        db.execute_sql("SELECT pg_advisory_unlock(%s, %s)", (LOCK_MIGRATIONS, 0))


def _run(db: Database, migrations: Sequence[Migration], transaction: Callable[[], Any], *,
         baseline: tuple[int, Migration] | None = None) -> list[int]:
    applied: list[int] = []
    if baseline is not None:
        version, create = baseline
        with transaction():
            if current_version(db) == 0:
                create(db)
                _set_version(db, version)
                applied.append(version)
    for version, migration in enumerate(migrations, start=1):
        with transaction():
            if current_version(db) >= version:
                continue
            migration(db)
            _set_version(db, version)
        applied.append(version)
    return applied


def _set_version(db: Database, version: int) -> None:
    db.execute_sql('DELETE FROM "schema_version"')
    db.execute_sql(f'INSERT INTO "schema_version" ("version") VALUES ({db.param})', (version,))
