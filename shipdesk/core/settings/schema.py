"""How a setting is declared: a dataclass field made with :func:`setting`, and what can be asked of it.

A settings table is a frozen dataclass (a :class:`Table`); each of its fields made with ``setting(...)``
is one key of the config file. The field carries everything about the key: its name (the field's
name), its section (where the dataclass sits under ``Config``), its default, its type (the field's
annotation), the allowed values or range, the help text and the label a person sees. The reader, the
writer, the documentation check and the settings dialog all work from :func:`keys_of` and
:func:`sections`, so nothing about a key is written twice.

Types a key may have: ``str``, ``bool``, ``int``, ``float``, ``tuple[str, ...]``, a ``StrEnum`` (a closed
set of choices), ``Mapping[str, str]`` (a table whose keys are data: Ship Via → UPS service), another
``Table`` (a sub-table, made with :func:`table`) and ``tuple[Table, ...]`` (an array of tables).
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any, ClassVar, TypeVar

from shipdesk.i18n import _

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)
_META = "shipdesk.setting"
_KEYS: dict[type, tuple[Key, ...]] = {}


class Kind(Enum):
    TEXT = "text"
    FLAG = "true/false"
    WHOLE = "whole number"
    NUMBER = "number"
    TEXTS = "list of text"
    CHOICE = "choice"
    DATA_TABLE = "table of text"  # keys are data (Ship Via codes), values text
    TABLE = "table"
    TABLES = "array of tables"


@dataclass(frozen=True)
class Setting:
    """What is said about one key besides its name, type and default."""

    help: str  # Markdown: the documentation's "Meaning" and the dialog's tooltip
    label: str = ""  # the dialog's label (a check box's text; a sub-table's group title)
    #: must be set before shipdesk talks to the service (``Config.require``); a function of the table's
    #: values when it depends on another key. An empty required key stays empty, so it can be named.
    required: bool | Callable[[Any], bool] = False
    low: float | None = None  # numbers: the allowed range
    high: float | None = None
    unit: str = ""  # numbers: the dialog shows it after the value (" minutes")
    example: str = ""  # text: in error sentences and as the dialog's placeholder
    upper: bool = False  # text: kept in upper case (codes)
    web_address: bool = False  # text: an http(s) address; a trailing "/" is dropped
    max_length: int = 0  # text: at most this many characters (0: any)
    pattern: str = ""  # text (or a data table's values) must match, as ``expect`` says
    expect: str = ""
    choices: Mapping[str, str] = field(default_factory=dict)  # choice → what the dialog shows for it


def setting(default: T, help: str, **about: Any) -> T:
    """Declare one key: its default, its help text and whatever else :class:`Setting` holds."""
    meta = {_META: Setting(help, **about)}
    if isinstance(default, dict):  # a data table: every Config gets its own
        return typing.cast(T, field(default_factory=lambda: dict(default), metadata=meta))
    return typing.cast(T, field(default=default, metadata=meta))


def named(help: str, **about: Any) -> str:
    """Declare a key without a default: each table must give it (a printer profile's name)."""
    return typing.cast(str, field(metadata={_META: Setting(help, **about)}))


def table(cls: type[T], title: str, help: str = "") -> T:
    """Declare a sub-table (``[sync.listener]``), shown in the dialog as a group titled ``title``."""
    return typing.cast(T, field(default_factory=cls, metadata={_META: Setting(help, label=title)}))


class Table:
    """Base of every settings dataclass: choices given as plain strings become their enum."""

    #: keys that older versions read and this one ignores: key → why (old files keep loading)
    RETIRED: ClassVar[Mapping[str, str]] = {}

    def __post_init__(self) -> None:
        for key in keys_of(type(self)):
            value = getattr(self, key.name)
            if key.kind is Kind.CHOICE and not isinstance(value, key.item):
                object.__setattr__(self, key.name, choice(key.item, value))

    def invalid_setting(self) -> tuple[str, str] | None:
        """A rule between keys that is broken: (key, what it must be); checked when the file is read."""
        return None


@dataclass(frozen=True)
class Key:
    """One declared key, as the machinery sees it."""

    section: str  # "ups", "sync.listener", "" for Config's own tables
    name: str
    kind: Kind
    setting: Setting
    default: Any  # dataclasses.MISSING for a key without default
    item: Any = None  # the enum (CHOICE), the Table class (TABLE, TABLES)

    @property
    def path(self) -> str:
        return f"{self.section}.{self.name}" if self.section else self.name

    @property
    def shown(self) -> str:
        """As error sentences and the documentation name it: ``[ups] address_validation``."""
        return f"[{self.section}] {self.name}" if self.section else self.name

    @property
    def has_default(self) -> bool:
        return self.default is not dataclasses.MISSING

    def is_required(self, values: object) -> bool:
        required = self.setting.required
        return required(values) if callable(required) else required


def choice(enum: type[E], value: object) -> E:
    """The member of ``enum`` spelled ``value``, in any case; ValueError when there is none."""
    if isinstance(value, enum):
        return value
    wanted = str(value).strip().lower()
    for member in enum:
        if member.value.lower() == wanted:
            return member
    raise ValueError(_("{value!r} is not one of {choices}").format(value=value, choices=", ".join(enum)))


def keys_of(cls: type) -> tuple[Key, ...]:
    """The keys a settings table declares, in declaration order."""
    if cls not in _KEYS:
        _KEYS[cls] = _declared(cls)
    return _KEYS[cls]


def _declared(cls: type) -> tuple[Key, ...]:
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        about = f.metadata.get(_META)
        if about is None:
            continue  # not a setting (Config.source)
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        kind, item = _kind(hints[f.name], f"{cls.__name__}.{f.name}")
        out.append(Key("", f.name, kind, about, default, item))
    return tuple(out)


def _kind(hint: Any, where: str) -> tuple[Kind, Any]:
    simple = {str: Kind.TEXT, bool: Kind.FLAG, int: Kind.WHOLE, float: Kind.NUMBER}
    if hint in simple:
        return simple[hint], None
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return Kind.CHOICE, hint
    if isinstance(hint, type) and issubclass(hint, Table):
        return Kind.TABLE, hint
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        if args[0] is str:
            return Kind.TEXTS, None
        if isinstance(args[0], type) and issubclass(args[0], Table):
            return Kind.TABLES, args[0]
    if origin is Mapping and args == (str, str):
        return Kind.DATA_TABLE, None
    raise TypeError(f"{where}: a setting cannot have the type {hint}")  # i18n: a bug


def sections(root: type[Table], path: str = "") -> Iterator[tuple[str, type[Table], tuple[Key, ...]]]:
    """Every table under ``root`` with its dotted path (``""`` for root) and its keys, parents first.
    An array of tables counts as one section (``printing.profiles``)."""
    keys = tuple(dataclasses.replace(k, section=path) for k in keys_of(root))
    yield path, root, keys
    for key in keys:
        if key.kind in (Kind.TABLE, Kind.TABLES):
            yield from sections(key.item, key.path)


def find(root: type[Table], path: str) -> Key:
    """The key at a dotted path, e.g. ``sync.listener.port``."""
    section, _sep, name = path.rpartition(".")
    for at, _cls, keys in sections(root):
        if at == section:
            for key in keys:
                if key.name == name:
                    return key
    raise KeyError(path)


def plain(value: Any) -> Any:
    """A settings value as TOML holds it: tables as dicts, tuples as lists, choices as their text."""
    if isinstance(value, Table):
        return {k.name: plain(getattr(value, k.name)) for k in keys_of(type(value))}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, StrEnum):
        return value.value
    return value
