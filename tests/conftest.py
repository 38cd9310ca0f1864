"""Test-wide setup: Qt offscreen, an in-memory keyring, a temp data folder per test, no real network."""

from __future__ import annotations

import os
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import pytest
from keyring.backend import KeyringBackend

from shipdesk.i18n import use_language
from shipdesk.sandbox import Sandboxes, start_sandboxes

#: the session's PostgreSQL server and a fresh database per test (``postgres_server``, ``postgres_url``)
pytest_plugins = ("tests.support.postgres",)


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in memory: tests never touch the OS keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Each test gets its own data and config folder; the real user folders are never touched."""
    data = tmp_path / "data"
    monkeypatch.setenv("SHIPDESK_DATA_DIR", str(data))
    monkeypatch.setenv("SHIPDESK_CONFIG", str(tmp_path / "config.toml"))
    for name in ("SHIPDESK_ACUMATICA_PASSWORD", "SHIPDESK_UPS_CLIENT_SECRET", "SHIPDESK_STORE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture(scope="module")
def started_sandboxes() -> Iterator[Sandboxes]:
    """One pair of sandboxes per test module: starting and stopping servers costs more than a reset."""
    with start_sandboxes() as started:
        yield started


@pytest.fixture
def sandboxes(started_sandboxes: Sandboxes) -> Sandboxes:
    """The module's sandboxes back at the seeded day: real time, seed data, no faults."""
    started_sandboxes.reset()
    return started_sandboxes


@pytest.fixture(autouse=True)
def english_whatever_the_machine_speaks(monkeypatch) -> Iterator[None]:
    """Tests read English: ``shipdesk`` picks the OS's language when the config names none, so a machine with
    ``LANG=es_MX.UTF-8`` would otherwise change every sentence; a test that switches the language is undone."""
    monkeypatch.setenv("LANGUAGE", "en")
    yield
    use_language("en")
