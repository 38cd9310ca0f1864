"""Make the README screenshots from a real demo day: ``python docs/make_screenshots.py [OUT_DIR] [--language es]``.

Starts the built-in sandboxes, pulls the seeded shipments, ships a few of them and moves the simulated
clock so the table shows a realistic mix (ready, needs attention, written back, in transit, delivered,
exception), then saves:

- ``main-window.png``     the window with a delivered shipment selected (label preview, UPS events);
- ``address-dialog.png``  the ambiguous Springfield shipment beside UPS's candidates;
- ``settings-dialog.png`` the Acumatica tab of an example configuration (no secret shown);
- ``batch-results.png``   a batch of three ready shipments and three that need attention: failures first,
  each with what to do.

With ``--language es`` (or ``fr``) the same day is shown in that language and the files are named
``main-window-es.png``... (docs/languages.md shows them).

Everything runs in a throw-away data folder; the user's own config, keyring and data are not touched.
Works offscreen (``QT_QPA_PLATFORM=offscreen``) or on a real display.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script from a source checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from shipdesk.core.context import AppContext
from shipdesk.core.settings.config import (
    AcumaticaConfig,
    Config,
    PrinterProfile,
    PrintingConfig,
    ShipperConfig,
    UpsConfig,
)
from shipdesk.core.tracking.sync import SyncService
from shipdesk.demo.launcher import DEMO_SECRETS
from shipdesk.demo.settings import demo_config
from shipdesk.i18n import use_language
from shipdesk.sandbox import Sandboxes, start_sandboxes
from shipdesk.ui.core_services import CoreServices
from shipdesk.ui.translation import install_qt_translations
from shipdesk.ui.view_data import Col

WINDOW_SIZE = (1440, 900)
AMBIGUOUS_SHIPMENT = "SH000120"  # "742 Main St, Springfield", no state: UPS offers candidates
EXCEPTION_SHIPMENT = "SH000126"  # its attention line makes the UPS sandbox track it into an exception
WAIT_MS = 30_000
#: in the batch beside ready ones: a Ship Via not mapped to UPS, an address UPS does not know, a 0 lb package
NEEDS_ATTENTION = ("SH000111", "SH000119", "SH000121")

#: what an IT admin would have typed for a real site (fictional names; secrets live in the keyring)
EXAMPLE_CONFIG = Config(
    acumatica=AcumaticaConfig(url="https://acme.acumatica.com", version="24.200.001", company="ACME",
                              username="shipdesk"),
    ups=UpsConfig(client_id="a1B2c3D4e5F6g7H8", account_number="A1B2C3",
                  services={"UPSGROUND": "03", "UPS2DAY": "02", "UPSNEXTDAY": "01"}),
    shipper=ShipperConfig(name="ACME Industrial Supply", address_lines=("100 Main St",), city="Atlanta",
                          state="GA", postal_code="30301", country="US", phone="4045550100"),
    printing=PrintingConfig(profiles=(
        PrinterProfile(name="Dock 1 Zebra", kind="network", label_format="ZPL", host="10.0.4.21"),
        PrinterProfile(name="Office laser", kind="system", label_format="GIF"),
    ), default_profile="Dock 1 Zebra"),
)


@dataclass
class DemoDay:
    sandboxes: Sandboxes
    services: CoreServices


def _app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    from shipdesk.ui.theme import apply_theme

    apply_theme(app)
    return app


@contextmanager
def demo_day(data_dir: Path) -> Iterator[DemoDay]:
    """Sandboxes and the real core over them, in ``data_dir``; stopped and signed out at the end."""
    sandboxes = start_sandboxes()
    try:
        config = demo_config(sandboxes.acumatica_url, sandboxes.ups_url)
        context = AppContext.from_config(config, data_dir=data_dir, demo=True, secret_values=DEMO_SECRETS,
                                         now=sandboxes.clock.now)  # the staged day's time
        services = CoreServices(context, file_config=EXAMPLE_CONFIG)
        try:
            yield DemoDay(sandboxes, services)
        finally:
            services.close()
    finally:
        sandboxes.stop()


def _ready_shipments(services: CoreServices) -> list[str]:
    """Ready, single-package US shipments, in number order (the ones a packer would ship first)."""
    rows = services.listing().rows
    return sorted(str(r[Col.SHIPMENT]) for r in rows
                  if r[Col.STATE] in ("pending", "ready") and r[Col.COUNTRY] == "US"
                  and r[Col.PACKAGES] == 1 and r[Col.SHIPMENT] not in (AMBIGUOUS_SHIPMENT, EXCEPTION_SHIPMENT)
                  and not str(r[Col.SERVICE]).endswith("not mapped"))


def stage_warehouse_day(day: DemoDay) -> None:
    """Ship some shipments two days ago, some this morning and one now, so every state shows up."""
    services = day.services
    services.pull()
    ready = _ready_shipments(services)
    two_days_ago, this_morning, now = ready[:3], ready[3:5], ready[5:]
    for nbr in [*two_days_ago, EXCEPTION_SHIPMENT]:
        services.ship(nbr, print_labels=False)
    day.sandboxes.advance(hours=28)
    for nbr in this_morning:
        services.ship(nbr, print_labels=False)
    day.sandboxes.advance(hours=12)  # the first ones delivered, this morning's picked up
    for nbr in now:  # the first that UPS accepts: some "ready" ones fail address validation
        if services.ship(nbr, print_labels=False).ok:
            break
    SyncService(services.context, flow=services.flow).run_cycle()  # brings the UPS scans in


def _settle(app: QApplication, ms: int = 200) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def _wait_for(signal: object, app: QApplication, action: object = None) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(WAIT_MS, loop.quit)  # never hang a docs build
    if callable(action):
        action()
    loop.exec()
    app.processEvents()


def _save(widget: QWidget, path: Path) -> Path:
    widget.grab().save(str(path), "PNG")
    return path


def shoot_main_window(day: DemoDay, out: Path) -> Path:
    from shipdesk.ui.window.main_window import MainWindow

    app = _app()
    window = MainWindow(day.services)
    window.resize(*WINDOW_SIZE)
    window.show()
    _wait_for(window.listing_loaded, app)
    window.refresh()
    delivered = sorted(str(r[Col.SHIPMENT]) for r in window.shipments.model.rows() if r[Col.STATE] == "delivered")
    chosen = delivered[0] if delivered else window.shipments.model.shipment_at(0)
    _wait_for(window.detail_loaded, app, lambda: window.shipments.select_shipment(chosen))
    _settle(app)
    path = _save(window, out / "main-window.png")
    window.bridge.wait_for_done(WAIT_MS)
    window.hide()
    window.deleteLater()
    return path


def shoot_address_dialog(day: DemoDay, out: Path) -> Path:
    from shipdesk.ui.dialogs.address_dialog import AddressDialog

    app = _app()
    check = day.services.validate_address(AMBIGUOUS_SHIPMENT)
    dialog = AddressDialog(check)
    dialog.show()
    _settle(app)
    path = _save(dialog, out / "address-dialog.png")
    dialog.deleteLater()
    return path


def shoot_settings_dialog(day: DemoDay, out: Path) -> Path:
    from shipdesk.ui.bridge import TaskBridge
    from shipdesk.ui.dialogs.settings_dialog import SettingsDialog

    app = _app()
    bridge = TaskBridge()
    dialog = SettingsDialog(day.services, bridge)
    dialog.tabs.setCurrentIndex(0)  # Acumatica
    dialog.show()
    _settle(app)
    path = _save(dialog, out / "settings-dialog.png")
    dialog.deleteLater()
    return path


def shoot_batch_results(day: DemoDay, out: Path) -> Path:
    from shipdesk.ui.bridge import TaskBridge
    from shipdesk.ui.dialogs.batch_dialog import BatchShipDialog

    app = _app()
    shipments = [*_ready_shipments(day.services)[:3], *NEEDS_ATTENTION]
    bridge = TaskBridge()
    dialog = BatchShipDialog(day.services, bridge, shipments, print_labels=False)
    _wait_for(dialog.finished_batch, app, dialog.start)
    _settle(app)
    path = _save(dialog, out / "batch-results.png")
    bridge.wait_for_done(WAIT_MS)
    dialog.hide()
    dialog.deleteLater()
    return path


def make_screenshots(out_dir: Path, language: str = "en") -> list[Path]:
    """Stage a demo day in a throw-away folder and save the four screenshots in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    app = _app()
    use_language(language)
    install_qt_translations(app)
    try:
        with tempfile.TemporaryDirectory(prefix="shipdesk-shots-") as tmp, demo_day(Path(tmp) / "data") as day:
            stage_warehouse_day(day)
            paths = [shoot_main_window(day, out_dir), shoot_address_dialog(day, out_dir),
                     shoot_settings_dialog(day, out_dir), shoot_batch_results(day, out_dir)]
            QCoreApplication.processEvents()
    finally:
        use_language("en")
        install_qt_translations(app)
    if language == "en":
        return paths
    return [path.replace(path.with_name(f"{path.stem}-{language}{path.suffix}")) for path in paths]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Make the README screenshots from a staged demo day.")
    parser.add_argument("out", nargs="?", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--language", default="en", choices=["en", "es", "fr"])
    args = parser.parse_args(argv[1:])
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for path in make_screenshots(args.out, args.language):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
