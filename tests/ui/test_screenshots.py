"""docs/make_screenshots.py stages a demo day and saves the four README screenshots (offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from tests.support.docs_scripts import load_docs_script


@pytest.mark.timeout(90)  # a batch of six labels is part of it
def test_the_script_saves_four_screenshots_of_sensible_size(qapp, tmp_path, monkeypatch):
    monkeypatch.delenv("SHIPDESK_DEMO_ACUMATICA_URL", raising=False)
    monkeypatch.delenv("SHIPDESK_DEMO_UPS_URL", raising=False)
    shots = load_docs_script("make_screenshots").make_screenshots(tmp_path)
    assert [p.name for p in shots] == ["main-window.png", "address-dialog.png", "settings-dialog.png",
                                       "batch-results.png"]
    sizes = {p.name: QImage(str(p)).size() for p in shots}
    main = sizes["main-window.png"]
    assert (main.width(), main.height()) == (1440, 900)
    for name in ("address-dialog.png", "settings-dialog.png", "batch-results.png"):
        assert sizes[name].width() >= 600 and sizes[name].height() >= 300, name
    assert all(p.stat().st_size > 20_000 for p in shots)  # real pictures, not blank frames


def test_the_staged_day_shows_every_state_a_user_meets(qapp, tmp_path, monkeypatch):
    monkeypatch.delenv("SHIPDESK_DEMO_ACUMATICA_URL", raising=False)
    monkeypatch.delenv("SHIPDESK_DEMO_UPS_URL", raising=False)
    script = load_docs_script("make_screenshots")
    with script.demo_day(tmp_path / "data") as day:
        script.stage_warehouse_day(day)
        counts = day.services.listing().counts
    for state in ("ready", "needs_attention", "written_back", "in_transit", "delivered", "exception"):
        assert counts.get(state, 0) > 0 or (state == "ready" and counts.get("pending", 0) > 0), (state, counts)
