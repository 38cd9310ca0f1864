"""The address dialog: entered address beside UPS's candidates; pick one or keep it with a reason."""

from __future__ import annotations

from shipdesk.ui.address_dialog import AddressDialog
from shipdesk.ui.view_data import AddressCheck, AddressView, Candidate

CHECK = AddressCheck(
    shipment="SH000115",
    entered=AddressView(name="SoCal HVAC Parts", lines=("2400 W Olive Av",), city="Burbank", region="CA",
                        postal_code="91506", country="US"),
    status="ambiguous",
    candidates=(
        Candidate(("2400 W OLIVE AVE",), "BURBANK", "CA", "91506-2630", "US", "commercial"),
        Candidate(("2400 E OLIVE AVE",), "BURBANK", "CA", "91504", "US"),
    ),
)


def test_shows_the_entered_address_and_every_candidate(qtbot):
    dialog = AddressDialog(CHECK)
    qtbot.addWidget(dialog)
    assert dialog.candidates.count() == 2
    assert dialog.candidates.item(0).text() == "2400 W OLIVE AVE, BURBANK, CA 91506-2630, US  (commercial)"


def test_picking_a_candidate_returns_its_index(qtbot):
    dialog = AddressDialog(CHECK)
    qtbot.addWidget(dialog)
    dialog.candidates.setCurrentRow(1)
    dialog.use_button.click()
    assert dialog.result() == AddressDialog.DialogCode.Accepted
    assert dialog.chosen_index == 1 and dialog.override_reason is None


def test_keeping_the_address_needs_a_reason(qtbot):
    dialog = AddressDialog(CHECK)
    qtbot.addWidget(dialog)
    assert not dialog.override_button.isEnabled()
    qtbot.keyClicks(dialog.reason, "   ")
    assert not dialog.override_button.isEnabled()
    dialog.reason.setText("Customer confirmed by phone")
    dialog.override_button.click()
    assert dialog.result() == AddressDialog.DialogCode.Accepted
    assert dialog.override_reason == "Customer confirmed by phone" and dialog.chosen_index is None


def test_no_candidates_leaves_only_the_override(qtbot):
    dialog = AddressDialog(AddressCheck("SH1", AddressView(city="Nowhere"), "no_candidates"))
    qtbot.addWidget(dialog)
    assert not dialog.use_button.isEnabled()
