"""A stand-in for ``shipdesk.ui.services.Services``: canned data, records every call, can be told to fail.

Like ``CoreServices`` it tells its event bus what happened: a failure talking to a service publishes
``ServiceStatusChanged``, ``sync_once`` publishes ``SyncFinished``, and ``status()`` reflects what was told.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from shipdesk.core.domain.states import State
from shipdesk.core.events import EventBus, ServiceStatusChanged, SyncFinished
from shipdesk.core.settings.config import Config
from shipdesk.demo.settings import demo_config
from shipdesk.errors import RemoteError, Service, ShipdeskError
from shipdesk.ui.packing_view import BoxChoice, PackageLine, PackChoice, PackingView, ServiceQuote, TickedOptions
from shipdesk.ui.view_data import (
    ActionResult,
    AddressCheck,
    AddressView,
    BatchProgress,
    Candidate,
    ChargeEstimate,
    EstimateLine,
    Listing,
    RateLine,
    Rates,
    RetryAction,
    Row,
    ShipmentDetail,
    StatusInfo,
    UncertainCheck,
    UncertainLabel,
)

#: the state cycle used for generated rows (so every group has members)
STATE_CYCLE = (State.READY, State.READY, State.NEEDS_ATTENTION, State.WRITTEN_BACK, State.IN_TRANSIT,
               State.DELIVERED, State.EXCEPTION, State.LABELLED, State.VOIDED, State.UNCERTAIN, State.FAILED,
               State.PENDING)
CITIES = (("Atlanta", "GA"), ("New York", "NY"), ("San José", "CA"), ("Zürich", ""), ("Austin", "TX"))


def generated_rows(n: int) -> list[Row]:
    rows = []
    for i in range(n):
        state = STATE_CYCLE[i % len(STATE_CYCLE)]
        city, region = CITIES[i % len(CITIES)]
        shipped = state not in (State.READY, State.PENDING, State.NEEDS_ATTENTION)
        rows.append(Row(
            shipment=f"SH{i:06d}", order=f"SO{i:06d}", customer=f"Customer {i % 997}",
            city=city, region=region, country="CH" if city == "Zürich" else "US",
            service="UPSGROUND → 03", packages=1 + i % 3, weight=1.5 + i % 40, state=state.value,
            tracking=f"1ZA1B2C3{i:010d}" if shipped else "",
            last_event="Delivered" if state == State.DELIVERED else "",
            delivered="2026-11-20" if state == State.DELIVERED else "",
        ))
    return rows


@dataclass
class FakeServices:
    rows: list[Row] = field(default_factory=lambda: generated_rows(50))
    demo: bool = True
    calls: list[tuple[str, tuple]] = field(default_factory=list)
    #: method name → error to raise
    failures: dict[str, ShipdeskError] = field(default_factory=dict)
    #: ship_many waits on this before each shipment after the first (lets a test cancel mid-batch)
    batch_gate: threading.Event | None = None
    saved: list[tuple[Config, dict[str, str]]] = field(default_factory=list)
    events: EventBus = field(default_factory=EventBus)
    #: what status() says of each service: "connected" until a failure (or an event) says otherwise
    health: dict[Service, str] = field(default_factory=lambda: {s: "connected" for s in Service})
    _config: Config = field(default_factory=lambda: demo_config("http://127.0.0.1:1", "http://127.0.0.1:2"))

    @property
    def config(self) -> Config:
        return self._config

    @property
    def editable_config(self) -> Config:
        return self._config

    @property
    def data_folder(self) -> Path:
        from shipdesk.core.settings.paths import data_dir

        return data_dir()  # the test's own (tests/conftest.py)

    def __post_init__(self) -> None:
        self.events.subscribe(ServiceStatusChanged, self._heard)

    def _heard(self, event: ServiceStatusChanged) -> None:
        self.health[event.service] = "connected" if event.reachable else "unreachable"

    def _call(self, name: str, *args: object) -> None:
        self.calls.append((name, args))
        if name in self.failures:
            error = self.failures[name]
            if isinstance(error, RemoteError):
                self.events.publish(ServiceStatusChanged(error.service, reachable=False, sentence=str(error)))
            raise error

    def called(self, name: str) -> list[tuple]:
        return [args for n, args in self.calls if n == name]

    def listing(self) -> Listing:
        self._call("listing")
        return Listing(list(self.rows), dict(Counter(r.state for r in self.rows)))

    def detail(self, shipment: str) -> ShipmentDetail:
        self._call("detail", shipment)
        row = next(r for r in self.rows if r[0] == shipment)
        state = State(row[9])
        problem, retry = {
            State.NEEDS_ATTENTION: ("Ship-to postal code is empty: fill it in Acumatica.", RetryAction.VALIDATE),
            State.UNCERTAIN: ("UPS did not answer after the label request was sent.", RetryAction.RECONCILE),
        }.get(state, ("", None))
        uncertain = UncertainLabel("10:02", (UncertainCheck("10:03", "UPS reference search: nothing listed"),),
                                   "10:32", can_decide=True) if state == State.UNCERTAIN else None
        return ShipmentDetail(shipment=shipment, state=state.value, state_label=state.label, customer=row[2],
                              ship_to=AddressView(name=row[2], lines=("1 Main St",), city=row[3]),
                              problem=problem, retry_action=retry, uncertain=uncertain)

    def status(self) -> StatusInfo:
        self._call("status")
        return StatusInfo(acumatica=self.health[Service.ACUMATICA], ups=self.health[Service.UPS], demo=self.demo)

    def pull(self) -> str:
        self._call("pull")
        return "2 new shipments."

    def validate_address(self, shipment: str) -> AddressCheck:
        self._call("validate_address", shipment)
        return AddressCheck(shipment, AddressView(lines=("1 Mian St",), city="Atlanta"), "ambiguous",
                            candidates=(Candidate(("1 MAIN ST",), "ATLANTA", "GA", "30301", "US",
                                                  "commercial"),))

    def choose_candidate(self, shipment: str, index: int) -> None:
        self._call("choose_candidate", shipment, index)

    def override_address(self, shipment: str, reason: str) -> None:
        self._call("override_address", shipment, reason)

    def rate(self, shipment: str, *, shop: bool = False) -> Rates:
        self._call("rate", shipment, shop)
        lines = [RateLine("UPS Ground", "12.00 USD", "9.50 USD", "3", "Thu 10 Dec", mapped=True)]
        if shop:
            lines.append(RateLine("UPS 2nd Day Air", "24.00 USD", "19.00 USD", "2", "Wed 9 Dec"))
        return Rates(shipment, tuple(lines), shop=shop)

    def estimate_charges(self, shipments: Sequence[str], *, cancel: threading.Event,
                         progress: Callable[[int], None]) -> ChargeEstimate:
        self._call("estimate_charges", tuple(shipments))
        lines = []
        for nbr in shipments:
            if cancel.is_set():
                break
            lines.append(EstimateLine(nbr, problem="Ship Via FEDEX is not mapped.") if nbr.endswith("2")
                         else EstimateLine(nbr, "UPS Ground", "9.50 USD"))
            progress(len(lines))
        total = sum(9.5 for line in lines if not line.problem)
        return ChargeEstimate(tuple(lines), (f"{total:.2f} USD",), cancelled=cancel.is_set())

    def let_next_through(self, service: Service) -> None:
        self._call("let_next_through", service)

    def ship(self, shipment: str, *, print_labels: bool = True) -> ActionResult:
        self._call("ship", shipment)
        tracking = "1ZA1B2C30300000001"
        return ActionResult(shipment, True, f"{shipment} labelled: {tracking}.", (tracking,))

    def ship_many(self, shipments: Sequence[str], *, cancel: threading.Event,
                  progress: Callable[[BatchProgress], None], print_labels: bool = True) -> list[ActionResult]:
        self._call("ship_many", tuple(shipments))
        results = []
        for i, nbr in enumerate(shipments):
            if cancel.is_set():
                break
            if i and self.batch_gate is not None:
                self.batch_gate.wait(5)
                if cancel.is_set():
                    break
            ok = not nbr.endswith("2")
            result = ActionResult(nbr, ok, "labelled" if ok else "UPS refused: invalid postal code.")
            results.append(result)
            progress(BatchProgress(i + 1, len(shipments), nbr, result))
        return results

    def reprint(self, shipment: str) -> ActionResult:
        self._call("reprint", shipment)
        return ActionResult(shipment, True, "Reprinted.")

    def print_if_unprinted(self, shipment: str) -> ActionResult | None:
        return None  # nothing labelled with no hands here: a scan only selects (or ships)

    def set_automatic(self, running: bool) -> str:
        self._call("set_automatic", running)
        return "Automatic labelling runs again." if running else "Automatic labelling is stopped."

    def void(self, shipment: str) -> ActionResult:
        self._call("void", shipment)
        return ActionResult(shipment, True, "Voided.")

    def return_label(self, shipment: str, *, electronic: bool, email: str = "", rma: str = "") -> ActionResult:
        self._call("return_label", shipment, electronic, email, rma)
        return ActionResult(f"{shipment}-R1", True, "Return label made.")

    # the packing station (issue 15)
    weights: list[Decimal] = field(default_factory=list)  # what the fake scale shows, one per weigh()

    def packing(self, shipment: str) -> PackingView:
        self._call("packing", shipment)
        return PackingView(shipment, "UPSGROUND", "LB", (PackageLine("MEDIUM", Decimal("12.5")),),
                           (BoxChoice("SMALL", Decimal(10), Decimal(8), Decimal(6), Decimal("0.3")),
                            BoxChoice("MEDIUM", Decimal(14), Decimal(12), Decimal(10), Decimal("0.6"))),
                           "03", TickedOptions(), "dock@example.com", "the scale on COM3",
                           (ServiceQuote("03", "UPS Ground", "18.95 USD", "14.21 USD", "Thu 10 Dec"),
                            ServiceQuote("02", "UPS 2nd Day Air", "31.20 USD", "23.40 USD", "Wed 9 Dec")))

    def weigh(self, unit: str) -> tuple[Decimal, str]:
        self._call("weigh", unit)
        weight = self.weights.pop(0) if self.weights else Decimal("1.0")
        return weight, f"{weight} lb, stable"

    def pack(self, shipment: str, choice: PackChoice, *, ship: bool) -> ActionResult:
        self._call("pack", shipment, choice, ship)
        return ActionResult(shipment, True, "Shipment labelled." if ship else "Packages saved.")

    def test_scale(self, config: Config) -> str:
        self._call("test_scale", config)
        return "Scale OK: 0.00 lb, stable"

    def day_summary(self, day: date, target: Path) -> str:
        self._call("day_summary", day, target)
        target.write_bytes(b"%PDF-1.4 fake")
        return f"Day summary {day.isoformat()} saved to {target}."

    def retry(self, shipment: str, action: RetryAction) -> ActionResult:
        self._call("retry", shipment, action)
        return ActionResult(shipment, True, "Done.")

    def sync_once(self) -> str:
        self._call("sync_once")
        now = datetime.now(UTC)
        self.events.publish(SyncFinished(started_at=now, finished_at=now, ok=True, summary="Nothing new."))
        return "Nothing new."

    def test_acumatica(self, config: Config, typed_secrets: Mapping[str, str]) -> str:
        self._call("test_acumatica", config.acumatica.url)
        return "Signed in to Acumatica."

    def test_ups(self, config: Config, typed_secrets: Mapping[str, str]) -> str:
        self._call("test_ups", config.ups.base_url)
        return "UPS accepted the credentials."

    def test_store(self, config: Config, typed_secrets: Mapping[str, str]) -> str:
        self._call("test_store", config.store.url, dict(typed_secrets))
        return "Connected to PostgreSQL."

    def ship_via_codes(self, config: Config, typed_secrets: Mapping[str, str]) -> list[str]:
        self._call("ship_via_codes")
        return ["UPSGROUND", "UPS2DAY", "FEDEX"]

    def save_settings(self, config: Config, secrets: dict[str, str]) -> Config:
        self._call("save_settings")
        self.saved.append((config, secrets))
        self._config = config
        return config

    def close(self) -> None:
        self._call("close")
