"""The ``$filter`` language the contract-based API accepts, parsed into a predicate over records.

Supported: ``eq ne gt ge lt le``, ``and``, ``or``, ``not``, parentheses; literals ``'text'`` (``''``
escapes a quote), ``datetimeoffset'2026-11-23T10:00:00Z'``, ``datetime'2026-11-23T10:00:00'``,
``guid'...'``, numbers, ``true``, ``false``, ``null``. Only top-level value fields can be filtered
on (as in Acumatica: filtering on detail rows is unsupported). Strings compare case-insensitively,
like the SQL collation behind Acumatica.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

Predicate = Callable[[dict[str, Any]], bool]

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<typed>(?:datetimeoffset|datetime|guid)'[^']*')
    | (?P<string>'(?:[^']|'')*')
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<paren>[()])
    | (?P<word>[A-Za-z_][A-Za-z0-9_./]*)
    )""", re.VERBOSE)

_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq, "ne": operator.ne, "gt": operator.gt,
    "ge": operator.ge, "lt": operator.lt, "le": operator.le,
}


class FilterError(ValueError):
    """The filter cannot be run; the message is what Acumatica's error would say."""


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise FilterError(f"Syntax error at position {pos} in the $filter expression.")
        kind = match.lastgroup or ""
        tokens.append(_Token(kind, match.group(kind)))
        pos = match.end()
    return tokens


@dataclass(frozen=True)
class _Field:
    name: str


class _Parser:
    def __init__(self, tokens: list[_Token], fields: Collection[str]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.fields = fields

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise FilterError("The $filter expression ends too early.")
        self.pos += 1
        return token

    def is_word(self, word: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "word" and token.text.lower() == word

    def parse(self) -> Predicate:
        predicate = self.or_expr()
        if self.peek() is not None:
            raise FilterError(f"Unexpected '{self.peek().text}' in the $filter expression.")  # type: ignore[union-attr]
        return predicate

    def or_expr(self) -> Predicate:
        parts = [self.and_expr()]
        while self.is_word("or"):
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else (lambda row: any(p(row) for p in parts))

    def and_expr(self) -> Predicate:
        parts = [self.unary()]
        while self.is_word("and"):
            self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else (lambda row: all(p(row) for p in parts))

    def unary(self) -> Predicate:
        if self.is_word("not"):
            self.take()
            inner = self.unary()
            return lambda row: not inner(row)
        token = self.peek()
        if token is not None and token.kind == "paren" and token.text == "(":
            self.take()
            inner = self.or_expr()
            closing = self.take()
            if closing.text != ")":
                raise FilterError("A parenthesis is not closed in the $filter expression.")
            return inner
        return self.comparison()

    def comparison(self) -> Predicate:
        left = self.operand()
        op_token = self.take()
        compare = _COMPARISONS.get(op_token.text.lower()) if op_token.kind == "word" else None
        if compare is None:
            raise FilterError(f"Unknown operator '{op_token.text}' in the $filter expression.")
        right = self.operand()
        return lambda row: _compare(compare, _resolve(left, row), _resolve(right, row))

    def operand(self) -> Any:
        token = self.take()
        if token.kind == "string":
            return token.text[1:-1].replace("''", "'")
        if token.kind == "number":
            return float(token.text)
        if token.kind == "typed":
            return _typed_literal(token.text)
        if token.kind == "word":
            lowered = token.text.lower()
            if lowered in ("true", "false"):
                return lowered == "true"
            if lowered == "null":
                return None
            nxt = self.peek()
            if nxt is not None and nxt.text == "(":
                raise FilterError(f"The function '{token.text}' is not supported in $filter.")
            if token.text not in self.fields:
                raise FilterError(f"The field '{token.text}' cannot be used in $filter: "
                                  "it is not a field of the entity.")
            return _Field(token.text)
        raise FilterError(f"Unexpected '{token.text}' in the $filter expression.")


def _typed_literal(text: str) -> Any:
    prefix, _, rest = text.partition("'")
    raw = rest[:-1]
    if prefix in ("datetimeoffset", "datetime"):
        try:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError as exc:
            raise FilterError(f"'{raw}' is not a valid date and time.") from exc
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return raw.lower()


def _resolve(operand: Any, row: dict[str, Any]) -> Any:
    if isinstance(operand, _Field):
        value = row.get(operand.name)
        return value.lower() if isinstance(value, str) and _looks_like_guid(value) else value
    return operand


def _looks_like_guid(value: str) -> bool:
    return len(value) == 36 and value.count("-") == 4


def _compare(compare: Callable[[Any, Any], bool], left: Any, right: Any) -> bool:
    if left is None or right is None:
        if compare in (operator.eq, operator.ne):
            return compare(left, right)
        return False
    if isinstance(left, str) and isinstance(right, str):
        return compare(left.casefold(), right.casefold())
    if isinstance(left, bool) != isinstance(right, bool):
        raise FilterError("A boolean field can be compared only with true or false.")
    if isinstance(left, datetime) != isinstance(right, datetime):
        raise FilterError("A date field can be compared only with a datetimeoffset'...' literal.")
    if isinstance(left, str) != isinstance(right, str):
        raise FilterError("A text field can be compared only with a quoted text literal.")
    return compare(left, right)


def parse_filter(text: str | None, fields: Collection[str]) -> Predicate:
    """A predicate for ``text`` (None or blank = every record); :class:`FilterError` when invalid."""
    if not text or not text.strip():
        return lambda row: True
    return _Parser(_tokenize(text), fields).parse()
