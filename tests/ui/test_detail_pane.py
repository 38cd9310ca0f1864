"""The detail pane: state, the reason and the fix when it needs attention, address facts, timeline."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shipdesk.ui.view_data import AddressView, AuditView, EventView, PackageView, RetryAction, ShipmentDetail
from shipdesk.ui.window.detail_pane import DetailPane, validation_chip

DETAIL = ShipmentDetail(
    shipment="SH000120", state="needs_attention", state_label="Needs attention",
    customer="Springfield Toy Co", orders="SO005120", ship_via="UPSGROUND", service="Ground",
    ship_to=AddressView(name="Springfield Toy Co", lines=("742 Main St",), city="Springfield",
                        postal_code="62701", country="US"),
    validation="Ambiguous (3 candidates)", classification="Commercial",
    packages=(PackageView("12.5 LB", "12x10x8 IN", "1ZA1B2C30300000011"),),
    events=(EventView("2026-11-27 01:54", "DELIVERED", "NEW YORK, NY, US", "1ZA1B2C30300000011"),
            EventView("2026-11-26 19:54", "Out For Delivery Today", "NEW YORK, NY, US", "1ZA1B2C30300000011")),
    audit=(AuditView("2026-11-25 09:12", "packer1", "validate", "UPS offered 3 candidates"),),
    problem="UPS is not sure about this address: pick one of its candidates or keep it with a reason.",
    retry_action=RetryAction.VALIDATE,
)


@pytest.fixture
def pane(qtbot):
    widget = DetailPane()
    widget.resize(380, 900)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_needs_attention_shows_the_reason_and_a_named_retry(qtbot, pane):
    pane.show_detail(DETAIL)
    assert pane.problem_box.isVisible() and pane.problem_box.property("level") == "attention"
    assert "pick one of its candidates" in pane.problem_text.text()
    assert pane.retry_button.isVisible() and pane.retry_button.text() == "Check address again"
    assert not pane.new_label_button.isVisible()
    with qtbot.waitSignal(pane.retry_requested) as signal:
        pane.retry_button.click()
    assert signal.args == ["SH000120", "validate"]


def test_an_exception_is_shown_in_red_under_its_own_title(pane):
    from dataclasses import replace

    pane.show_detail(replace(DETAIL, state="exception", state_label="Delivery exception",
                             problem="UPS: DAMAGED - RETURNING TO SENDER.", retry_action=None))
    assert pane.problem_box.property("level") == "error"
    assert pane.problem_title.text() == "Delivery exception" and not pane.retry_button.isVisible()


def test_address_shows_validation_and_residential_or_commercial(pane):
    pane.show_detail(DETAIL)
    html = pane.address.body.text()
    assert "742 Main St" in html and "Ambiguous (3 candidates)" in html and "Commercial" in html


def test_the_newest_ups_event_comes_first_and_stands_out(pane):
    pane.show_detail(DETAIL)
    html = pane.events.body.text()
    assert html.index("DELIVERED") < html.index("Out For Delivery Today")
    assert "<b>DELIVERED</b>" in html


def test_a_placeholder_hides_every_section(pane):
    pane.show_detail(DETAIL)
    pane.show_placeholder("Scan or pick a shipment to see its details.")
    assert pane.shipment is None and not pane.problem_box.isVisible()
    assert not any(s.isVisible() for s in (pane.address, pane.packages, pane.events, pane.audit))


@pytest.mark.parametrize(("text", "colour"), [("Address confirmed by UPS", "#145a2b"),
                                              ("Kept as entered: customer confirmed", "#1f4a8a"),
                                              ("UPS is not sure about this address", "#7a5200"),
                                              ("Address not checked yet", "#555555")])
def test_validation_chip_colours(text, colour):
    assert colour in validation_chip(text)


def test_an_exception_without_a_reason_from_core_quotes_ups_and_says_what_to_do(pane):
    from dataclasses import replace

    damaged = EventView("2026-11-26 10:04", "DAMAGED - RETURNING TO SENDER", "HODGKINS, IL, US")
    pane.show_detail(replace(DETAIL, state="exception", state_label="Delivery exception", problem="",
                             retry_action=None, events=(damaged, *DETAIL.events)))
    assert pane.problem_box.isVisible() and pane.problem_box.property("level") == "error"
    text = pane.problem_text.text()
    assert "DAMAGED - RETURNING TO SENDER" in text and "HODGKINS" in text and "Call UPS" in text


def test_a_delivered_shipment_needs_no_attention_box(pane):
    from dataclasses import replace

    pane.show_detail(replace(DETAIL, state="delivered", state_label="Delivered", problem="", retry_action=None))
    assert not pane.problem_box.isVisible()


def test_package_columns_with_nothing_in_them_are_left_out(pane):
    from dataclasses import replace

    pane.show_detail(replace(DETAIL, packages=(PackageView("19 LB"),)))
    html = pane.packages.body.text()
    assert "Weight" in html and "19 LB" in html
    assert "Size" not in html and "Tracking" not in html


def test_a_label_made_at_another_station_says_where_and_the_history_says_at_which_pc(pane):
    from dataclasses import replace

    pane.show_detail(replace(DETAIL, state="written_back", state_label="Labelled", problem="", retry_action=None,
                             labelled_at="Labelled at PACK-02, 2026-12-07 10:02",
                             audit=(AuditView("2026-12-07 10:02", "packer2", "labelled", "1ZA1B2C3...", "PACK-02"),)))
    assert "Labelled at PACK-02" in pane.heading.text()
    assert "PACK-02" in pane.audit.body.text() and "Where" in pane.audit.body.text()


def _png() -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(400, 600, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def test_a_label_preview_decoded_on_a_worker_is_shown_as_the_pane_would_show_it(pane):
    from shipdesk.ui.window.detail_pane import PREVIEW_HEIGHT, decoded_preview

    png = _png()
    pane.show_detail(replace(DETAIL, label_previews=(png,)), decoded_preview(png))
    assert pane.preview.isVisible() and pane.preview.pixmap().height() == PREVIEW_HEIGHT
    pane.show_detail(DETAIL)
    assert not pane.label_card.isVisible()
    pane.show_detail(replace(DETAIL, label_previews=(png,)))  # not decoded yet: the pane decodes it
    assert pane.preview.pixmap().height() == PREVIEW_HEIGHT


def test_a_quote_stays_until_the_detail_is_read_again(pane):
    from shipdesk.ui.view_data import RateLine

    pane.show_detail(DETAIL)
    pane.show_rates((RateLine("UPS Ground", "12.00 USD", "10.00 USD", "3"),))
    assert pane.rates.isVisible()
    pane.show_detail(DETAIL)  # the same detail, read again: it has no rates, so the quote goes
    assert not pane.rates.isVisible()


def test_a_card_shows_all_its_text_and_never_breaks_a_tracking_number_across_lines(qtbot, pane):
    """The cards hold their tables in a text browser laid out once per width (not a word-wrapped label that
    lays them out for every size asked): it must still be as tall as its text, and wrap at words only."""
    import math

    pane.resize(360, 900)  # narrow: the packages table has to wrap
    number = "1ZA1B2C30300000011"
    pane.show_detail(replace(DETAIL, packages=(PackageView("12.5 LB", "120x100x80 IN", number),
                                               PackageView("3.5 LB", "60x60x60 IN", "1ZA1B2C30300000022"))))
    body = pane.packages.body
    assert number in body.text()  # what was set, as the label gave it
    qtbot.waitUntil(lambda: body.height() == math.ceil(body.document().size().height()) > 0)
    found = body.document().find(number)
    assert not found.isNull()
    block = found.block()
    layout = block.layout()
    start, end = found.selectionStart() - block.position(), found.selectionEnd() - block.position() - 1
    assert layout.lineForTextPosition(start).lineNumber() == layout.lineForTextPosition(end).lineNumber()


@pytest.mark.parametrize(("status", "colour"), [("valid", "#145a2b"), ("overridden", "#1f4a8a"), ("", "#555555"),
                                                ("ambiguous", "#7a5200"), ("no_candidates", "#7a5200")])
def test_the_validation_chip_goes_by_the_address_status_in_any_language(status, colour):
    assert colour in validation_chip("Dirección de prueba", status)


def test_the_history_names_every_audit_action_in_words():
    from shipdesk.core.domain.audit import AuditAction, action_label

    assert action_label("address_validated") == "Address checked"
    assert all(action_label(a.value) != a.value for a in AuditAction)  # never the raw code
    assert action_label("some_future_action") == "some_future_action"
