"""The status bar: Acumatica and UPS connection state, last/next sync, pending write-backs, busy work,
and a DEMO MODE badge nobody can miss.

It is told, never polls: a service that fails or comes back shows at once (``show_service``, from the
core's ``ServiceStatusChanged``), and the window re-reads the whole status when an event says it changed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from shipdesk.core.events import ServiceStatusChanged
from shipdesk.errors import Service
from shipdesk.i18n import N_, _
from shipdesk.ui.view_data import StatusInfo

_OK_WORDS = ("connected", "ok", "signed in")
#: the states ``ServiceHealth`` gives (English codes), as a person reads them
_STATE_WORDS = {"connected": N_("connected"), "not connected": N_("not connected"),
                "unreachable": N_("unreachable"), "problem": N_("problem")}
_SINCE = "unreachable since "


def _dot(state: str) -> str:
    ok = state.lower().startswith(_OK_WORDS)
    colour = "#1e8e3e" if ok else ("#8a8f98" if state.lower().startswith("not") else "#c5221f")
    return f"<span style='color:{colour}'>●</span>"


def state_text(state: str) -> str:
    """A service's state in the chosen language ("unreachable since 10:02" → "inaccesible desde 10:02")."""
    if state.startswith(_SINCE):
        return _("unreachable since {time}").format(time=state.removeprefix(_SINCE))
    word = _STATE_WORDS.get(state)
    return _(word) if word else state  # i18n: marked with N_() above


def _show_state(label: QLabel, service: Service, state: str) -> None:
    label.setText(f"{_dot(state)} {service}: {state_text(state)}")
    if state.startswith(_OK_WORDS):
        label.setToolTip("")


_ALERT = "color:#9b1c13; font-weight:600"


def _set_style(label: QLabel, style: str) -> None:
    """Only when it changes: setting a style sheet re-polishes the label and lays out the whole status bar,
    and the status is read again after every label and every batch of tracking answers."""
    if label.styleSheet() != style:
        label.setStyleSheet(style)


class ConnectionStatusBar(QStatusBar):
    def __init__(self, *, demo: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.demo_badge = QLabel(_("DEMO MODE"))
        self.demo_badge.setObjectName("demoBadge")
        self.demo_badge.setToolTip(_("Talking to the built-in sandboxes: no real labels, no real Acumatica."))
        self.demo_badge.setVisible(demo)
        self.acumatica = QLabel()
        self.ups = QLabel()
        self.sync = QLabel()
        self.pending = QLabel()
        self.automatic = QLabel()  # automatic labelling: what it does, or that it is stopped (and why)
        self.busy = QLabel()
        self.addWidget(self.demo_badge)
        for label in (self.acumatica, self.ups, self.sync, self.pending, self.automatic):
            self.addPermanentWidget(label)
        self.addWidget(self.busy)
        self.show_status(StatusInfo(demo=demo))

    def show_status(self, info: StatusInfo) -> None:
        self.demo_badge.setVisible(info.demo)
        _show_state(self.acumatica, Service.ACUMATICA, info.acumatica)
        _show_state(self.ups, Service.UPS, info.ups)
        if info.sync_runs_at:  # one sync for every station sharing the store: another one runs it
            parts = [_("sync runs at {station}").format(station=info.sync_runs_at)]
            self.sync.setToolTip(_("Every station shares one store; one of them (or a scheduled shipdesk sync) "
                                   "tracks the packages and writes their status for all."))
        else:
            parts = [_("last sync {time}").format(time=info.last_sync) if info.last_sync else _("not synced yet")]
            if info.next_sync:
                parts.append(_("next {time}").format(time=info.next_sync))
            self.sync.setToolTip("")
        self.sync.setText(" · ".join(parts))
        self.pending.setText(_("Write-backs pending: {count}").format(count=info.pending_writebacks))
        _set_style(self.pending, _ALERT if info.pending_writebacks else "")
        self.automatic.setVisible(bool(info.automatic))
        self.automatic.setText(_("Automatic labelling: {state}").format(state=info.automatic))
        self.automatic.setToolTip(info.automatic_note)
        _set_style(self.automatic, _ALERT if info.automatic_note else "")

    def show_service(self, event: ServiceStatusChanged) -> None:
        """A service just failed or came back; the sentence says what happened (in the tooltip)."""
        label = self.ups if event.service is Service.UPS else self.acumatica
        _show_state(label, event.service, "connected" if event.reachable else "problem")
        if not event.reachable:
            label.setToolTip(event.sentence)  # kept while the service is down

    def set_busy(self, running: int) -> None:
        self.busy.setText(_("Working… ({count})").format(count=running) if running else "")
