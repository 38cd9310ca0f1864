"""The store's schema on both backends: a SQLite file of the previous schema is migrated with its data, a new
PostgreSQL database gets the same schema, two stations starting together migrate it once, and a store that
cannot be reached says where and what to check (never with the password)."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from shipdesk.core.settings.config import parse_config
from shipdesk.core.store import open_store, probe_shared_store
from shipdesk.core.store import repository as repo
from shipdesk.core.store.migrations import MIGRATIONS
from shipdesk.core.store.models import ALL_MODELS, AlertSubscription, LabelJob
from shipdesk.core.store.url import parse_store_url, redact
from shipdesk.errors import ConfigError, StoreError
from tests.support.postgres import PASSWORD

from .factories import shipment  # noqa: F401  (the starter script imports it from this folder)


def _v2_database(data: Path) -> None:
    """A database as the previous release left it: schema 2, with facts under sync_state key prefixes."""
    open_store(data, migrations_to_run=MIGRATIONS[:2]).close()
    db = sqlite3.connect(data / "shipdesk.db")
    columns = [row[1] for row in db.execute('PRAGMA table_info("shipment")') if row[1] != "id"]
    for nbr in ("000700", "000701"):  # as the previous release stored them: its columns only
        values = {c: "" for c in columns} | {"shipment_nbr": nbr, "package_count": 1, "state": "pending",
                                            "address_status": "", "address_classification": ""}
        db.execute(f'INSERT INTO shipment ({", ".join(values)}) VALUES ({", ".join("?" * len(values))})',
                   list(values.values()))
    db.execute("INSERT INTO label_job (job_id, shipment_id, state, attempts, request_json, ups_shipment_id, "
               "tracking_numbers_json, currency, label_paths_json, label_format, last_error, created_at, updated_at) "
               "VALUES ('old-job', 1, 'failed', 1, '{}', '', '[]', '', '[]', 'GIF', 'replaced', "
               "'2026-11-20T10:00:00+00:00', '2026-11-20T10:00:00+00:00')")
    db.execute("INSERT INTO alert_subscription (tracking_number, subscribed_at, expires_at, active) "
               "VALUES ('1ZHEARD', '2026-11-20T10:00:00+00:00', '2026-12-04T10:00:00+00:00', 1)")
    for key, value in (
        ("ship_flow.address.000700", '{"fingerprint": "abc", "status": "valid", "candidates": []}'),
        ("ship_flow.reconfirm.000701", "1"),
        ("status_writeback.pending.000700", "mark-1"),
        ("status_writeback.written.000701", '{"shipment": "UPS: Delivered"}'),
        ("track_alert.heard.1ZHEARD", "2026-11-21T08:30:00+00:00"),
        ("ship_flow.superseded", '[{"shipment": "000700", "job": "old-job", "since": "2026-11-20"}]'),
        ("acumatica.shipments.modified_since", "2026-11-21T00:00:00+00:00"),
    ):
        db.execute("INSERT INTO sync_state VALUES (?, ?, '2026-11-21')", (key, value))
    db.commit()
    db.close()


def test_a_database_of_the_previous_schema_keeps_what_it_knew_in_the_new_columns(tmp_path):
    data = tmp_path / "data"
    _v2_database(data)

    store = open_store(data)
    try:
        assert store.schema_version == len(MIGRATIONS)
        assert list((data / "backups").glob("shipdesk-2-*.db")), "backed up before migrating"
        assert repo.get_shipment("000700").address_memory == {"fingerprint": "abc", "status": "valid",
                                                              "candidates": []}
        assert repo.get_shipment("000701").reconfirm and not repo.get_shipment("000700").reconfirm
        assert repo.get_shipment("000700").status_queued == "mark-1"
        assert repo.get_shipment("000701").status_written == {"shipment": "UPS: Delivered"}
        assert AlertSubscription.get(AlertSubscription.tracking_number == "1ZHEARD").heard_at.hour == 8
        assert LabelJob.get(LabelJob.job_id == "old-job").superseded_on == date(2026, 11, 20)
        # the moved keys are gone; a plain named value stays
        assert repo.get_value("ship_flow.reconfirm.000701") is None
        assert repo.get_value("acumatica.shipments.modified_since") == "2026-11-21T00:00:00+00:00"
    finally:
        store.close()


def test_postgresql_gets_the_same_tables_and_columns_as_sqlite(tmp_path, postgres_url):
    local = open_store(tmp_path / "local")
    local_columns = {m._meta.table_name: sorted(c.name for c in local.db.get_columns(m._meta.table_name))
                     for m in ALL_MODELS}
    local.close()
    shared = open_store(tmp_path / "shared", url=postgres_url, password=PASSWORD)
    shared_columns = {m._meta.table_name: sorted(c.name for c in shared.db.get_columns(m._meta.table_name))
                      for m in ALL_MODELS}
    assert shared.schema_version == len(MIGRATIONS)
    shared.close()
    assert shared_columns == local_columns
    for model in ALL_MODELS:  # and the models read every column the migrations made
        assert sorted(f.column_name for f in model._meta.sorted_fields) == local_columns[model._meta.table_name]


STARTER = """
import os, sys
from pathlib import Path
from shipdesk.core.store import open_store, repository as repo
from shipdesk.core.store.migrations import MIGRATIONS
sys.path.insert(0, sys.argv[3])
from factories import shipment

def counted(db):  # a migration that leaves a trace of every time it runs
    db.execute_sql('CREATE TABLE IF NOT EXISTS "runs" ("pid" INTEGER)')
    db.execute_sql('INSERT INTO "runs" VALUES (%s)', (os.getpid(),))

print("ready", flush=True)
sys.stdin.readline()  # both wait here, then open the store at the same moment
store = open_store(Path(sys.argv[4]), url=sys.argv[1], password=os.environ["SHIPDESK_STORE_PASSWORD"],
                   migrations_to_run=(*MIGRATIONS, counted))
repo.upsert_shipment(shipment(f"P{os.getpid()}"))
print(store.schema_version, flush=True)
"""


def test_two_stations_opening_a_new_shared_store_at_once_migrate_it_once(tmp_path, postgres_url, postgres_server):
    env = {**os.environ, "SHIPDESK_STORE_PASSWORD": PASSWORD}
    here = str(Path(__file__).parent)
    starters = [subprocess.Popen([sys.executable, "-c", STARTER, postgres_url, "-", here,
                                  str(tmp_path / f"station{n}")], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 text=True, env=env) for n in range(2)]
    for starter in starters:
        assert starter.stdout is not None and starter.stdout.readline().strip() == "ready"
    for starter in starters:  # go: both open the empty database at the same moment
        assert starter.stdin is not None
        starter.stdin.write("go\n")
        starter.stdin.flush()
    versions = [starter.communicate(timeout=60)[0].strip() for starter in starters]

    assert [s.returncode for s in starters] == [0, 0]
    assert versions == [str(len(MIGRATIONS) + 1)] * 2
    store = open_store(tmp_path / "check", url=postgres_url, password=PASSWORD,
                       migrations_to_run=(*MIGRATIONS, lambda db: None))
    try:
        assert store.db.execute_sql('SELECT COUNT(*) FROM "runs"').fetchone()[0] == 1  # migrated once
        assert len([r for r in repo.list_shipments().rows if r.shipment_nbr.startswith("P")]) == 2  # both work
    finally:
        store.close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens there once the probe is closed


@pytest.mark.parametrize(("make_url", "password", "says", "hint"), [
    (lambda url, port: url, "not-the-password", "the password was refused", "credentials set store.password"),
    (lambda url, port: url, None, "asks for a password and none is set", "SHIPDESK_STORE_PASSWORD"),
    (lambda url, port: url.rsplit("/", 1)[0] + "/no_such_db", PASSWORD, "no database named no_such_db", "createdb"),
    (lambda url, port: f"postgresql://shipdesk@127.0.0.1:{port}/shipdesk", PASSWORD, "cannot be reached",
     "listens on port"),
])
def test_a_store_that_cannot_be_opened_says_where_and_what_to_check(tmp_path, postgres_url, make_url, password,
                                                                     says, hint):
    url = make_url(postgres_url, _closed_port())
    with pytest.raises(StoreError) as problem:
        open_store(tmp_path / "data", url=url, password=password)
    sentence = str(problem.value)
    assert says in sentence and hint in sentence
    assert parse_store_url(url).shown in sentence  # where: user@host:port/database
    assert "not-the-password" not in sentence and PASSWORD not in sentence


def test_test_connection_says_what_is_there(tmp_path, postgres_url):
    assert "the database is empty" in probe_shared_store(postgres_url, PASSWORD)
    open_store(tmp_path / "data", url=postgres_url, password=PASSWORD).close()
    assert f"the store is ready (schema {len(MIGRATIONS)})" in probe_shared_store(postgres_url, PASSWORD)
    with pytest.raises(StoreError, match="the password was refused"):
        probe_shared_store(postgres_url, "wrong")


def test_a_password_is_never_taken_from_the_address_nor_repeated(tmp_path):
    file = tmp_path / "config.toml"
    with pytest.raises(ConfigError) as problem:
        parse_config({"store": {"url": "postgresql://shipdesk:hunter2@db:5432/shipdesk"}}, file)
    assert "without a password" in str(problem.value) and "hunter2" not in str(problem.value)
    assert redact("postgresql://shipdesk:hunter2@db/shipdesk") == "postgresql://shipdesk:***@db/shipdesk"
    assert parse_store_url("postgresql://shipdesk@db.example.local/shipdesk?sslmode=require").port == 5432
    with pytest.raises(ValueError, match="may be"):
        parse_store_url("postgresql://shipdesk@db/shipdesk?host=/tmp")


def test_a_station_that_vanishes_mid_change_holds_the_others_for_a_minute_at_most(tmp_path, postgres_url):
    store = open_store(tmp_path / "data", url=postgres_url, password=PASSWORD)
    try:
        show = store.db.execute_sql
        assert show("SHOW idle_in_transaction_session_timeout").fetchone()[0] == "1min"
        assert show("SHOW lock_timeout").fetchone()[0] == "90s"
    finally:
        store.close()
