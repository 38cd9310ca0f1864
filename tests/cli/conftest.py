"""The command line, run in-process against sandboxes started by the test (``--demo`` reuses them)."""

from __future__ import annotations

import pytest

from shipdesk.demo.launcher import ACUMATICA_URL_ENV, UPS_URL_ENV
from shipdesk.sandbox import Sandboxes


@pytest.fixture
def demo_env(started_sandboxes: Sandboxes, monkeypatch) -> Sandboxes:
    """``shipdesk --demo`` in this test talks to the module's sandboxes, reset to the seeded day."""
    started_sandboxes.reset()
    monkeypatch.setenv(ACUMATICA_URL_ENV, started_sandboxes.acumatica_url)
    monkeypatch.setenv(UPS_URL_ENV, started_sandboxes.ups_url)
    return started_sandboxes
