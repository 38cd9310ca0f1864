"""Transactions for the store's topic modules: every write is one short transaction, one writer at a time.

Writes that check before they write run in a write transaction (SQLite: ``BEGIN IMMEDIATE``; the shared
PostgreSQL store: a transaction that first takes the store's write lock, see ``engines``), so the UI
worker, the sync thread, a command-line process and the other stations can all write at once: the
database serialises them and no check is ever decided on data another writer is changing. Nested use
becomes a savepoint, so a caller can hold one transaction around several store calls
(``scans.record_tracking`` does).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any, cast

from peewee import DatabaseError, SqliteDatabase, fn

from shipdesk.core.store.models import database_proxy

#: what a query or transaction raises when the database will not do it ("database is locked" after the busy
#: timeout, a full disk...): callers that must not lose work already done elsewhere catch these
DATABASE_ERRORS: tuple[type[Exception], ...] = (DatabaseError, sqlite3.DatabaseError)


def write() -> Any:
    """``with write(): ...``: one write transaction (a savepoint inside another)."""
    return database_proxy.write_transaction()


def snapshot() -> Any:
    """``with snapshot(): ...``: several reads that see one state of the database."""
    return database_proxy.snapshot_transaction()


def tuples(query: Any) -> Iterable[tuple[Any, ...]]:
    """Rows as plain tuples (the peewee stubs type ``.tuples()`` as model instances)."""
    return cast(Iterable[tuple[Any, ...]], query.tuples())


def joined_text(expression: Any, separator: str) -> Any:
    """The aggregate that joins a group's texts (SQLite ``GROUP_CONCAT``, PostgreSQL ``string_agg``)."""
    if isinstance(database_proxy.obj, SqliteDatabase):
        return fn.GROUP_CONCAT(expression, separator)
    return fn.string_agg(expression, separator)
