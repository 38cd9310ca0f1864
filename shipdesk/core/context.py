"""Everything a command or a worker needs, built once from the config: ``AppContext``.

It owns the store (this PC's SQLite file, or the PostgreSQL database the stations share: ``[store] url``),
the station's name (``[station] name``, by default the computer's), the label archive (a cache of the
labels kept in the store), the shared ``UpsClient`` (its OAuth token persisted, sealed, where every run
shares one token and one daily grant budget: a file of the data folder, or the shared store for the
whole warehouse) and makes a fresh ``AcumaticaClient`` per command or worker: ``with context.acumatica() as
acu:`` signs in on the first call and signs out at the end, also on Ctrl+C, so no licensed API session is
left open.
``quick=True`` clients (Settings' "Test connection", ``shipdesk ping``) try twice within 3 seconds
and give up connecting after 3 seconds: a wrong address is reported at once, not after the normal
retry budget a running sync needs to ride out a hiccup.
Clients and secrets are made on first use: ``shipdesk list`` needs no credentials at all.
Whoever builds the context decides what differs in demo mode (the demo launcher in ``shipdesk.demo``
hands in the sandboxes' settings, in-memory secrets and the sandboxes' clock as ``now``): the core
never asks whether it runs a demo.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from shipdesk.acumatica.auth import CookieAuth, OAuthAuth
from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.core.clock import Clock, utc_now
from shipdesk.core.domain.audit import computer_name
from shipdesk.core.events import EventBus
from shipdesk.core.settings import secrets
from shipdesk.core.settings.config import Config
from shipdesk.core.settings.config import PrinterProfile as PrinterSettings
from shipdesk.core.settings.paths import DataPaths
from shipdesk.core.shipping.checkpoints import Checkpoint, no_checkpoint
from shipdesk.core.store import Store, open_store
from shipdesk.core.store.tokens import StoreTokenStore
from shipdesk.errors import MissingSecretError, Service
from shipdesk.i18n import _
from shipdesk.labels.archive import LabelArchive
from shipdesk.labels.printers import LabelFormat, PrinterKind, PrinterProfile, label_format_for
from shipdesk.net.retry import RetryPolicy
from shipdesk.net.transport import Timeouts, Transport
from shipdesk.ups.client import UpsClient
from shipdesk.ups.token_store import MemoryTokenStore, TokenStore

SecretLookup = Callable[[str], str]
QUICK_TIMEOUTS = Timeouts(connect=3.0, read=30.0)


def quick_transport(service: Service) -> Transport:
    """Two tries within three seconds: for checking a connection while someone waits for the answer."""
    return Transport(service, policy=RetryPolicy(max_attempts=2, budget_seconds=3.0), timeouts=QUICK_TIMEOUTS)


def printer_profile(settings: PrinterSettings, paths: DataPaths) -> PrinterProfile:
    """The config's printer settings as the label printers' profile (``file`` prints to ``<data>/printed``)."""
    return PrinterProfile(name=settings.name, kind=settings.kind, label_format=settings.label_format,
                          host=settings.host or None, port=settings.port, queue=settings.queue or None,
                          folder=paths.root / "printed" if settings.kind is PrinterKind.FILE else None)


def _given_secrets(values: dict[str, str]) -> SecretLookup:
    """Secrets handed over in memory (the demo's): the OS keyring is never read or written."""
    def lookup(name: str) -> str:
        if name not in values:
            raise MissingSecretError(_("{name} is not among the secrets handed to this session.").format(name=name))
        return values[name]
    return lookup


@dataclass
class AppContext:
    config: Config
    paths: DataPaths
    store: Store
    archive: LabelArchive
    #: for display only (the desktop app's DEMO MODE badge); nothing in the core branches on it
    demo: bool = False
    #: the core's "now" (subscriptions, poll cadence, outages): the wall clock unless handed another
    now: Clock = utc_now
    secret: SecretLookup = secrets.get_secret
    token_store: TokenStore | None = None
    #: how often a running Acumatica action (ConfirmShipment...) is polled
    acumatica_poll_seconds: float = 1.0
    #: what happened in the core, for whoever listens (the desktop app's status bar and table)
    events: EventBus = field(default_factory=EventBus)
    #: told each named step of the ship flow; a no-op but in the crash test (``shipping/checkpoints.py``)
    checkpoint: Checkpoint = no_checkpoint
    #: this packing station's name, recorded on its label jobs and in the history
    station: str = ""
    _ups: UpsClient | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @classmethod
    def from_config(cls, config: Config, *, data_dir: Path, demo: bool = False,
                    secret_values: Mapping[str, str] | None = None, now: Clock = utc_now,
                    acumatica_poll_seconds: float = 1.0) -> AppContext:
        """Open the store (``[store] url``, else the SQLite file in ``data_dir``). ``secret_values`` are used
        instead of the keyring and the environment (and the UPS token is then kept in memory only)."""
        paths = DataPaths(Path(data_dir)).ensure()
        station = config.station.name.strip() or computer_name()
        lookup: SecretLookup = secrets.get_secret
        password: str | None = None
        if secret_values is not None:
            lookup = _given_secrets(dict(secret_values))
            password = secret_values.get("store.password")
        elif config.store.url:
            password = secrets.find_secret("store.password")
        store = open_store(paths.root, url=config.store.url, password=password, station=station)
        token_store: TokenStore
        if store.shared:
            token_store = StoreTokenStore()  # one token, one grant count for the whole warehouse
        elif secret_values is not None:
            token_store = MemoryTokenStore()
        else:
            token_store = secrets.FileTokenStore(paths.token_cache)
        return cls(config=config, paths=paths, store=store, archive=LabelArchive(paths.labels), demo=demo,
                   now=now, secret=lookup, token_store=token_store, acumatica_poll_seconds=acumatica_poll_seconds,
                   station=station)

    # -- clients --------------------------------------------------------------------------------
    def acumatica(self, *, quick: bool = False) -> AcumaticaClient:
        """A new client for one command or worker; use it in a ``with`` block (signs out at the end).

        ``quick``: for a connection test (see the module's docstring)."""
        cfg = self.config.acumatica
        self.config.require("acumatica")
        auth: CookieAuth | OAuthAuth
        if cfg.auth == "oauth":
            auth = OAuthAuth(cfg.client_id, self.secret("acumatica.client_secret"), cfg.username,
                             self.secret("acumatica.password"))
        else:
            auth = CookieAuth(cfg.username, self.secret("acumatica.password"), cfg.company, cfg.branch)
        transport = quick_transport(Service.ACUMATICA) if quick else None
        return AcumaticaClient(url=cfg.url, endpoint=cfg.endpoint, version=cfg.version, auth=auth,
                               transport=transport, action_poll_seconds=self.acumatica_poll_seconds,
                               close_transport=True)

    @property
    def ups(self) -> UpsClient:
        """The one UPS client of this process (thread-safe: its token manager serialises refreshes)."""
        with self._lock:
            if self._ups is None:
                self._ups = self.ups_client()
            return self._ups

    def ups_client(self, *, quick: bool = False) -> UpsClient:
        """A new UPS client sharing this process's token store; the caller closes it.

        ``quick``: for a connection test (see the module's docstring)."""
        self.config.require("ups")
        cfg = self.config.ups
        return UpsClient(base_url=cfg.base_url, client_id=cfg.client_id,
                         client_secret=self.secret("ups.client_secret"), account_number=cfg.account_number,
                         token_store=self.token_store, transport=quick_transport(Service.UPS) if quick else None)

    def reconfigure(self, config: Config) -> None:
        """Use ``config`` from now on (settings saved in the app): the next UPS call makes a client with it,
        the old one is closed. Acumatica clients are made per use, so they follow at once."""
        with self._lock:
            old, self._ups = self._ups, None
            self.config = config
        if old is not None:
            old.close()

    # -- printing -------------------------------------------------------------------------------
    def printer(self, name: str | None = None) -> PrinterProfile | None:
        settings = self.config.printing.profile(name)
        return printer_profile(settings, self.paths) if settings else None

    def label_format(self, printer: PrinterProfile | None = None) -> LabelFormat:
        """What to ask UPS for: what the chosen printer prints, else the UPS setting."""
        chosen = printer or self.printer()
        return label_format_for(chosen) if chosen else self.config.ups.label_format

    def close(self) -> None:
        with self._lock:
            if self._ups is not None:
                self._ups.close()
                self._ups = None
        self.store.close()

    def __enter__(self) -> AppContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
