"""UI tests drive real widgets offscreen (QT_QPA_PLATFORM is set by the top-level conftest)."""

from __future__ import annotations

import pytest

from tests.ui.fakes import FakeServices


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.ui)


@pytest.fixture
def fake_services() -> FakeServices:
    return FakeServices()
