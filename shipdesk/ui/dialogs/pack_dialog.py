"""Shipment › Pack…: the packages as packed (box, weight from the scale or typed, sizes), the service with its
price and delivery date, and the options people tick; Enter ships.

With a scale at the station, a single package is weighed as the dialog opens (the weight shows as soon as it
is stable); several are weighed one at a time with Weigh (the clerk puts the next one on, selects its row,
presses Weigh: that is the confirmation). Weighing runs on a worker, never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from shipdesk.errors import ShipdeskError
from shipdesk.i18n import N_, _
from shipdesk.i18n.formats import UNIT_SYMBOLS
from shipdesk.ui.bridge import TaskBridge, async_slot, run_in_worker
from shipdesk.ui.packing_view import PackageLine, PackChoice, PackingView, TickedOptions
from shipdesk.ui.scanner import closed_by_scans

SIGNATURES = (("none", N_("No signature")), ("required", N_("Signature required")),
              ("adult", N_("Adult signature required")))
EVENTS = (("ship", N_("shipped")), ("exception", N_("exception")), ("delivery", N_("delivered")))
#: pounds go with inches, kilograms with centimetres: UPS wants one system per package
LENGTH_OF_WEIGHT = {"lb": "in", "kg": "cm", "oz": "in"}


def columns(weight_unit: str) -> list[str]:
    """The package table's headers, each with its unit ("Weight (kg)", "Length (cm)")."""
    weight = UNIT_SYMBOLS.get(weight_unit.upper(), weight_unit.lower())
    length = LENGTH_OF_WEIGHT.get(weight, "in")
    return [_("Box"), _("Weight ({unit})").format(unit=weight), _("Length ({unit})").format(unit=length),
            _("Width ({unit})").format(unit=length), _("Height ({unit})").format(unit=length)]


#: reads one stable weight in the shipment's unit, and says what the scale showed ("3.42 lb, stable")
Weigh = Callable[[], tuple[Decimal, str]]


class PackDialog(QDialog):
    def __init__(self, view: PackingView, weigh: Weigh, bridge: TaskBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view, self.read_scale, self.bridge = view, weigh, bridge
        self.ship_now = True
        self.setWindowTitle(_("Pack {shipment}").format(shipment=view.shipment))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Packages of {shipment}: saved to the Acumatica shipment before the label.").format(
            shipment=view.shipment)))
        headers = columns(view.weight_unit or "LB")
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        layout.addWidget(self.table)
        for package in view.packages:
            self._add_row(package)
        self.table.selectRow(0)
        row_buttons = QHBoxLayout()
        self.weigh_button = QPushButton(_("Weigh"))
        self.weigh_button.setToolTip(_("Read the selected package's weight from {scale}").format(scale=view.scale)
                                     if view.scale else _("No scale is set up (Settings › Scale)"))
        self.weigh_button.setEnabled(bool(view.scale))
        self.weigh_button.clicked.connect(lambda: self.weigh(self._selected_row()))
        add, remove = QPushButton(_("Add package")), QPushButton(_("Remove package"))
        add.clicked.connect(lambda: self._add_row(PackageLine(self._default_box(), Decimal(0))))
        remove.clicked.connect(self._remove_row)
        for button in (self.weigh_button, add, remove):
            button.setAutoDefault(False)  # Enter ships; these are clicked
            row_buttons.addWidget(button)
        row_buttons.addStretch(1)
        self.scale_note = QLabel("")
        row_buttons.addWidget(self.scale_note)
        layout.addLayout(row_buttons)
        layout.addLayout(self._service_and_options())
        self.problem = QLabel("")
        self.problem.setObjectName("errorText")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Ship"))
        save = buttons.addButton(_("Save packages only"), QDialogButtonBox.ButtonRole.ApplyRole)
        save.setAutoDefault(False)
        save.clicked.connect(self._save_only)
        buttons.accepted.connect(self._ship)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # the next shipment scanned while this one is open: nothing saved, nothing shipped, the scan handled next
        closed_by_scans(self, _("{shipment} was not shipped and its packages were not saved").format(
            shipment=view.shipment))
        if view.scale and len(view.packages) == 1:
            self.weigh(0)  # the package is on the scale as the shipment is scanned

    # -- packages ----------------------------------------------------------------------------------
    def _default_box(self) -> str:
        return self.view.boxes[0].name if self.view.boxes else "MEDIUM"

    def _add_row(self, package: PackageLine) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        box = QComboBox()
        box.setEditable(True)  # a Box ID the list does not have: Acumatica says whether it knows it
        for choice in self.view.boxes:
            box.addItem(choice.label, choice.name)
        found = box.findData(package.box)
        if found >= 0:
            box.setCurrentIndex(found)
        else:
            box.setEditText(package.box)
        self.table.setCellWidget(row, 0, box)
        for column, value in enumerate((package.weight, package.length, package.width, package.height), start=1):
            spin = QDoubleSpinBox()
            spin.setDecimals(2)
            spin.setRange(0, 9999)
            spin.setSpecialValueText(_("box size") if column > 1 else "")
            spin.setValue(float(value or 0))
            self.table.setCellWidget(row, column, spin)

    def _remove_row(self) -> None:
        if self.table.rowCount() > 1:
            self.table.removeRow(self._selected_row())

    def _selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else 0

    def _spin(self, row: int, column: int) -> QDoubleSpinBox:
        widget = self.table.cellWidget(row, column)
        assert isinstance(widget, QDoubleSpinBox)
        return widget

    def packages(self) -> tuple[PackageLine, ...]:
        lines = []
        for row in range(self.table.rowCount()):
            box = self.table.cellWidget(row, 0)
            assert isinstance(box, QComboBox)
            name = box.currentData() if box.currentIndex() >= 0 and box.currentText() == box.itemText(
                box.currentIndex()) else box.currentText()
            sizes = [Decimal(str(round(self._spin(row, c).value(), 2))) for c in (2, 3, 4)]
            lines.append(PackageLine(str(name).strip().upper(), Decimal(str(round(self._spin(row, 1).value(), 2))),
                                     *(sizes if all(sizes) else (None, None, None))))
        return tuple(lines)

    @async_slot
    async def weigh(self, row: int) -> None:
        self.weigh_button.setEnabled(False)
        self.scale_note.setText(_("Weighing…"))
        try:
            weight, shown = await run_in_worker(self.read_scale)
        except ShipdeskError as error:
            self.scale_note.setText("")
            self.problem.setText(str(error))
            return
        finally:
            self.weigh_button.setEnabled(True)
        if row < self.table.rowCount():
            self._spin(row, 1).setValue(float(weight))
        self.scale_note.setText(_("Package {number}: {weight}").format(number=row + 1, weight=shown))
        self.problem.setText("")
        if row + 1 < self.table.rowCount():  # the next package is the one to put on the scale
            self.table.selectRow(row + 1)
            self.weigh_button.setText(_("Weigh package {number}").format(number=row + 2))
        else:
            self.weigh_button.setText(_("Weigh"))

    # -- service and options -------------------------------------------------------------------------
    def _service_and_options(self) -> QFormLayout:
        view = self.view
        form = QFormLayout()
        self.service = QComboBox()
        for quote in view.quotes:
            self.service.addItem(quote.label, quote.code)
        if not view.quotes:
            self.service.addItem(_("{ship_via} (no quote: UPS did not answer)").format(ship_via=view.ship_via),
                                 view.mapped_service)
        mapped = self.service.findData(view.mapped_service)
        self.service.setCurrentIndex(max(mapped, 0))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("why another service than the Ship Via's (kept, and in the shipment's note)"))
        self.service.currentIndexChanged.connect(lambda _i: self.reason.setEnabled(self._changed_service() != ""))
        self.reason.setEnabled(False)
        form.addRow(_("Service"), self.service)
        form.addRow(_("Reason"), self.reason)
        self.signature = QComboBox()
        for value, text in SIGNATURES:
            self.signature.addItem(_(text), value)  # i18n: marked in SIGNATURES
        self.signature.setCurrentIndex(max(self.signature.findData(view.options.signature), 0))
        self.saturday = QCheckBox(_("Saturday delivery"))
        self.saturday.setChecked(view.options.saturday_delivery)
        self.declared = QCheckBox(_("Declare the packages' value (from Acumatica)"))
        self.declared.setChecked(view.options.declared_value)
        form.addRow(_("Signature"), self.signature)
        form.addRow("", self.saturday)
        form.addRow("", self.declared)
        notify_row = QHBoxLayout()
        self.notify = {}
        for value, text in EVENTS:
            box = QCheckBox(_(text))  # i18n: marked in EVENTS
            box.setChecked(value in view.options.notify and bool(view.notify_email))
            box.setEnabled(bool(view.notify_email))
            notify_row.addWidget(box)
            self.notify[value] = box
        notify_row.addStretch(1)
        form.addRow(_("UPS emails {email} when").format(email=view.notify_email) if view.notify_email
                    else _("UPS emails nobody (no ship-to email in Acumatica) when"), notify_row)
        return form

    def _changed_service(self) -> str:
        code = str(self.service.currentData() or "")
        return code if code and code != self.view.mapped_service else ""

    def choice(self) -> PackChoice:
        options = TickedOptions(str(self.signature.currentData()), self.saturday.isChecked(),
                                tuple(v for v, box in self.notify.items() if box.isChecked()),
                                self.declared.isChecked())
        return PackChoice(self.packages(), self._changed_service(), self.reason.text().strip(), options)

    # -- closing -------------------------------------------------------------------------------------
    def _problem(self) -> str:
        packages = self.packages()
        if any(p.weight <= 0 for p in packages):
            return _("Every package needs a weight: weigh it, or type it.")
        if self._changed_service() and not self.reason.text().strip():
            return _("Say why the shipment goes with another service than its Ship Via's.")
        return ""

    def _ship(self) -> None:
        self._close_with(ship=True)

    def _save_only(self) -> None:
        self._close_with(ship=False)

    def _close_with(self, *, ship: bool) -> None:
        problem = self._problem()
        if problem:
            self.problem.setText(problem)
            return
        self.ship_now = ship
        self.accept()
