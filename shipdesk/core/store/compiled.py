"""Hot queries compiled once: peewee builds a query's SQL text anew on every execution, walking every column
of the model (a label job read with its shipment names 65 of them): 0.2 to 0.6 ms a query, most of the store's
CPU for a label. A ``Compiled`` query is built once per kind of database with :func:`slot` placeholders for the
values that change, and each call sends only its values; rows come back as the models the query names, exactly
as peewee makes them (with joined models attached).

    _JOB = Compiled(lambda: LabelJob.select().where(LabelJob.job_id == slot(0)))
    job = _JOB.first(job_id)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from peewee import BaseModelCursorWrapper, Value

from shipdesk.core.store.models import database_proxy


class _Slot:
    """Where a call's value goes in the compiled parameters (``convert``: the field's conversion to the column)."""

    __slots__ = ("convert", "index")

    def __init__(self, index: int, convert: Callable[[Any], Any] | None) -> None:
        self.index = index
        self.convert = convert


def slot(index: int, field: Any = None) -> Any:
    """The call's ``index``-th value in a ``Compiled`` query (converted as ``field`` stores it, when given)."""
    return Value(_Slot(index, field.db_value if field is not None else None), converter=False)


class Compiled:
    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._by_dialect: dict[type, tuple[Any, str, list[Any]]] = {}
        #: which model field each result column fills, worked out once per dialect (peewee does it for every result:
        #: a label job with its shipment has 75 columns, a third of a millisecond each time)
        self._columns: dict[type, dict[str, Any]] = {}

    def _compiled(self, db: Any) -> tuple[Any, str, list[Any]]:
        kind = type(db)  # SQLite and PostgreSQL differ in quoting and parameter style, never per file or server
        found = self._by_dialect.get(kind)
        if found is None:
            with self._lock:
                query = self._build()
                sql, params = db.get_sql_context().sql(query).query()
                found = self._by_dialect[kind] = (query, sql, list(params))
        return found

    def execute(self, *values: Any) -> tuple[Any, Any]:
        """(the query it was built from, the cursor)."""
        db = database_proxy.obj
        query, sql, params = self._compiled(db)
        bound = [_bind(p, values) if type(p) is _Slot else p for p in params]
        return query, db.execute_sql(sql, bound)

    def rows(self, *values: Any) -> list[Any]:
        query, cursor = self.execute(*values)
        wrapper = query._get_cursor_wrapper(cursor)
        if isinstance(wrapper, BaseModelCursorWrapper):
            kind = type(database_proxy.obj)
            resolved = self._columns.get(kind)
            if resolved is None and cursor.description is not None:
                known = set(vars(wrapper))
                wrapper.initialize()  # what peewee does lazily at the first row, done here once
                resolved = self._columns[kind] = {key: value for key, value in vars(wrapper).items()
                                                  if key not in known}
            if resolved is not None:
                vars(wrapper).update(resolved)  # read-only while rows are made: shared by every call
                wrapper.initialized = True
        return list(wrapper)

    def first(self, *values: Any) -> Any:
        found = self.rows(*values)
        return found[0] if found else None

    def changed(self, *values: Any) -> int:
        """Rows an UPDATE or DELETE changed."""
        _query, cursor = self.execute(*values)
        return int(cursor.rowcount)


def _bind(where: _Slot, values: Sequence[Any]) -> Any:
    value = values[where.index]
    return where.convert(value) if where.convert is not None else value
