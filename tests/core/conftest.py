from __future__ import annotations

import pytest

from shipdesk.core.store import Store, open_store


@pytest.fixture
def store(tmp_path) -> Store:
    opened = open_store(tmp_path / "data")
    yield opened
    opened.close()
