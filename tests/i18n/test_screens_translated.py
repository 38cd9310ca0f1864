"""The clerk's screens show no English word that did not go through the catalogue: checked on the real windows.

A staged demo day (docs/make_screenshots.py: shipped, in transit, delivered, needing attention) is shown
with a pseudo-catalogue that wraps every translated text in ⟦…⟧, and Qt's own words in Spanish. Every word
a clerk can read on the main window (menus, toolbar, table headers and states, the detail pane, the status
bar, tooltips) and on the dialogs of a packing day (address choice, batch results) must then sit inside
⟦…⟧, be Qt's own Spanish, or be data: what Acumatica and UPS sent (names, addresses, UPS's scan texts),
numbers, codes. A text that skips ``_()`` shows up here by name.
"""

from __future__ import annotations

import getpass
import gettext
import re
import socket
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabBar,
    QTextEdit,
    QWidget,
)

import shipdesk.i18n.language as language
from shipdesk.core.store.models import PackageRecord, ShipmentRecord, TrackingEvent
from shipdesk.i18n import use_language
from shipdesk.ui.translation import install_qt_translations
from shipdesk.ups.services import ServiceCode
from tests.support.docs_scripts import load_docs_script

OPEN, CLOSE = "⟦", "⟧"
#: names, not words: products, formats and units that read the same in every language
NAMES = {"ups", "acumatica", "shipdesk", "zpl", "pdf", "gif", "png", "csv", "id", "lb", "kg", "oz", "cm", "in",
         "usd", "mxn", "cad", "eur", "qt", "ok"}
WORD = re.compile(r"[^\W\d_]+")


class Pseudo(gettext.NullTranslations):
    """Every text that goes through the catalogue comes back marked."""

    def gettext(self, message: str) -> str:
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"{OPEN}{singular if n == 1 else plural}{CLOSE}"


def _plain(text: str) -> str:
    if "<" in text and ">" in text:
        document = QTextDocument()
        document.setHtml(text)
        return document.toPlainText()
    return text


def _unmarked(text: str) -> str:
    """What is left of ``text`` outside ⟦…⟧ (innermost first: a sentence may hold translated pieces)."""
    previous = None
    while previous != text:
        previous, text = text, re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", text)
    return text


def texts_of(window: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a person can read in ``window`` and its visible children."""
    widgets = [window, *window.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisibleTo(window) and widget is not window:
            continue
        name = f"{type(widget).__name__}({widget.objectName()})"
        if widget.isWindow():
            yield name + ".windowTitle", widget.windowTitle()
        yield name + ".toolTip", widget.toolTip()
        if isinstance(widget, QLabel):
            yield name, _plain(widget.text())
        elif isinstance(widget, QAbstractButton):
            yield name, widget.text().replace("&", "")
        elif isinstance(widget, QGroupBox):
            yield name, widget.title()
        elif isinstance(widget, QLineEdit):
            yield name + ".placeholder", widget.placeholderText()
        elif isinstance(widget, QTextEdit):
            yield name, widget.toPlainText()
        elif isinstance(widget, QComboBox):
            yield from ((name, widget.itemText(i)) for i in range(widget.count()))
        elif isinstance(widget, QTabBar):
            yield from ((name, widget.tabText(i)) for i in range(widget.count()))
        elif isinstance(widget, QMenu):
            yield from ((name, action.text().replace("&", "")) for action in widget.actions())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            root = QModelIndex()
            columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
            for column in range(columns):
                yield name + ".header", str(model.headerData(column, Qt.Orientation.Horizontal) or "")
                for row in range(min(model.rowCount(root), 200)):
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        value = model.data(model.index(row, column), role)
                        if isinstance(value, str):
                            yield f"{name}[{row},{column}]", value
        for action in widget.actions():
            yield name + ".action", action.text().replace("&", "")
            yield name + ".action.toolTip", action.toolTip()


def data_words() -> set[str]:
    """Every word the services sent (and the store keeps as data): names, cities, UPS's scan texts..."""
    words: set[str] = set()

    def add(value: object) -> None:
        if isinstance(value, str):
            words.update(w.lower() for w in WORD.findall(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                add(key)
                add(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                add(item)

    for shipment in ShipmentRecord.select():
        add([shipment.shipment_nbr, shipment.status, shipment.ship_via, shipment.customer_id, shipment.ship_to_name,
             shipment.ship_to_attention, shipment.ship_to_line1, shipment.ship_to_line2,
             shipment.ship_to_city, shipment.ship_to_state, shipment.ship_to_country,
             shipment.ship_to_email, shipment.order_numbers, shipment.raw])
    for package in PackageRecord.select():
        add([package.box_id, package.uom, package.tracking_number, package.status_description, package.signed_by])
    for event in TrackingEvent.select():
        add([event.description, event.location])
    add([getpass.getuser(), socket.gethostname()])  # who and where, in the history
    return words


def candidate_words(check: object) -> set[str]:
    """The addresses UPS offered: its data, in its capitals."""
    return {w.lower() for w in WORD.findall(repr(check))}


def service_words() -> set[str]:
    """UPS's service names ("Ground", "Next Day Air"): UPS keeps them in English in every country."""
    return {w.lower() for service in ServiceCode for w in WORD.findall(service.label)}


def qt_own_words() -> set[str]:
    """Qt's words in the chosen language: its standard buttons and key names, as Qt's catalogue gives them."""
    box = QDialogButtonBox()
    names = ("Ctrl+Shift+Del", "Alt+Backspace", "Ins", "Home", "End", "PgUp", "PgDown", "Esc", "Tab", "Return",
             "Enter", "Space", "Meta+F5")
    native = " ".join(QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText) for keys in names)
    words = {w.lower() for w in WORD.findall(native)}
    for button in QDialogButtonBox.StandardButton:
        if button not in (QDialogButtonBox.StandardButton.NoButton,):
            added = box.addButton(button)
            if added is not None:
                words.update(w.lower() for w in WORD.findall(added.text().replace("&", "")))
    return words


def english_left(texts: Iterator[tuple[str, str]], allowed: set[str]) -> list[str]:
    found = []
    for where, text in texts:
        words = WORD.findall(_unmarked(text).replace("Ship Via", " "))  # Acumatica's field name, kept everywhere
        left = [w for w in words if len(w) > 1 and w.lower() not in allowed]
        if left:
            found.append(f"{where}: {text!r} → {left}")
    return sorted(set(found))


@pytest.fixture
def pseudo_language(qapp):
    use_language("es")
    install_qt_translations(qapp)  # Qt's own words in Spanish
    saved = language._translations
    language._translations = Pseudo()
    yield
    language._translations = saved
    use_language("en")
    install_qt_translations(qapp)


@pytest.mark.timeout(120)
def test_the_clerks_screens_show_only_translated_words(qapp, tmp_path, monkeypatch, pseudo_language):
    monkeypatch.delenv("SHIPDESK_DEMO_ACUMATICA_URL", raising=False)
    monkeypatch.delenv("SHIPDESK_DEMO_UPS_URL", raising=False)
    shots = load_docs_script("make_screenshots")
    from shipdesk.ui.dialogs.address_dialog import AddressDialog
    from shipdesk.ui.window.main_window import MainWindow

    with shots.demo_day(tmp_path / "data") as day:
        shots.stage_warehouse_day(day)
        allowed = NAMES | data_words() | qt_own_words() | service_words()
        window = MainWindow(day.services)
        window.resize(*shots.WINDOW_SIZE)
        window.show()
        shots._wait_for(window.listing_loaded, qapp)
        delivered = sorted(str(r[0]) for r in window.shipments.model.rows() if "delivered" in str(r))
        chosen = delivered[0] if delivered else window.shipments.model.shipment_at(0)
        shots._wait_for(window.detail_loaded, qapp, lambda: window.shipments.select_shipment(chosen))
        shots._settle(qapp)
        problems = english_left(texts_of(window), allowed)
        for menu in window.menuBar().findChildren(QMenu):
            problems += english_left(texts_of(menu), allowed)

        check = day.services.validate_address(shots.AMBIGUOUS_SHIPMENT)
        dialog = AddressDialog(check)
        dialog.show()
        shots._settle(qapp)
        problems += english_left(texts_of(dialog), allowed | candidate_words(check.candidates))
        dialog.deleteLater()
        window.bridge.wait_for_done(shots.WAIT_MS)
        window.hide()
        window.deleteLater()
        QCoreApplication.processEvents()
    assert not problems, f"{len(problems)} texts show words that skip the catalogue:\n" + "\n".join(problems)
