"""Typed settings from the TOML config file, and writing them back without losing the admin's comments.

``load_config(path)`` reads and checks every value, raising ``ConfigError`` with a sentence that names the
file, the key and what is expected. A missing file gives the unconfigured defaults (``is_configured`` is
false: the app offers demo mode). ``save_config`` edits the existing file with tomlkit, so comments, key
order and keys shipdesk does not know survive. Secrets are never in this file: see ``core.secrets``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomlkit
from tomlkit.items import AoT, Table

from shipdesk.errors import ConfigError

LABEL_FORMATS = ("GIF", "PNG", "ZPL", "EPL")  # UPS documents GIF, ZPL, EPL, SPL; PNG is accepted
ADDRESS_VALIDATION_POLICIES = ("always", "ask", "never")
ACUMATICA_AUTH_MODES = ("cookie", "oauth")
#: OS print queue, raw TCP (port 9100), raw through a local queue (USB thermal printer), save to a folder
PRINTER_KINDS = ("system", "network", "local", "file")
LISTENER_CREDENTIAL_MODES = ("token", "credential")  # Track Alert v2 bearer token / v1 "credential" header


# -- the settings ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CustomFields:
    """Acumatica custom fields (on the Shipment) that receive tracking results; "" = do not write."""

    delivered_date: str = ""
    status: str = ""
    signed_by: str = ""


@dataclass(frozen=True)
class AcumaticaConfig:
    url: str = ""
    endpoint: str = "Default"
    version: str = "24.200.001"
    company: str = ""  # the tenant
    branch: str = ""
    username: str = ""
    ready_statuses: tuple[str, ...] = ("Open",)
    confirm_after_label: bool = False
    #: a Confirmed shipment without tracking may be corrected, labelled, written back and confirmed again
    correct_confirmed: bool = False
    auth: str = "cookie"
    client_id: str = ""  # OAuth client, "GUID@Tenant"
    custom_fields: CustomFields = field(default_factory=CustomFields)
    write_freight_cost: bool = False
    #: Ship Vias that run an Acumatica carrier plug-in: shipdesk warns instead of labelling them
    carrier_plugin_ship_vias: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferenceCodes:
    """UPS 2-character reference type codes for the numbers printed on the label ("" = no code)."""

    shipment_number: str = ""
    order_number: str = ""


@dataclass(frozen=True)
class UpsConfig:
    base_url: str = "https://onlinetools.ups.com"
    client_id: str = ""
    account_number: str = ""
    label_format: str = "GIF"
    address_validation: str = "ask"
    services: Mapping[str, str] = field(default_factory=dict)  # Acumatica Ship Via → UPS service code
    negotiated_rates: bool = True
    references: ReferenceCodes = field(default_factory=ReferenceCodes)

    def service_for(self, ship_via: str) -> str | None:
        return self.services.get(ship_via.strip())


@dataclass(frozen=True)
class ShipperConfig:
    name: str = ""
    attention: str = ""
    address_lines: tuple[str, ...] = ()
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = "US"
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class PrinterProfile:
    name: str
    kind: str = "system"
    label_format: str = "GIF"
    host: str = ""  # network: the printer's address
    port: int = 9100
    queue: str = ""  # system: the OS printer name ("" = the default printer)
    dpi: int = 203


@dataclass(frozen=True)
class PrintingConfig:
    profiles: tuple[PrinterProfile, ...] = ()
    default_profile: str = ""
    scan_to_ship: bool = False
    print_after_label: bool = True

    def profile(self, name: str | None = None) -> PrinterProfile | None:
        """The named profile, else the default one, else the first; None when there is none."""
        wanted = name or self.default_profile
        for profile in self.profiles:
            if profile.name == wanted:
                return profile
        return None if name else (self.profiles[0] if self.profiles else None)


@dataclass(frozen=True)
class ListenerConfig:
    """The Track Alert callback listener (only when the site can expose it: polling is the baseline)."""

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = 8765
    path: str = "/ups/track-alert"
    token_url_path: str = "/ups/oauth/token"
    credential_mode: str = "token"
    client_id: str = ""  # the id UPS signs in with at the token URL; empty: [ups] client_id


@dataclass(frozen=True)
class SyncConfig:
    interval_minutes: int = 15
    track_alert: bool = False
    account_wide_alerts: bool = False  # the UPS account has the account-wide Track Alert subscription
    concurrency: int = 16
    #: the UPS tracking rate adapts (see core.tracking.throttle): it starts here...
    start_requests_per_second: float = 20.0
    #: ...and never exceeds this; 0 = no ceiling (an account UPS limits gets one)
    max_requests_per_second: float = 0.0
    #: a package in transit is asked from UPS this long after its last poll...
    poll_every_minutes: int = 60
    #: ...this soon when it is out for delivery or due today...
    poll_due_today_minutes: int = 15
    #: ...and a label without scans waits this long (UPS shows nothing before the pickup)
    first_poll_after_minutes: int = 60
    listener: ListenerConfig = field(default_factory=ListenerConfig)


@dataclass(frozen=True)
class UiConfig:
    confirm_void: bool = True
    delivered_visible_days: int = 7  # delivered shipments stay in the table this long


@dataclass(frozen=True)
class Config:
    acumatica: AcumaticaConfig = field(default_factory=AcumaticaConfig)
    ups: UpsConfig = field(default_factory=UpsConfig)
    shipper: ShipperConfig = field(default_factory=ShipperConfig)
    printing: PrintingConfig = field(default_factory=PrintingConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    #: where it was read from (None for demo/default configs); not written to the file
    source: Path | None = field(default=None, compare=False)
    demo: bool = field(default=False, compare=False)

    @property
    def is_configured(self) -> bool:
        return bool(self.acumatica.url and self.ups.client_id)

    def missing_settings(self, *sections: str) -> list[str]:
        """Required keys that are empty, as "[section] key", for the given sections (default: all)."""
        wanted = sections or ("acumatica", "ups", "shipper")
        required: dict[str, list[tuple[str, object]]] = {
            "acumatica": [
                ("url", self.acumatica.url),
                ("version", self.acumatica.version),
                ("username", self.acumatica.username),
                *([("client_id", self.acumatica.client_id)] if self.acumatica.auth == "oauth" else []),
            ],
            "ups": [("client_id", self.ups.client_id), ("account_number", self.ups.account_number)],
            "shipper": [
                ("name", self.shipper.name),
                ("address_lines", self.shipper.address_lines),
                ("city", self.shipper.city),
                ("postal_code", self.shipper.postal_code),
                ("country", self.shipper.country),
            ],
        }
        return [f"[{s}] {key}" for s in wanted for key, value in required[s] if not value]

    def require(self, *sections: str) -> None:
        """Raise ConfigError naming every required key that is empty (call before talking to a service)."""
        missing = self.missing_settings(*sections)
        if missing:
            where = self.source or "the config file"
            raise ConfigError(
                f"In {where}, these settings are required and not set: {', '.join(missing)}.",
                hint="Fill them in (Settings window, or edit the file) and try again.",
            )


# -- demo ------------------------------------------------------------------------------------------
#: UPSPLUGIN is mapped so the demo shows the carrier plug-in warning (labelled, never confirmed)
DEMO_SERVICES = {"UPSGROUND": "03", "UPS2DAY": "02", "UPSNEXTDAY": "01", "UPSSAVER": "13", "UPSWWEXP": "07",
                 "UPSPLUGIN": "03"}


def demo_config(acumatica_url: str, ups_url: str) -> Config:
    """Settings that talk to the built-in sandboxes (password ``demo`` and UPS secret ``demo`` are
    supplied by the demo launcher, never stored here)."""
    return Config(
        acumatica=AcumaticaConfig(
            url=acumatica_url, version="24.200.001", company="Demo", username="admin",
            custom_fields=CustomFields("UsrDeliveredDate", "UsrUpsStatus", "UsrSignedBy"),
        ),
        ups=UpsConfig(base_url=ups_url, client_id="demo", account_number="A1B2C3", label_format="GIF",
                      services=dict(DEMO_SERVICES)),
        shipper=ShipperConfig(
            name="ACME Industrial Supply", attention="Shipping Dept", address_lines=("100 Main St",),
            city="Atlanta", state="GA", postal_code="30301", country="US", phone="4045550100",
            email="shipping@acme.example",
        ),
        printing=PrintingConfig(profiles=(PrinterProfile(name="Save PDF", kind="file"),),
                                default_profile="Save PDF"),
        demo=True,
    )


# -- reading ---------------------------------------------------------------------------------------
class _Section:
    """Typed reads from one TOML table, with error sentences naming the file and the key."""

    def __init__(self, data: Mapping[str, Any], file: Path, name: str) -> None:
        self.data, self.file, self.name = data, file, name

    def fail(self, key: str, expected: str) -> ConfigError:
        shown = _show(self.data[key]) if key in self.data else "missing"
        where = f"[{self.name}] {key}" if self.name else key
        return ConfigError(f"In {self.file}, {where} must be {expected} (found {shown}).")

    def sub(self, key: str) -> _Section:
        name = f"{self.name}.{key}" if self.name else key
        value = self.data.get(key, {})
        if not isinstance(value, Mapping):
            raise self.fail(key, f"a table ([{name}])")
        return _Section(value, self.file, name)

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str):
            raise self.fail(key, 'text in quotes, like "value"')
        return value.strip()

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "true or false (no quotes)")
        return value

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(key, f"a whole number from {low} to {high}")
        return value

    def number(self, key: str, default: float, low: float, high: float) -> float:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise self.fail(key, f"a number from {low:g} to {high:g}")
        return float(value)

    def texts(self, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self.data.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, 'a list of texts, like ["A", "B"]')
        return tuple(v.strip() for v in value if v.strip())

    def choice(self, key: str, default: str, choices: tuple[str, ...], *, upper: bool = False) -> str:
        value = self.text(key, default)
        value = value.upper() if upper else value.lower()
        if value not in choices:
            raise self.fail(key, "one of " + ", ".join(choices))
        return value

    def url(self, key: str, default: str = "") -> str:
        value = self.text(key, default).rstrip("/")
        if value:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
                raise self.fail(key, 'a web address starting with https://, like "https://acme.acumatica.com"')
        return value

    def text_map(self, key: str) -> dict[str, str]:
        table = self.sub(key)
        out: dict[str, str] = {}
        for name, value in table.data.items():
            if not isinstance(value, str):
                raise table.fail(name, 'text in quotes, like "03"')
            out[str(name).strip()] = value.strip()
        return out


def _show(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _read_acumatica(s: _Section) -> AcumaticaConfig:
    cf = s.sub("custom_fields")
    return AcumaticaConfig(
        url=s.url("url"),
        endpoint=s.text("endpoint", "Default") or "Default",
        version=s.text("version", "24.200.001"),
        company=s.text("company"),
        branch=s.text("branch"),
        username=s.text("username"),
        ready_statuses=s.texts("ready_statuses", ("Open",)) or ("Open",),
        confirm_after_label=s.flag("confirm_after_label", False),
        correct_confirmed=s.flag("correct_confirmed", False),
        auth=s.choice("auth", "cookie", ACUMATICA_AUTH_MODES),
        client_id=s.text("client_id"),
        custom_fields=CustomFields(cf.text("delivered_date"), cf.text("status"), cf.text("signed_by")),
        write_freight_cost=s.flag("write_freight_cost", False),
        carrier_plugin_ship_vias=s.texts("carrier_plugin_ship_vias"),
    )


def _read_ups(s: _Section) -> UpsConfig:
    services = s.text_map("services")
    for ship_via, code in services.items():
        if not (len(code) == 2 and code.isalnum()):
            raise s.sub("services").fail(ship_via, 'a 2-character UPS service code in quotes, like "03"')
    refs = s.sub("references")
    return UpsConfig(
        base_url=s.url("base_url", "https://onlinetools.ups.com") or "https://onlinetools.ups.com",
        client_id=s.text("client_id"),
        account_number=s.text("account_number").upper(),
        label_format=s.choice("label_format", "GIF", LABEL_FORMATS, upper=True),
        address_validation=s.choice("address_validation", "ask", ADDRESS_VALIDATION_POLICIES),
        services=services,
        negotiated_rates=s.flag("negotiated_rates", True),
        references=ReferenceCodes(refs.text("shipment_number"), refs.text("order_number")),
    )


def _read_shipper(s: _Section) -> ShipperConfig:
    return ShipperConfig(
        name=s.text("name"), attention=s.text("attention"), address_lines=s.texts("address_lines"),
        city=s.text("city"), state=s.text("state"), postal_code=s.text("postal_code"),
        country=s.text("country", "US").upper(), phone=s.text("phone"), email=s.text("email"),
    )


def _read_printing(s: _Section) -> PrintingConfig:
    raw = s.data.get("profiles", [])
    if not isinstance(raw, list) or not all(isinstance(p, Mapping) for p in raw):
        raise s.fail("profiles", "a list of [[printing.profiles]] tables")
    profiles = []
    for number, table in enumerate(raw, start=1):
        p = _Section(table, s.file, f"printing.profiles #{number}")
        name = p.text("name")
        if not name:
            raise p.fail("name", "a name for the printer profile")
        profiles.append(PrinterProfile(
            name=name, kind=p.choice("kind", "system", PRINTER_KINDS),
            label_format=p.choice("label_format", "GIF", LABEL_FORMATS, upper=True),
            host=p.text("host"), port=p.integer("port", 9100, 1, 65535), queue=p.text("queue"),
            dpi=p.integer("dpi", 203, 72, 1200),
        ))
    default = s.text("default_profile")
    if default and default not in {p.name for p in profiles}:
        raise s.fail("default_profile", "the name of one of the [[printing.profiles]]")
    return PrintingConfig(tuple(profiles), default, s.flag("scan_to_ship", False),
                          s.flag("print_after_label", True))


def _read_sync(s: _Section) -> SyncConfig:
    ls = s.sub("listener")
    return SyncConfig(
        interval_minutes=s.integer("interval_minutes", 15, 1, 24 * 60),
        track_alert=s.flag("track_alert", False),
        account_wide_alerts=s.flag("account_wide_alerts", False),
        concurrency=s.integer("concurrency", 16, 1, 32),
        start_requests_per_second=s.number("start_requests_per_second", 20.0, 0.1, 1000.0),
        max_requests_per_second=s.number("max_requests_per_second", _legacy_rate(s), 0.0, 1000.0),
        poll_every_minutes=s.integer("poll_every_minutes", 60, 1, 7 * 24 * 60),
        poll_due_today_minutes=s.integer("poll_due_today_minutes", 15, 1, 24 * 60),
        first_poll_after_minutes=s.integer("first_poll_after_minutes", 60, 0, 7 * 24 * 60),
        listener=ListenerConfig(
            enabled=ls.flag("enabled", False), host=ls.text("host", "127.0.0.1") or "127.0.0.1",
            port=ls.integer("port", 8765, 1, 65535), path=ls.text("path", "/ups/track-alert"),
            token_url_path=ls.text("token_url_path", "/ups/oauth/token"),
            credential_mode=ls.choice("credential_mode", "token", LISTENER_CREDENTIAL_MODES),
            client_id=ls.text("client_id"),
        ),
    )


def _legacy_rate(s: _Section) -> float:
    """Before the rate adapted, ``requests_per_second`` was a fixed rate: an admin's cap stays a cap."""
    return s.number("requests_per_second", 5.0, 0.1, 100.0) if "requests_per_second" in s.data else 0.0


def _read_ui(s: _Section) -> UiConfig:
    return UiConfig(confirm_void=s.flag("confirm_void", True),
                    delivered_visible_days=s.integer("delivered_visible_days", 7, 0, 365))


def parse_config(data: Mapping[str, Any], file: Path) -> Config:
    """Build a Config from already-parsed TOML (``file`` is only used in error sentences)."""
    root = _Section(data, file, "")
    return Config(
        acumatica=_read_acumatica(root.sub("acumatica")), ups=_read_ups(root.sub("ups")),
        shipper=_read_shipper(root.sub("shipper")), printing=_read_printing(root.sub("printing")),
        sync=_read_sync(root.sub("sync")), ui=_read_ui(root.sub("ui")), source=file,
    )


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read and check the config file; a file that does not exist yet gives the unconfigured defaults."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        return Config(source=file)
    except OSError as exc:
        raise ConfigError(f"The config file {file} cannot be read ({exc.strerror}).",
                          hint="Check that it exists and that this user may read it.") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"The config file {file} is not UTF-8 text.",
                          hint="Save it as UTF-8 in a text editor.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"The config file {file} is not valid TOML: {exc}.",
                          hint="Fix that line (text values need quotes).") from exc
    return parse_config(data, file)


# -- writing ---------------------------------------------------------------------------------------
class _Map(dict[str, Any]):
    """A table whose keys are data (Ship Via map): keys removed in the config are removed from the file."""


_MAP_FIELDS = {"services"}
_NOT_WRITTEN = {"source", "demo"}
#: defaults of the items of arrays of tables; ``name`` has none, so it is always written
_ITEM_DEFAULTS: dict[str, dict[str, Any]] = {"profiles": {}}


def _to_plain(value: Any, name: str = "") -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_plain(getattr(value, f.name), f.name) for f in fields(value)
                if f.name not in _NOT_WRITTEN}
    if isinstance(value, Mapping):
        plain = {str(k): _to_plain(v) for k, v in value.items()}
        return _Map(plain) if name in _MAP_FIELDS else plain
    if isinstance(value, tuple | list):
        return [_to_plain(v) for v in value]
    return value


_ITEM_DEFAULTS["profiles"] = {k: v for k, v in _to_plain(PrinterProfile(name="")).items() if k != "name"}


def _merge(target: Any, wanted: Mapping[str, Any], defaults: Mapping[str, Any]) -> None:
    """Write ``wanted`` into the tomlkit container, touching only values that changed. A key the file
    does not have is only added when its value differs from the default: the admin's file stays short."""
    if isinstance(wanted, _Map):
        for stale in [k for k in target if k not in wanted]:
            del target[stale]
    for key, value in wanted.items():
        current = target.get(key)
        default = defaults.get(key)
        if current is None and value == default:
            continue
        if isinstance(value, Mapping):
            if not isinstance(current, Table | dict) or isinstance(current, AoT):
                target[key] = tomlkit.table()
            _merge(target[key], value, default if isinstance(default, Mapping) else {})
        elif key in _ITEM_DEFAULTS and isinstance(value, list):
            item_defaults = _ITEM_DEFAULTS[key]
            if isinstance(current, AoT) and len(current) == len(value):
                for table, wanted_table in zip(current, value, strict=True):
                    _merge(table, wanted_table, item_defaults)  # same profiles: keep their comments
            elif _unwrap(current) != value:
                aot = tomlkit.aot()
                for item in value:
                    table = tomlkit.table()
                    _merge(table, item, item_defaults)
                    aot.append(table)
                target[key] = aot
        elif _unwrap(current) != value or current is None:
            target[key] = value


def _unwrap(value: Any) -> Any:
    return value.unwrap() if hasattr(value, "unwrap") else value


def save_config(path: str | os.PathLike[str], config: Config) -> None:
    """Write ``config`` to ``path``, keeping the existing file's comments, layout and unknown keys."""
    file = Path(path)
    try:
        existing = file.read_text(encoding="utf-8-sig") if file.exists() else ""
        document = tomlkit.parse(existing)
    except Exception as exc:  # tomlkit raises its own parse errors
        raise ConfigError(f"The config file {file} is not valid TOML, so shipdesk will not overwrite it.",
                          hint="Fix or move the file, then save the settings again.") from exc
    _merge(document, _to_plain(config), _to_plain(Config()))
    tmp = file.with_name(file.name + ".tmp")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(tomlkit.dumps(document), encoding="utf-8")
        os.replace(tmp, file)  # atomic: a crash never leaves half a config
    except OSError as exc:
        raise ConfigError(f"The config file {file} cannot be written ({exc.strerror}).",
                          hint="Check that this user may write to that folder.") from exc
