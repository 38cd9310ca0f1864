"""UI tests drive real widgets offscreen (QT_QPA_PLATFORM is set by the top-level conftest)."""

from __future__ import annotations

import pytest

from tests.ui.fakes import FakeServices

WAIT_MS = 5000


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.ui)


@pytest.fixture
def fake_services() -> FakeServices:
    return FakeServices()


@pytest.fixture
def window(qtbot, fake_services):
    """The main window over ``fake_services``, shown, with its first listing and status read."""
    from shipdesk.ui.window.main_window import MainWindow

    win = MainWindow(fake_services)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.listing_loaded, timeout=WAIT_MS):
        win.show()
    qtbot.waitUntil(lambda: "UPS: connected" in win.status.ups.text(), timeout=WAIT_MS)
    yield win
    win.bridge.wait_for_done(WAIT_MS)
