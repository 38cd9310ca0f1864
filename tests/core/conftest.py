"""The store on both backends: each test taking ``store`` runs on a SQLite file and on a PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shipdesk.core.store import Store, open_store
from tests.support.postgres import PASSWORD


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[Store]:
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
        opened = open_store(tmp_path / "data", url=url, password=PASSWORD, station="TEST-PC")
    else:
        opened = open_store(tmp_path / "data", station="TEST-PC")
    yield opened
    opened.close()


@pytest.fixture
def sqlite_store(tmp_path) -> Iterator[Store]:
    opened = open_store(tmp_path / "data")
    yield opened
    opened.close()
