"""Counting the SQL the app runs: every statement SQLite executes, seen through its trace callback.

``SqlTrace(db)`` attaches to the connection of the calling thread and to every connection peewee opens
later (peewee keeps one per thread; ``_initialize_connection`` is its hook for a new one). SQLite
reports each statement as it starts, the transaction control included (peewee sends ``BEGIN``; the
``COMMIT`` comes from the sqlite3 module), so nothing is guessed from the code:

- **statements**: every statement but transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE);
- **transactions**: each ``BEGIN``, plus each write (INSERT/UPDATE/DELETE/REPLACE) run outside one,
  which SQLite commits on its own (each is a commit, and a WAL append, like an explicit one).
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from typing import Any

_STRING = re.compile(r"'(?:[^']|'')*'")
_NUMBER = re.compile(r"(?<![\w\"])-?\d+(?:\.\d+)?(?![\w\"])")
_CONTROL = ("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE")
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class SqlTrace:
    def __init__(self, db: Any) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._open: set[int] = set()  # threads inside BEGIN ... COMMIT
        self.statements = 0
        self.transactions = 0
        self.kinds: Counter[str] = Counter()  # first word of each statement (SELECT, INSERT...)
        self.texts: Counter[str] = Counter()  # each statement's text (peewee sends parameters apart)
        self.on = False
        self._original = db._initialize_connection
        db._initialize_connection = self._new_connection
        db.connection().set_trace_callback(self._seen)

    def _new_connection(self, conn: Any) -> None:
        self._original(conn)
        conn.set_trace_callback(self._seen)

    def _seen(self, sql: str) -> None:
        if not self.on:
            return
        head = sql[:40].split(None, 1)
        word = head[0].upper() if head else ""
        thread = threading.get_ident()
        with self._lock:
            if word in _CONTROL:
                if word == "BEGIN":
                    self._open.add(thread)
                    self.transactions += 1
                elif word in ("COMMIT", "END", "ROLLBACK"):
                    self._open.discard(thread)
                return
            self.statements += 1
            self.kinds[word] += 1
            # the head only: SQLite hands over the statement with its values, a label's image too (tens of KB),
            # and splitting all of it would count this trace's own work as the app's CPU; the values become ?,
            # so one statement with other values counts as the same
            self.texts[_NUMBER.sub("?", _STRING.sub("?", " ".join(sql[:300].split())))[:110]] += 1
            if word in _WRITES and thread not in self._open:
                self.transactions += 1

    def reset(self) -> None:
        with self._lock:
            self.statements = self.transactions = 0
            self.kinds.clear()
            self.texts.clear()

    def close(self) -> None:
        self.on = False
        self._db._initialize_connection = self._original
