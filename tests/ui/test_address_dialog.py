"""The address dialog: entered address beside UPS's candidates; pick one or keep it with a reason."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from shipdesk.ui.dialogs.address_dialog import AddressDialog, changes
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


def test_shows_the_entered_address_and_every_candidate_with_what_it_changes(qtbot):
    dialog = AddressDialog(CHECK)
    qtbot.addWidget(dialog)
    assert dialog.candidates.count() == 2
    first, second = (dialog.candidates.item(i).text() for i in range(2))
    assert "2400 W OLIVE AVE, BURBANK, CA 91506-2630, US" in first and "commercial" in first
    assert "adds ZIP+4 91506-2630" in first
    assert "street 2400 E OLIVE AVE" in second and "ZIP 91506 → 91504" in second


@pytest.mark.parametrize(("entered", "candidate", "expected"), [
    (AddressView(lines=("742 Main St",), city="Springfield", postal_code="62701", country="US"),
     Candidate(("742 MAIN ST",), "SPRINGFIELD", "IL", "62701-0742", "US"),
     ["adds state IL", "adds ZIP+4 62701-0742"]),
    (AddressView(lines=("1 Elm St",), city="Boston", region="MA", postal_code="02108", country="US"),
     Candidate(("1 ELM ST",), "BOSTON", "MA", "02108", "US"), []),
    (AddressView(lines=("1 Elm St",), city="Bostn", region="MA", postal_code="02108", country="US"),
     Candidate(("1 ELM ST",), "BOSTON", "MA", "02109", "US"), ["city Bostn → BOSTON", "ZIP 02108 → 02109"]),
])
def test_changes_say_what_choosing_a_candidate_would_change(entered, candidate, expected):
    assert changes(entered, candidate) == expected


def test_a_number_key_picks_that_candidate_at_once(qtbot):
    dialog = AddressDialog(CHECK)
    qtbot.addWidget(dialog)
    qtbot.keyClick(dialog.candidates, Qt.Key.Key_2)
    assert dialog.result() == AddressDialog.DialogCode.Accepted and dialog.chosen_index == 1


def test_enter_uses_the_highlighted_candidate(qtbot):
    dialog = AddressDialog(CHECK)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.candidates, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.candidates, Qt.Key.Key_Return)
    assert dialog.chosen_index == 1


def test_enter_in_the_reason_keeps_the_address_only_with_a_reason(qtbot):
    dialog = AddressDialog(CHECK)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reason.setFocus()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.result() != AddressDialog.DialogCode.Accepted and dialog.chosen_index is None
    qtbot.keyClicks(dialog.reason, "Dock confirmed")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.override_reason == "Dock confirmed" and dialog.chosen_index is None


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
    assert dialog.focusWidget() in (None, dialog.reason)  # straight to the only way out
