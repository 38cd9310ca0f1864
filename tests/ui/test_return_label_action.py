"""Shipment › Return label…: the clerk picks print or email, and the services are asked for that return label."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shipdesk.core.settings.config import ReturnTarget
from shipdesk.ui.window import shipment_actions

WAIT = 5000


def answering(electronic: bool, email: str = "", rma: str = ""):
    class Answer(shipment_actions.ReturnDialog):
        def exec(self):
            (self.emailed if electronic else self.printed).setChecked(True)
            self.email.setText(email)
            self.rma.setText(rma)
            self.accept()
            return self.result()
    return Answer


@pytest.mark.ui
def test_the_menu_makes_an_emailed_return_label_for_the_selected_shipment(qtbot, window, fake_services, monkeypatch):
    monkeypatch.setattr(shipment_actions, "ReturnDialog", answering(True, "back@customer.example"))
    window.shipments.select_shipment("SH000003")
    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        window.commands.by_name["return"].trigger()
    assert fake_services.called("return_label") == [("SH000003", True, "back@customer.example", "")]
    assert "Return label made." in window.notice.text.text()


@pytest.mark.ui
def test_a_printed_return_label_names_the_rma_when_returns_go_to_rma_orders(qtbot, window, fake_services,
                                                                              monkeypatch):
    fake_services._config = replace(fake_services._config, returns=replace(
        fake_services._config.returns, write_to=ReturnTarget.RMA_ORDER))
    monkeypatch.setattr(shipment_actions, "ReturnDialog", answering(False, "ignored@x.example", "RM005117"))
    window.shipments.select_shipment("SH000003")
    with qtbot.waitSignal(window.action_finished, timeout=WAIT):
        window.commands.by_name["return"].trigger()
    assert fake_services.called("return_label") == [("SH000003", False, "", "RM005117")]


@pytest.mark.ui
def test_the_return_label_menu_entry_is_under_shipment(window):
    menus = {action.text(): action.menu() for action in window.menuBar().actions()}
    assert "Return label…" in [a.text() for a in menus["&Shipment"].actions()]
