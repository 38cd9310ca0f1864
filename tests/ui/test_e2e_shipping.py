"""End to end through the real window: scan to ship, the ambiguous address, fix-and-retry, batch ship.

The real core runs against fresh sandboxes; the printer writes label files into a folder, so "printed"
is a file a test can see, and "written back" is what the Acumatica sandbox holds.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from shipdesk.core.domain.states import State
from shipdesk.core.store import repository as repo
from shipdesk.ui.dialogs.address_dialog import AddressDialog
from shipdesk.ui.view_data import Col
from tests.ui.e2e_support import WAIT_MS, RunningApp, answer_batch_confirmation, when_dialog_opens

PLAIN = "SH000101"  # plain Open, commercial, NY, one package
AMBIGUOUS = "SH000120"  # "742 Main St", Springfield, no state: UPS offers candidates
NO_POSTAL_CODE = "SH000122"  # Houston, TX, without a postal code
UNMAPPED = "SH000111"  # Ship Via FEDEXGROUND: no UPS service


@pytest.fixture
def app(qtbot):
    running = RunningApp(qtbot, scan_to_ship=True)
    yield running
    running.close()


def test_scanning_a_shipment_labels_prints_and_writes_it_back(qtbot, app):
    win = app.window
    assert win.commands.by_name["scan_to_ship"].isChecked()
    qtbot.keyClicks(win.scan.box, PLAIN)
    with qtbot.waitSignal(win.action_finished, timeout=WAIT_MS):
        qtbot.keyClick(win.scan.box, Qt.Key.Key_Return)
    app.wait_state(PLAIN, State.WRITTEN_BACK.value)

    tracking = app.row(PLAIN)[Col.TRACKING]
    assert tracking.startswith("1Z"), tracking
    assert tracking in win.notice.text.text()  # the packer reads the number in the notice
    job = repo.latest_job(PLAIN)
    assert job is not None and job.state == State.WRITTEN_BACK.value and job.printed_at is not None
    assert app.printed_files(PLAIN), "nothing reached the printer folder"
    acumatica = app.acumatica_shipment(PLAIN)
    assert acumatica["Packages"][0]["TrackingNbr"] == tracking
    assert any(f"Label #{tracking}" in name for name in app.acumatica_files(PLAIN)), app.acumatica_files(PLAIN)


def _select(app: RunningApp, *shipments: str) -> None:
    """Select rows as a user does with Ctrl+click (the first one becomes current)."""
    win = app.window
    win.shipments.table.clearSelection()
    for nbr in shipments:
        index = win.shipments.proxy.mapFromSource(win.shipments.model.index(win.shipments.model.row_of(nbr), 0))
        assert index.isValid(), f"{nbr} is not shown"
        win.shipments.table.selectionModel().select(index, win.shipments.table.selectionModel().SelectionFlag.Select
                                          | win.shipments.table.selectionModel().SelectionFlag.Rows)
    assert sorted(win.selected_shipments()) == sorted(shipments)


def test_ambiguous_address_lets_the_packer_pick_ups_suggestion_and_ship_it(qtbot, app):
    win = app.window
    win.commands.by_name["scan_to_ship"].setChecked(False)
    assert win.shipments.select_shipment(AMBIGUOUS)
    seen: dict[str, object] = {}

    def pick_second(dialog: AddressDialog) -> None:
        seen["candidates"] = dialog.check.candidates
        seen["entered_region"] = dialog.check.entered.region
        dialog.candidates.setCurrentRow(1)
        qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)

    picker = when_dialog_opens(AddressDialog, pick_second)
    with qtbot.waitSignal(win.action_finished, timeout=WAIT_MS) as finished:
        win.commands.by_name["validate"].trigger()
    picker.stop()
    assert finished.args == ["validate"]
    candidates = seen["candidates"]
    assert isinstance(candidates, tuple) and len(candidates) >= 2  # UPS offered several addresses
    assert seen["entered_region"] == ""  # the entered address has no state
    chosen = candidates[1]
    assert "UPS's suggestion" in win.notice.text.text()

    with qtbot.waitSignal(win.action_finished, timeout=WAIT_MS):
        win.commands.by_name["ship"].trigger()
    app.wait_state(AMBIGUOUS, State.WRITTEN_BACK.value)
    sent = [s for s in app.sandboxes.ups.shipments.values() if s.ship_to_name.startswith("Springfield Toy")]
    assert len(sent) == 1  # one label, to the address the packer picked
    assert (sent[0].destination.state, sent[0].destination.postal_code[:5]) == (
        chosen.region.upper(), chosen.postal_code[:5])


def test_fixing_a_missing_postal_code_in_acumatica_then_refresh_makes_it_shippable(qtbot, app):
    win = app.window
    win.commands.by_name["scan_to_ship"].setChecked(False)
    assert app.state(NO_POSTAL_CODE) == State.NEEDS_ATTENTION.value
    with qtbot.waitSignal(win.detail_loaded, timeout=WAIT_MS):
        assert win.shipments.select_shipment(NO_POSTAL_CODE)
    assert "postal" in win.detail.problem_text.text().lower()

    # the office fixes the address in Acumatica (the record changes, as an edit there would)
    with app.sandboxes.acumatica.lock:
        record = app.sandboxes.acumatica.documents.shipment(NO_POSTAL_CODE)
        record["ShippingSettings"]["ShipToAddress"]["PostalCode"] = "77002"
        record["LastModifiedDateTime"] = app.sandboxes.clock.now()
    app.pull()
    assert app.state(NO_POSTAL_CODE) in (State.READY.value, State.PENDING.value)

    assert win.shipments.select_shipment(NO_POSTAL_CODE)
    with qtbot.waitSignal(win.action_finished, timeout=WAIT_MS):
        win.commands.by_name["ship"].trigger()
    app.wait_state(NO_POSTAL_CODE, State.WRITTEN_BACK.value)
    assert app.acumatica_shipment(NO_POSTAL_CODE)["Packages"][0]["TrackingNbr"].startswith("1Z")


def test_batch_ship_reports_every_row_and_does_not_stop_at_a_failure(qtbot, app):
    win = app.window
    batch = [PLAIN, UNMAPPED, "SH000102", "SH000132"]
    _select(app, *batch)
    answering = answer_batch_confirmation()
    win.commands.by_name["ship"].trigger()
    answering.stop()
    dialog = win.shipment_actions.batch
    assert dialog is not None and dialog.isVisible()  # the progress dialog
    assert dialog.bar.maximum() == len(batch)
    with qtbot.waitSignal(dialog.finished_batch, timeout=WAIT_MS) as done:
        pass
    results = {r.shipment: r for r in done.args[0]}
    assert set(results) == set(batch)
    assert not results[UNMAPPED].ok and "FEDEXGROUND" in results[UNMAPPED].message
    for nbr in (PLAIN, "SH000102", "SH000132"):  # the ones after the failure shipped too
        assert results[nbr].ok, results[nbr].message
        app.wait_state(nbr, State.WRITTEN_BACK.value)
    shown = [line for line in dialog.results_text().splitlines() if line.startswith(("✓", "✗"))]
    assert len(shown) == len(batch)
    assert shown[0].startswith(f"✗ {UNMAPPED}")  # the failure first
    assert "3 of 4 shipped" in dialog.current.text()
    assert app.state(UNMAPPED) == State.NEEDS_ATTENTION.value


ADDRESS_VALIDATION = "POST /api/addressvalidation/{version}/{requestoption}"


def test_scanning_an_ambiguous_address_asks_for_a_candidate_then_ships_and_prints_it(qtbot, app):
    win = app.window
    before = app.sandboxes.ups.stats_payload()["requests"].get(ADDRESS_VALIDATION, 0)
    seen: dict[str, object] = {}

    def pick_second(dialog: AddressDialog) -> None:
        seen["candidates"] = dialog.check.candidates
        dialog.candidates.setCurrentRow(1)
        qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)

    picker = when_dialog_opens(AddressDialog, pick_second)
    qtbot.keyClicks(win.scan.box, AMBIGUOUS)
    qtbot.keyClick(win.scan.box, Qt.Key.Key_Return)  # scan to ship is on
    app.wait_state(AMBIGUOUS, State.WRITTEN_BACK.value)
    picker.stop()

    candidates = seen.get("candidates")
    assert isinstance(candidates, tuple) and len(candidates) == 3  # the dialog showed UPS's candidates
    chosen = candidates[1]
    sent = [s for s in app.sandboxes.ups.shipments.values() if s.ship_to_name.startswith("Springfield Toy")]
    assert len(sent) == 1  # one label, to the address the packer picked
    assert (sent[0].destination.state, sent[0].destination.postal_code[:5]) == (
        chosen.region.upper(), chosen.postal_code[:5])
    assert app.printed_files(AMBIGUOUS), "scan to ship prints the label"
    # the dialog reused the candidates from the ship's own validation: UPS was asked once
    after = app.sandboxes.ups.stats_payload()["requests"].get(ADDRESS_VALIDATION, 0)
    assert after - before == 1


def test_scanning_an_ambiguous_address_and_keeping_it_with_a_reason_ships_it_as_entered(qtbot, app):
    win = app.window

    def keep_as_entered(dialog: AddressDialog) -> None:
        dialog.reason.setText("Customer confirmed the address by phone")
        qtbot.mouseClick(dialog.override_button, Qt.MouseButton.LeftButton)

    keeper = when_dialog_opens(AddressDialog, keep_as_entered)
    qtbot.keyClicks(win.scan.box, AMBIGUOUS)
    qtbot.keyClick(win.scan.box, Qt.Key.Key_Return)
    app.wait_state(AMBIGUOUS, State.WRITTEN_BACK.value)
    keeper.stop()

    sent = [s for s in app.sandboxes.ups.shipments.values() if s.ship_to_name.startswith("Springfield Toy")]
    assert len(sent) == 1 and sent[0].destination.state == ""  # as entered in Acumatica: no state
    assert app.printed_files(AMBIGUOUS)
    assert "Customer confirmed" in (repo.require_shipment(AMBIGUOUS).address_override_reason or "")
