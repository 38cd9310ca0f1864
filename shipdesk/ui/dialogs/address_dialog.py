"""The address as entered in Acumatica beside UPS's candidates: pick one, or override with a reason.

The dialog only collects the decision (``chosen_index`` or ``override_reason``); the window sends it
to core through the bridge, where it is recorded in the audit trail.

Keyboard: the candidate list has the focus; arrows move, 1-9 pick a candidate at once, Enter uses the
highlighted one. Alt+R jumps to the reason; Enter there keeps the address as entered. Esc cancels.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shipdesk.core.domain.address import AddressClass
from shipdesk.i18n import N_, _
from shipdesk.ui.scanner import closed_by_scans
from shipdesk.ui.view_data import AddressCheck, AddressView, Candidate

STATUS_TEXT = {
    "valid": N_("UPS confirms this address."),
    "ambiguous": N_("UPS is not sure about this address. Pick the right one, or keep it as entered with a "
                    "reason."),
    "no_candidates": N_("UPS does not know this address. Fix it in Acumatica, or keep it as entered with a "
                        "reason."),
}
#: UPS's address classification, as the candidate list says it
#: UPS's classifications a person reads as a word (their words are the core's, ``AddressClass.label``)
CLASSIFIED = {c.value: c for c in (AddressClass.COMMERCIAL, AddressClass.RESIDENTIAL)}
#: what choosing a candidate does to one part of the address: (it adds the part, it changes the part)
CHANGE_TEXT = {
    "city": (N_("adds city {new}"), N_("city {old} → {new}")),
    "state": (N_("adds state {new}"), N_("state {old} → {new}")),
    "ZIP": (N_("adds ZIP {new}"), N_("ZIP {old} → {new}")),
    "country": (N_("adds country {new}"), N_("country {old} → {new}")),
}
_DIGIT_KEYS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


def _same(a: str, b: str) -> bool:
    return " ".join(a.upper().split()) == " ".join(b.upper().split())


def changes(entered: AddressView, candidate: Candidate) -> list[str]:
    """What choosing ``candidate`` changes in the entered address, in words ("adds state IL", ...)."""
    out = []
    if not all(_same(a, b) for a, b in zip(entered.lines, candidate.lines, strict=False)) or (
            len(entered.lines) != len(candidate.lines)):
        out.append(_("street {street}").format(street=", ".join(candidate.lines)))
    for title, old, new in (("city", entered.city, candidate.city), ("state", entered.region, candidate.region),
                            ("ZIP", entered.postal_code, candidate.postal_code),
                            ("country", entered.country, candidate.country)):
        if not new or _same(old, new):
            continue
        adds, changed = CHANGE_TEXT[title]
        if not old:
            out.append(_(adds).format(new=new))  # i18n: a message marked in CHANGE_TEXT
        elif title == "ZIP" and new.startswith(old):
            out.append(_("adds ZIP+4 {new}").format(new=new))
        else:
            out.append(_(changed).format(old=old, new=new))  # i18n: a message marked in CHANGE_TEXT
    return out


def classification_text(classification: str) -> str:
    """``Residential`` → the word in the chosen language (a word UPS has no translation for stays as UPS sent it)."""
    known = CLASSIFIED.get(classification.strip().lower())
    return _(known.label) if known else classification  # i18n: AddressClass.label is marked with N_()


def candidate_text(number: int, entered: AddressView, candidate: Candidate) -> str:
    kind = f"  ·  {classification_text(candidate.classification)}" if candidate.classification else ""
    what = changes(entered, candidate)
    changed = _("Changes: {changes}").format(changes="; ".join(what)) if what else _("Same as entered")
    return f"{number}   {candidate.one_line()}{kind}\n      {changed}"


def _entered_box(entered: AddressView) -> QGroupBox:
    box = QGroupBox(_("As entered in Acumatica"))
    text = QLabel("<br>".join(x for x in (
        f"<b>{escape(entered.name)}</b>" if entered.name else "", *(escape(x) for x in entered.lines),
        escape(" ".join(p for p in (entered.city, entered.region or _("(no state)"), entered.postal_code) if p)),
        escape(entered.country)) if x))
    text.setObjectName("enteredAddress")
    text.setTextFormat(Qt.TextFormat.RichText)
    text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    QVBoxLayout(box).addWidget(text)
    return box


def _candidate_list(check: AddressCheck) -> QListWidget:
    candidates = QListWidget()
    candidates.setObjectName("candidateList")
    for i, c in enumerate(check.candidates):
        item = QListWidgetItem(candidate_text(i + 1, check.entered, c))
        item.setData(Qt.ItemDataRole.UserRole, i)
        item.setToolTip(c.one_line() + (f"  ({classification_text(c.classification)})" if c.classification else ""))
        candidates.addItem(item)
    return candidates


class AddressDialog(QDialog):
    def __init__(self, check: AddressCheck, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Ship-to address of {shipment}").format(shipment=check.shipment))
        self.setMinimumWidth(860)
        self.check = check
        self.chosen_index: int | None = None
        self.override_reason: str | None = None

        said = _(STATUS_TEXT[check.status]) if check.status in STATUS_TEXT else check.status  # i18n: marked above
        status = QLabel(f"<b>{escape(check.shipment)}</b>: {escape(said)}")  # i18n: markup around a sentence
        status.setObjectName("addressStatus")
        status.setWordWrap(True)
        side_by_side = QHBoxLayout()
        side_by_side.addWidget(_entered_box(check.entered), 1)
        side_by_side.addWidget(self._candidates_box(), 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(status)
        layout.addLayout(side_by_side, 1)
        layout.addWidget(self._override_box())
        layout.addWidget(buttons)
        if check.candidates:
            self.candidates.setCurrentRow(0)
            self.candidates.setFocus()
        else:
            self.reason.setFocus()
        self._update_buttons()
        # a barcode scan must never pick a candidate ("1" of SH000101): it closes the dialog unanswered
        closed_by_scans(self, _("no address was chosen and no label bought for {shipment}").format(
            shipment=check.shipment))

    def _candidates_box(self) -> QGroupBox:
        count = len(self.check.candidates)
        box = QGroupBox(_("UPS suggests ({count})  —  press 1–{count} to pick").format(count=count) if count
                        else _("UPS suggests nothing"))
        self.candidates = _candidate_list(self.check)
        self.candidates.itemDoubleClicked.connect(lambda _item: self._use_candidate())
        self.candidates.currentRowChanged.connect(self._update_buttons)
        self.candidates.installEventFilter(self)
        self.use_button = QPushButton(_("&Use this address"))
        self.use_button.setToolTip(_("Enter, or press the candidate's number"))
        self.use_button.setDefault(True)
        self.use_button.clicked.connect(self._use_candidate)
        layout = QVBoxLayout(box)
        layout.addWidget(self.candidates)
        layout.addWidget(self.use_button, 0, Qt.AlignmentFlag.AlignRight)
        return box

    def _override_box(self) -> QGroupBox:
        box = QGroupBox(_("Or keep the address as entered"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("Reason (required, recorded), e.g. 'Customer confirmed by phone'"))
        self.reason.textChanged.connect(self._update_buttons)
        reason_label = QLabel(_("&Reason"))
        reason_label.setBuddy(self.reason)
        self.override_button = QPushButton(_("&Keep as entered"))
        self.override_button.setAutoDefault(False)
        self.override_button.clicked.connect(self._override)
        layout = QHBoxLayout(box)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason, 1)
        layout.addWidget(self.override_button)
        return box

    def _update_buttons(self) -> None:
        self.use_button.setEnabled(self.candidates.currentRow() >= 0)
        self.override_button.setEnabled(bool(self.reason.text().strip()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """1-9 in the candidate list picks that candidate at once."""
        if watched is self.candidates and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            number = _DIGIT_KEYS.get(Qt.Key(event.key()))
            if number is not None and number <= self.candidates.count():
                self.candidates.setCurrentRow(number - 1)
                self._use_candidate()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in the reason field keeps the address, instead of the default "use this address"
        if self.focusWidget() is self.reason and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._override()
            return
        super().keyPressEvent(event)

    def _use_candidate(self) -> None:
        row = self.candidates.currentRow()
        if row >= 0:
            self.chosen_index = row
            self.accept()

    def _override(self) -> None:
        reason = self.reason.text().strip()
        if reason:
            self.override_reason = reason
            self.accept()
