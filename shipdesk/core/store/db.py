"""Opening the store: one station's SQLite file, or the PostgreSQL database the stations share; migrated on start.

One ``Store`` per process. ``[store] url`` empty: SQLite in WAL mode in the data folder (peewee gives every
thread its own connection; WAL lets readers run while one writer writes; this process's writers take turns
in order (``write_turns``) and ``busy_timeout`` makes a writer of another process wait; every write goes
through ``Store.write()`` (``BEGIN IMMEDIATE``), so a transaction never has to upgrade a read lock to a write
lock, the one case where SQLite gives up at once). A ``postgresql://``
address: the shared database (``engines.SharedDatabase``: the same one-writer-at-a-time promise through
an advisory lock, one connection per thread). Either way the schema is brought up to date under a
lock (``migrations.run_pending``); a SQLite file is copied to ``backups/`` first.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from peewee import Database, InterfaceError, OperationalError, PostgresqlDatabase

from shipdesk.core.settings.paths import DataPaths
from shipdesk.core.store import migrations
from shipdesk.core.store.engines import LocalDatabase, SharedDatabase
from shipdesk.core.store.models import database_proxy
from shipdesk.core.store.url import StoreUrl, parse_store_url, redact
from shipdesk.errors import StoreError
from shipdesk.i18n import _

log = logging.getLogger(__name__)

BACKUPS_KEPT = 5
# busy_timeout first: the pragmas after it may need to wait for another process
PRAGMAS = (
    ("busy_timeout", 10_000),
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("synchronous", "normal"),
)


class Store:
    """The open database. The topic modules (``store.repository``) use it through the proxy."""

    def __init__(self, db: Database, paths: DataPaths, schema_version: int, *, station: str = "",
                 location: str = "") -> None:
        self.db = db
        self.paths = paths
        self.schema_version = schema_version
        self.station = station
        #: for people: the SQLite file, or "PostgreSQL user@host:port/db" (never a password)
        self.location = location or str(paths.database)
        self.closed = False

    @property
    def path(self) -> Path:
        return self.paths.database

    @property
    def shared(self) -> bool:
        """True on the shared PostgreSQL store (claims, locks, the lease and the token are warehouse-wide)."""
        return isinstance(self.db, SharedDatabase)

    def write(self) -> Any:
        """A write transaction: ``with store.write(): ...`` (nested use becomes a savepoint)."""
        return write_transaction(self.db)

    @property
    def in_use(self) -> bool:
        """Open, and the data this process's queries go to is this store's (a thread that outlives its store,
        or a store another one replaced, stops instead of writing somewhere else)."""
        current = _current
        return not self.closed and current is not None and not current.closed and current.location == self.location

    def release_thread(self) -> None:
        """Close the calling thread's connection (a worker or request thread that ends says so)."""
        if self.in_use:
            with contextlib.suppress(OperationalError, InterfaceError):
                database_proxy.obj.close()

    def close(self) -> None:
        self.closed = True
        if isinstance(self.db, SharedDatabase):
            self.db.close_everything()
        else:
            self.db.close()


_current: Store | None = None


def current_station() -> str:
    """The station name of the store this process opened ("" before one is open)."""
    return _current.station if _current is not None else ""


def write_transaction(db: Any) -> Any:
    return db.write_transaction()


def open_store(
    data_dir: Path | None = None, *, url: str = "", password: str | None = None, station: str = "",
    migrations_to_run: Sequence[migrations.Migration] = migrations.MIGRATIONS,
) -> Store:
    """Open (creating if needed) the store and bring its schema up to date.

    ``url`` empty: the SQLite file in ``data_dir`` (the user data folder when None); a ``postgresql://``
    address: the shared database (``password`` from the keyring or the environment)."""
    global _current
    paths = (DataPaths(Path(data_dir)) if data_dir else DataPaths.default()).ensure()
    if url:
        store = _open_shared(paths, url, password, station, migrations_to_run)
    else:
        store = _open_local(paths, station, migrations_to_run)
    _current = store
    return store


#: UPDATE … RETURNING (a label's answer is committed by UPDATEs that return their rows: ``jobs.record_label``)
SQLITE_AT_LEAST = (3, 35, 0)


def _open_local(paths: DataPaths, station: str, migrations_to_run: Sequence[migrations.Migration]) -> Store:
    if sqlite3.sqlite_version_info < SQLITE_AT_LEAST:  # refused here, never after UPS has made a label
        raise StoreError(
            _("This Python's SQLite library is version {found}; shipdesk needs {needed} or newer.").format(
                found=sqlite3.sqlite_version, needed=".".join(map(str, SQLITE_AT_LEAST))),
            hint=_("Install shipdesk with its installer (it brings its own), or a newer Python."))
    db = LocalDatabase(str(paths.database), pragmas=list(PRAGMAS), timeout=10, check_same_thread=False)
    database_proxy.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        version = migrations.current_version(db)
        if 0 < version < len(migrations_to_run):
            backup(db, paths, version)
        applied = migrations.run_pending(db, migrations_to_run)
        if applied:
            log.info("Database %s migrated to schema %s.", paths.database, applied[-1])
        version = migrations.current_version(db)
    except (OperationalError, sqlite3.DatabaseError) as exc:
        db.close()
        raise StoreError(
            _("The local database {database} cannot be opened ({reason}).").format(database=paths.database, reason=exc),
            hint=_("Close other shipdesk windows and try again; if it persists, restore a copy from {backups}.").format(
                     backups=paths.backups),
        ) from exc
    _refuse_newer(db, version, migrations_to_run, _("The local database {database}").format(database=paths.database))
    return Store(db, paths, version, station=station)


def _open_shared(paths: DataPaths, url: str, password: str | None, station: str,
                 migrations_to_run: Sequence[migrations.Migration]) -> Store:
    try:
        address = parse_store_url(url)
    except ValueError as problem:
        raise StoreError(_("The shared store address {address} is not {problem}.").format(
                             address=redact(url), problem=problem),
                         hint=_("Correct [store] url in the settings.")) from None
    try:
        import psycopg2  # noqa: F401  (peewee finds the driver itself; this names it when missing)
    except ImportError:
        raise StoreError(_("This installation of shipdesk cannot reach PostgreSQL (psycopg2 is missing)."),
                         hint=_("Reinstall shipdesk, or clear [store] url to use this PC's own database.")) from None
    db = SharedDatabase(address.database, shown=address.shown, **address.connect_params(password))
    database_proxy.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        applied = migrations.run_pending(db, migrations_to_run)
        if applied:
            log.info("Shared store %s migrated to schema %s.", address.shown, applied[-1])
        version = migrations.current_version(db)
    except (OperationalError, InterfaceError) as exc:
        db.close_everything()
        raise connection_problem(address, exc, password_given=bool(password)) from exc
    except StoreError:
        db.close_everything()
        raise
    _refuse_newer(db, version, migrations_to_run, _("The shared store {store}").format(store=address.shown))
    return Store(db, paths, version, station=station, location=f"PostgreSQL {address.shown}")


def connection_problem(address: StoreUrl, error: BaseException, *, password_given: bool) -> StoreError:
    """What went wrong reaching the shared store, and what to check, in one sentence (no password)."""
    text = redact(" ".join(str(error).split()))
    low = text.lower()
    values = {"user": address.user, "database": address.database, "host": address.host, "port": address.port}
    if "password authentication failed" in low or "no password supplied" in low:
        what = _("the password was refused") if password_given else _("it asks for a password and none is set")
        hint = _("Set the database user's password with `shipdesk credentials set store.password` (or "
                 "SHIPDESK_STORE_PASSWORD), or in Settings › Shared store.")
    elif f'database "{address.database.lower()}" does not exist' in low:
        what = _("the server has no database named {database}").format(**values)
        hint = _("Create it on the server (`createdb -O {user} {database}`), or correct [store] url.").format(**values)
    elif "role" in low and "does not exist" in low:
        what = _("the server has no user {user}").format(**values)
        hint = _("Create it on the server (`createuser -P {user}`), or correct [store] url.").format(**values)
    elif "pg_hba.conf" in low:
        what = _("the server does not accept connections from this PC")
        hint = _("Add this PC's network to pg_hba.conf on the server (see docs/shared-store.md) and reload it.")
    elif "could not translate host name" in low or "name or service not known" in low:
        what = _("the name {host} is not known on this network").format(**values)
        hint = _("Check the host name in [store] url (or use the server's IP address).")
    elif "permission denied" in low:
        what = _("the user {user} may not change the schema").format(**values)
        hint = _("Make {user} the owner of the database on the server (ALTER DATABASE ... OWNER TO ...).").format(
            **values)
    else:
        what = _("it cannot be reached")
        hint = _("Check that PostgreSQL runs on {host}, listens on port {port} (listen_addresses), and that no "
                 "firewall blocks that port.").format(**values)
    first = text.split(" DETAIL:")[0].rstrip(".")
    return StoreError(_("shipdesk cannot open the shared store {store}: {problem} ({detail}).").format(
        store=address.shown, problem=what, detail=first), hint=hint)


def _refuse_newer(db: Database, version: int, known: Sequence[migrations.Migration], what: str) -> None:
    if version > len(known):
        _close(db)
        raise StoreError(_("{what} was created by a newer shipdesk (schema {version}).").format(
                             what=what, version=version),
                         hint=_("Update shipdesk on this PC."))


def _close(db: Database) -> None:
    if isinstance(db, SharedDatabase):
        db.close_everything()
    else:
        db.close()


def backup(db: Database, paths: DataPaths, version: int) -> Path:
    """Copy the live SQLite database (consistent even in WAL mode) to ``backups/``; keep the newest few."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = paths.backups / f"shipdesk-{version}-{stamp}.db"
    paths.backups.mkdir(parents=True, exist_ok=True)
    destination = sqlite3.connect(target)
    try:
        db.connection().backup(destination)
    finally:
        destination.close()
    old = sorted(paths.backups.glob("shipdesk-*.db"), key=lambda p: p.stat().st_mtime_ns)
    for stale in old[:-BACKUPS_KEPT]:
        stale.unlink(missing_ok=True)
    log.info("Database backed up to %s before migrating.", target)
    return target


def probe_shared_store(url: str, password: str | None) -> str:
    """Connect to the shared store once, as Settings' "Test connection" does, without opening it for this
    process: a sentence on what is there, or a ``StoreError`` saying what is wrong and what to check."""
    try:
        address = parse_store_url(url)
    except ValueError as problem:
        raise StoreError(_("The shared store address {address} is not {problem}.").format(
                             address=redact(url), problem=problem)) from None
    db = PostgresqlDatabase(address.database, autoconnect=False, **address.connect_params(password))
    try:
        db.connect()
        version = db.execute_sql("SHOW server_version").fetchone()[0]
        can_create = db.execute_sql(
            "SELECT has_database_privilege(current_user, current_database(), 'CREATE')").fetchone()[0]
        has_schema = db.execute_sql("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()[0]
        schema = migrations.current_version_if_any(db) if has_schema else 0
    except (OperationalError, InterfaceError) as exc:
        raise connection_problem(address, exc, password_given=bool(password)) from exc
    finally:
        db.close()
    known = len(migrations.MIGRATIONS)
    if schema > known:
        raise StoreError(_("The shared store {shown} was set up by a newer shipdesk (schema {schema}).").format(
                             shown=address.shown, schema=schema),
                         hint=_("Update shipdesk on this PC before it joins."))
    values = {"version": version, "store": address.shown, "user": address.user, "database": address.database,
              "schema": schema, "known": known}
    if schema == known:
        return _("Connected to PostgreSQL {version} at {store}: the store is ready (schema {schema}).").format(**values)
    if not can_create:
        raise StoreError(_("Connected to PostgreSQL {version} at {store}, but {user} may not create tables there, and "
                           "the store is not set up yet.").format(**values),
                         hint=_("Make {user} the owner of the database (ALTER DATABASE {database} OWNER TO "
                                "{user}).").format(**values))
    if schema:
        return _("Connected to PostgreSQL {version} at {store}: shipdesk brings the store from schema {schema} to "
                 "{known} when it starts with it.").format(**values)
    return _("Connected to PostgreSQL {version} at {store}: the database is empty; shipdesk sets the store up when "
             "it first starts with it.").format(**values)
