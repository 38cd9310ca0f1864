"""The two databases the store runs on, each with the same transaction promises.

- ``LocalDatabase``: one station's SQLite file. A write transaction is ``BEGIN IMMEDIATE``: SQLite lets
  one writer in at a time, so a transaction that checks, then writes, decides on data nobody else is
  changing. This process's threads take their turns in the order they asked (``write_turns``), so a
  thread writing back to back (the sync) cannot starve the others past the busy timeout.
- ``SharedDatabase``: one PostgreSQL database for every station. A write transaction takes one
  transaction-level advisory lock first (``pg_advisory_xact_lock``, released by the server at commit
  or rollback), which gives the stations exactly the promise SQLite gives the processes of one PC:
  writers go one at a time and see everything committed before them. Readers are never held up.
  Each thread has its own connection (closed with the thread: worker and listener threads come and go,
  and a pool would keep the slots of threads that ended); a connection the server or the network
  dropped is opened again, and an outage reaches the caller as a ``StoreError`` naming the server.

The advisory lock keys of the shared store (each a pair of 32-bit numbers, scoped by PostgreSQL to the
database) are named here, so no two uses collide.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from typing import Any

from peewee import InterfaceError, OperationalError, PostgresqlDatabase, SqliteDatabase
from playhouse.shortcuts import ReconnectMixin

from shipdesk.core.store.write_turns import WriteTurns
from shipdesk.errors import StoreError
from shipdesk.i18n import _

log = logging.getLogger(__name__)

#: advisory lock namespaces (the first of the two keys); the second key is 0 or a row id
LOCK_MIGRATIONS = 5_100
LOCK_WRITES = 5_101
LOCK_LABEL_JOB = 5_102  # second key: the label job's row id
LOCK_UPS_TOKEN = 5_103

#: psycopg2's words when the server or the network dropped the connection
_CONNECTION_LOST = ("server closed the connection", "connection already closed", "terminating connection",
                    "could not connect", "could not receive data", "could not send data", "connection refused",
                    "timeout expired", "ssl connection has been closed", "no connection to the server")


def is_connection_lost(error: BaseException) -> bool:
    text = str(error).lower()
    return isinstance(error, OperationalError | InterfaceError) and any(words in text for words in _CONNECTION_LOST)


#: statements that write, taken as their own transaction when run outside one (autocommit)
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")


class LocalDatabase(SqliteDatabase):
    """One station's SQLite file."""

    shared = False

    def __init__(self, database: str, **params: Any) -> None:
        super().__init__(database, **params)
        self.turns = WriteTurns()
        #: how long a writer waits for its turn, as long as SQLite waits for another process (the busy timeout)
        self.busy_seconds = dict(params.get("pragmas") or ()).get("busy_timeout", 5_000) / 1000

    @contextlib.contextmanager
    def write_transaction(self) -> Iterator[Any]:
        if self.transaction_depth():  # inside this thread's transaction: a savepoint, in the same turn
            with self.atomic("IMMEDIATE") as transaction:
                yield transaction
            return
        with self._turn(), self.atomic("IMMEDIATE") as transaction:
            yield transaction

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        # a write outside a transaction is one of its own: it waits for its turn like the others
        if self.transaction_depth() or self.turns.owner == threading.get_ident() \
                or not sql.lstrip()[:6].upper().startswith(_WRITES):
            return super().execute_sql(sql, params)
        with self._turn():
            return super().execute_sql(sql, params)

    @contextlib.contextmanager
    def _turn(self) -> Iterator[None]:
        if not self.turns.acquire(self.busy_seconds):
            # what SQLite itself raises past the busy timeout: the callers' sentences name it as the reason
            raise OperationalError("database is locked")  # i18n: SQLite's own words, quoted in a sentence
        try:
            yield
        finally:
            self.turns.release()

    def snapshot_transaction(self) -> Any:
        return self.atomic()  # one SQLite read transaction sees one state of the file


class SharedDatabase(ReconnectMixin, PostgresqlDatabase):
    """One PostgreSQL database shared by the stations (see the module's docstring)."""

    shared = True
    #: dropped connections ReconnectMixin opens again (outside a transaction: nothing can be half done)
    reconnect_errors = ((OperationalError, "server closed the connection"),
                        (OperationalError, "terminating connection"),
                        (OperationalError, "could not receive data"),
                        (OperationalError, "ssl connection has been closed"),
                        (InterfaceError, "connection already closed"))

    def __init__(self, database: str, *, shown: str, **params: Any) -> None:
        self.shown = shown  # "user@host:port/db" for sentences; never a password
        super().__init__(database, **params)

    @contextlib.contextmanager
    def write_transaction(self) -> Iterator[Any]:
        with self._lost_as_store_error(), self.atomic() as transaction:
            # re-entrant inside one transaction: a nested write() takes it again at no cost
            self.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_WRITES, 0))
            yield transaction

    @contextlib.contextmanager
    def snapshot_transaction(self) -> Iterator[Any]:
        with self._lost_as_store_error(), self.atomic() as transaction:
            self.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield transaction

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        with self._lost_as_store_error():
            return super().execute_sql(sql, params)

    @contextlib.contextmanager
    def _lost_as_store_error(self) -> Iterator[None]:
        try:
            yield
        except (OperationalError, InterfaceError) as exc:
            if "lock timeout" in str(exc).lower():
                raise StoreError(_("The shared store {shown} kept this station waiting over 90 seconds for another "
                                   "station's change.").format(shown=self.shown),
                                 hint=_("Try again; if it goes on, restart the station that hangs (its change is then "
                                        "undone).")) from exc
            if not is_connection_lost(exc):
                raise
            log.warning("shared store %s: connection lost (%s)", self.shown, str(exc).strip().splitlines()[0])
            raise StoreError(
                _("The shared store {shown} stopped answering ({first_line}).").format(
                    shown=self.shown, first_line=_first_line(exc)),
                hint=_("Check the network and that the PostgreSQL server runs, then try again; nothing already done "
                       "is lost.")) from exc

    def side_connection(self) -> PostgresqlDatabase:
        """A connection of its own, apart from this thread's (a session-level advisory lock lives as long as it)."""
        return PostgresqlDatabase(self.database, autoconnect=False, **self.connect_params)

    def close_everything(self) -> None:
        """This thread's connection (the others close with their threads)."""
        with contextlib.suppress(OperationalError, InterfaceError):
            self.close()


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    return lines[0].rstrip(".") if lines else type(error).__name__
