"""Fixtures for UPS client tests: a ``responses`` mock, a token store, a client wired to both."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses

from shipdesk.ups.client import UpsClient
from shipdesk.ups.token_store import MemoryTokenStore

from .fakes import TOKEN_URL, make_client, token_body


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def store() -> MemoryTokenStore:
    return MemoryTokenStore()


@pytest.fixture
def client(mocked: responses.RequestsMock, store: MemoryTokenStore) -> UpsClient:
    """A client whose token endpoint answers; routes are registered by each test."""
    mocked.add(responses.POST, TOKEN_URL, json=token_body())
    return make_client(store)
