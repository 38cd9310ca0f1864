"""Opening the local database: SQLite in WAL mode, migrated (after a backup) on start.

One ``Store`` per process. peewee gives every thread its own connection; WAL lets readers run while one
writer writes, ``busy_timeout`` makes a second writer wait instead of failing, and every write goes
through ``Store.write()`` (``BEGIN IMMEDIATE``) so a transaction never has to upgrade a read lock to a
write lock, which is the one case where SQLite gives up at once with "database is locked".
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from peewee import OperationalError, SqliteDatabase

from shipdesk.core.settings.paths import DataPaths
from shipdesk.core.store import migrations
from shipdesk.core.store.models import database_proxy
from shipdesk.errors import StoreError

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
    """The open database. Repository functions (``store.repository``) use it through the proxy."""

    def __init__(self, db: SqliteDatabase, paths: DataPaths, schema_version: int) -> None:
        self.db = db
        self.paths = paths
        self.schema_version = schema_version

    @property
    def path(self) -> Path:
        return self.paths.database

    def write(self) -> Any:
        """A write transaction: ``with store.write(): ...`` (nested use becomes a savepoint)."""
        return self.db.atomic("IMMEDIATE")

    def close(self) -> None:
        self.db.close()


def open_store(
    data_dir: Path | None = None, *, migrations_to_run: Sequence[migrations.Migration] = migrations.MIGRATIONS
) -> Store:
    """Open (creating if needed) the database in ``data_dir`` and bring its schema up to date."""
    paths = (DataPaths(Path(data_dir)) if data_dir else DataPaths.default()).ensure()
    db = SqliteDatabase(str(paths.database), pragmas=list(PRAGMAS), timeout=10, check_same_thread=False)
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
            f"The local database {paths.database} cannot be opened ({exc}).",
            hint="Close other shipdesk windows and try again; if it persists, restore a copy from "
            f"{paths.backups}.",
        ) from exc
    if version > len(migrations_to_run):
        db.close()
        raise StoreError(
            f"The local database {paths.database} was created by a newer shipdesk (schema {version}).",
            hint="Update shipdesk on this PC.",
        )
    return Store(db, paths, version)


def backup(db: SqliteDatabase, paths: DataPaths, version: int) -> Path:
    """Copy the live database (consistent even in WAL mode) to ``backups/``; keep the newest few."""
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
