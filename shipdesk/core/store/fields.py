"""Column types that turn stored text into typed values and back, so the code above the store never converts.

- ``UtcDateTimeField``: ISO-8601 text in UTC (sorts as text, reads back aware);
- ``DecimalTextField``: money and weights as exact decimal text;
- ``EnumField``: a closed set (``State``, address status, audit action) stored as its value;
- ``JsonField``: a list or object stored as JSON text (``tracking_numbers_json``...), written exactly as
  ``json.dumps`` writes it, so rows written before these fields existed read back unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar

from peewee import TextField


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_utc(value: datetime) -> datetime:
    """Aware datetimes are converted; naive ones are taken to be UTC already."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_or_none(stored: Any) -> datetime | None:
    """A stored UTC time read through a subquery or CASE, which peewee hands back as the stored text."""
    if stored is None or stored == "":
        return None
    return to_utc(stored if isinstance(stored, datetime) else datetime.fromisoformat(str(stored)))


class UtcDateTimeField(TextField):
    field_type = "TEXT"

    def db_value(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return to_utc(value).isoformat(timespec="microseconds")
        return value

    def python_value(self, value: Any) -> Any:
        if isinstance(value, str) and value:
            return to_utc(datetime.fromisoformat(value))
        return value


class DecimalTextField(TextField):
    """Money and weights as exact decimal text: SQLite's DECIMAL is a float and would turn 21.40 into 21.4."""

    field_type = "TEXT"

    def db_value(self, value: Any) -> Any:
        return None if value is None else str(Decimal(value))

    def python_value(self, value: Any) -> Any:
        return None if value is None or value == "" else Decimal(str(value))


E = TypeVar("E", bound=StrEnum)


class EnumField(TextField, Generic[E]):
    """A StrEnum column: written as the member's value, read back as the member.

    A value the enum does not know raises ``ValueError`` on write (a bug) and on read (a database
    written by a newer shipdesk: ``open_store`` refuses those before anything is read)."""

    field_type = "TEXT"

    def __init__(self, enum: type[E], **kwargs: Any) -> None:
        self.enum = enum
        super().__init__(**kwargs)

    def db_value(self, value: Any) -> Any:
        return None if value is None else self.enum(value).value

    def python_value(self, value: Any) -> E | None:
        return None if value is None else self.enum(value)


class JsonField(TextField):
    """A JSON list or object kept as text. ``empty`` makes the value for a NULL or empty column."""

    field_type = "TEXT"

    def __init__(self, empty: Callable[[], Any] = dict, **kwargs: Any) -> None:
        self.empty = empty
        kwargs.setdefault("default", empty)
        super().__init__(**kwargs)

    def db_value(self, value: Any) -> Any:
        return None if value is None else json.dumps(value, default=str)

    def python_value(self, value: Any) -> Any:
        return json.loads(value) if value else self.empty()
