"""Every piece of shipdesk the benchmarks use, imported in this one place.

The code is being restructured (issue 10): when a module moves, fix its line here and every benchmark
follows. The benchmarks otherwise use only what a user's program would: the context, the ship flow,
the sync service, the store, the desktop app's window over its core services.
"""

from __future__ import annotations

from shipdesk.acumatica.models import Address, Contact, OrderLink, Package, Shipment
from shipdesk.acumatica.ship_via import CarrierPlugins
from shipdesk.core.context import AppContext
from shipdesk.core.domain.outcomes import ProgressEvent
from shipdesk.core.domain.states import State
from shipdesk.core.settings.config import Config, PrinterProfile, PrintingConfig, SyncConfig
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.shipping.pull import pull_shipments
from shipdesk.core.store import open_store, repository
from shipdesk.core.store.models import ShipmentRecord
from shipdesk.core.tracking import poll_schedule
from shipdesk.core.tracking.cycle_report import CycleReport
from shipdesk.core.tracking.sync import SyncService
from shipdesk.demo.clock import SandboxClock
from shipdesk.demo.launcher import DEMO_SECRETS
from shipdesk.demo.settings import demo_config
from shipdesk.labels import decode_label, preview_png
from shipdesk.ups.client import UpsClient
from shipdesk.ups.models import TrackEvent

__all__ = [
    "DEMO_SECRETS",
    "Address",
    "AppContext",
    "CarrierPlugins",
    "Config",
    "Contact",
    "CycleReport",
    "OrderLink",
    "Package",
    "PrinterProfile",
    "PrintingConfig",
    "ProgressEvent",
    "SandboxClock",
    "ShipFlow",
    "Shipment",
    "ShipmentRecord",
    "State",
    "SyncConfig",
    "SyncService",
    "TrackEvent",
    "UpsClient",
    "decode_label",
    "demo_config",
    "open_store",
    "poll_schedule",
    "preview_png",
    "pull_shipments",
    "repository",
]
