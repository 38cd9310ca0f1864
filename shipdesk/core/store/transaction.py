"""Transactions for the store's topic modules: every write is one short transaction, one writer at a time.

Writes that check before they write run in a write transaction (SQLite: ``BEGIN IMMEDIATE``; the shared
PostgreSQL store: a transaction that first takes the store's write lock, see ``engines``), so the UI
worker, the sync thread, a command-line process and the other stations can all write at once: the
database serialises them and no check is ever decided on data another writer is changing. Nested use
becomes a savepoint, so a caller can hold one transaction around several store calls
(``scans.record_tracking`` does).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

from peewee import DatabaseError, SqliteDatabase, fn

from shipdesk.core.store.compiled import Compiled, slot
from shipdesk.core.store.models import AuditEntry, database_proxy

#: what a query or transaction raises when the database will not do it ("database is locked" after the busy
#: timeout, a full disk...): callers that must not lose work already done elsewhere catch these
DATABASE_ERRORS: tuple[type[Exception], ...] = (DatabaseError, sqlite3.DatabaseError)


#: each thread's audit rows of its open write transaction, inserted in one statement right before it commits
_audit = threading.local()


@contextlib.contextmanager
def write() -> Iterator[Any]:
    """``with write(): ...``: one write transaction (a savepoint inside another). The audit entries written in it
    (:func:`keep_audit`) go in with one multi-row INSERT at its end; a savepoint rolled back drops its own."""
    kept: list[dict[str, Any]] | None = getattr(_audit, "rows", None)
    if kept is not None:  # inside this thread's write transaction: a savepoint
        mark = len(kept)
        try:
            with database_proxy.write_transaction() as transaction:
                yield transaction
        except BaseException:
            del kept[mark:]
            raise
        return
    kept = _audit.rows = []
    try:
        with database_proxy.write_transaction() as transaction:
            yield transaction
            if kept:
                _insert_audit(kept)
    finally:
        _audit.rows = None


@contextlib.contextmanager
def joined() -> Iterator[None]:
    """``with joined(): ...``: inside a write transaction, the statements simply join it (no savepoint); outside,
    a write transaction of their own. For writes whose failure fails the caller's whole transaction (one
    statement, or several that nobody catches half-way), where a savepoint would cost two more statements."""
    if getattr(_audit, "rows", None) is not None:
        yield
        return
    with write():
        yield


_AUDIT_COLUMNS = ("at", "user", "action", "shipment_nbr", "job_id", "detail", "station")
#: the INSERT of n audit rows, compiled once for each n up to a few (a label's transactions write 1 to 4)
_AUDIT_INSERTS: dict[int, Compiled] = {}


def _insert_audit(rows: Sequence[dict[str, Any]]) -> None:
    count = len(rows)
    if count > 8:
        AuditEntry.insert_many(rows).execute()
        return
    insert = _AUDIT_INSERTS.get(count)
    if insert is None:
        fields = [getattr(AuditEntry, name) for name in _AUDIT_COLUMNS]
        width = len(fields)
        insert = _AUDIT_INSERTS.setdefault(count, Compiled(lambda: AuditEntry.insert_many(
            [{field: slot(row * width + at, field) for at, field in enumerate(fields)} for row in range(count)])))
    insert.changed(*[row.get(name) for row in rows for name in _AUDIT_COLUMNS])


def keep_audit(rows: Sequence[dict[str, Any]]) -> None:
    """Audit rows for the caller's write transaction (inserted together when it ends), or, outside one, now."""
    with joined():
        _audit.rows.extend(rows)


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
