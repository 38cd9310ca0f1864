"""What the window asks of shipdesk's core: ONE small adapter, so the widgets never see the store,
the ship flow or a client.

``Services`` is the protocol every widget codes against; every method may block (network, disk) and
is only ever called through the task bridge, off the GUI thread. ``CoreServices`` (in
``core_services.py``) implements it over ``shipdesk.core``; tests pass a fake.
Methods raise ``ShipdeskError`` whose ``str()`` is the sentence to show.

``events`` is the core's event bus: what changed is told there (shipments, a service's state, a finished
sync), and the window listens through ``ui/core_events.py`` instead of asking again and again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from shipdesk.core.events import EventBus
from shipdesk.core.settings.config import Config
from shipdesk.errors import Service
from shipdesk.ui.packing_view import PackChoice, PackingView
from shipdesk.ui.view_data import (
    ActionResult,
    AddressCheck,
    BatchProgress,
    ChargeEstimate,
    Listing,
    Rates,
    RetryAction,
    ShipmentDetail,
    StatusInfo,
)


class Services(Protocol):
    #: True when talking to the built-in sandboxes (the window shows a DEMO MODE badge)
    demo: bool
    #: where the core tells what changed (published on any thread)
    events: EventBus

    @property
    def config(self) -> Config:
        """The settings in use (the demo settings in demo mode)."""

    #: what the settings dialog edits: the config file's settings (in demo mode too)
    editable_config: Config

    @property
    def data_folder(self) -> Path:
        """The data folder in use (the demo's in demo mode): the window remembers its layout there."""

    # -- reading -----------------------------------------------------------------------------------
    def listing(self) -> Listing:
        """Every shipment known locally, as table rows, with counts per state (local store only)."""

    def detail(self, shipment: str) -> ShipmentDetail:
        """Everything the detail pane shows for one shipment (local store and label archive only)."""

    def status(self) -> StatusInfo:
        """Connection states, last/next sync, pending write-backs (local only, no network: a cheap read
        the window makes when an event says one of them changed)."""

    # -- actions (network) -------------------------------------------------------------------------
    def pull(self) -> str:
        """Refresh the local list from Acumatica; returns a short summary sentence."""

    def validate_address(self, shipment: str) -> AddressCheck: ...

    def choose_candidate(self, shipment: str, index: int) -> None: ...

    def override_address(self, shipment: str, reason: str) -> None: ...

    def rate(self, shipment: str, *, shop: bool = False) -> Rates:
        """UPS's quote for the mapped service; ``shop``: every service (a labelled shipment says what it cost)."""

    def estimate_charges(self, shipments: Sequence[str], *, cancel: threading.Event,
                         progress: Callable[[int], None]) -> ChargeEstimate:
        """A UPS rate quote for each shipment (one Rate call each), until ``cancel`` is set."""

    def let_next_through(self, service: Service) -> None:
        """The next call tries ``service`` although it is known to be down (a person pressed Retry)."""

    def ship(self, shipment: str, *, print_labels: bool = True) -> ActionResult: ...

    def ship_many(
        self,
        shipments: Sequence[str],
        *,
        cancel: threading.Event,
        progress: Callable[[BatchProgress], None],
        print_labels: bool = True,
    ) -> list[ActionResult]:
        """Ship each in turn, never stopping at a failure; stops between shipments once ``cancel`` is set."""

    def reprint(self, shipment: str) -> ActionResult: ...

    def print_if_unprinted(self, shipment: str) -> ActionResult | None:
        """A scanned shipment already labelled whose labels were never printed (automatic mode's archive): print
        them; None when there is nothing to print."""

    def set_automatic(self, running: bool) -> str:
        """Stop or start automatic labelling (the switch in the store, for every station); the sentence to show."""

    def void(self, shipment: str) -> ActionResult: ...

    def return_label(self, shipment: str, *, electronic: bool, email: str = "", rma: str = "") -> ActionResult:
        """A UPS return label for a shipped shipment: printed, or emailed by UPS (``electronic``)."""

    # the packing station (issue 15)
    def packing(self, shipment: str) -> PackingView:
        """The Pack dialog's view: packages, boxes, services with price and delivery date, default options."""

    def weigh(self, unit: str) -> tuple[Decimal, str]:
        """One stable weight from the station's scale in ``unit``, and what the scale showed."""

    def pack(self, shipment: str, choice: PackChoice, *, ship: bool) -> ActionResult:
        """Save the packages to Acumatica (read back); with ``ship``, then the label with the service and options."""

    def test_scale(self, config: Config) -> str:
        """Settings › Scale › Test: what the scale shows."""

    def day_summary(self, day: date, target: Path) -> str:
        """Write the day's summary (PDF, or CSV for a .csv target); the sentence to show."""

    def retry(self, shipment: str, action: RetryAction) -> ActionResult:
        """Run again the step that failed (``ShipmentDetail.retry_action``), or ``FORCE_NEW``: a new label
        for an uncertain one, after the user confirmed. (``VALIDATE`` is the window's: the address dialog.)"""

    def sync_once(self) -> str:
        """One background cycle: pull, track, write back; returns a short summary sentence."""

    # -- settings ----------------------------------------------------------------------------------
    # ``typed_secrets``: secrets typed in the dialog and not saved yet (name → value); the others come
    # from the keyring

    def test_acumatica(self, config: Config, typed_secrets: Mapping[str, str]) -> str:
        """Sign in and out with these settings; returns what worked, raises what did not."""

    def test_ups(self, config: Config, typed_secrets: Mapping[str, str]) -> str: ...

    def test_store(self, config: Config, typed_secrets: Mapping[str, str]) -> str:
        """Connect once to the shared store of these settings; returns what is there, raises what is wrong."""

    def ship_via_codes(self, config: Config, typed_secrets: Mapping[str, str]) -> list[str]: ...

    def save_settings(self, config: Config, secrets: dict[str, str]) -> Config:
        """Write the config file (keeping comments) and secrets to the keyring; returns the new config."""

    def close(self) -> None:
        """Stop background work and log the Acumatica session out."""
