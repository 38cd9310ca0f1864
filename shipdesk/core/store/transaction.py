"""Transactions for the store's topic modules: every write is a short ``BEGIN IMMEDIATE`` transaction.

Writes that check before they write run in ``BEGIN IMMEDIATE`` transactions, so the UI worker, the sync
thread and a command-line process can all write at once: SQLite serialises them (waiting up to the busy
timeout) and no check is ever decided on data another writer is changing. Nested use becomes a savepoint,
so a caller can hold one transaction around several store calls (``scans.record_tracking`` does).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any, cast

from peewee import DatabaseError

from shipdesk.core.store.models import database_proxy

#: what a query or transaction raises when the database will not do it ("database is locked" after the busy
#: timeout, a full disk...): callers that must not lose work already done elsewhere catch these
DATABASE_ERRORS: tuple[type[Exception], ...] = (DatabaseError, sqlite3.DatabaseError)


def write() -> Any:
    """``with write(): ...``: one write transaction (a savepoint inside another)."""
    return database_proxy.atomic("IMMEDIATE")


def snapshot() -> Any:
    """``with snapshot(): ...``: several reads that see one state of the database."""
    return database_proxy.atomic()


def tuples(query: Any) -> Iterable[tuple[Any, ...]]:
    """Rows as plain tuples (the peewee stubs type ``.tuples()`` as model instances)."""
    return cast(Iterable[tuple[Any, ...]], query.tuples())
