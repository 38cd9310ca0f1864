"""Secrets never reach SQLite, the data folder, the logs or an error message in clear text."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from shipdesk.core.context import AppContext
from shipdesk.core.settings import secrets
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.tracking.sync import SyncService
from shipdesk.demo.settings import demo_config
from shipdesk.errors import ShipdeskError
from shipdesk.sandbox import start_sandboxes

ACUMATICA_PASSWORD = "Acu-Pa55word-7f3c1e"
UPS_SECRET = "Ups-Cl1ent-Secret-9d2b4a"


def _every_byte_under(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_secrets_and_the_ups_token_stay_out_of_files_logs_and_errors(tmp_path, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    with start_sandboxes(acumatica_password=ACUMATICA_PASSWORD, ups_secret=UPS_SECRET) as sandboxes:
        secrets.set_secret("acumatica.password", ACUMATICA_PASSWORD)  # the tests' in-memory keyring
        secrets.set_secret("ups.client_secret", UPS_SECRET)
        config = demo_config(sandboxes.acumatica_url, sandboxes.ups_url)
        context = AppContext.from_config(config, data_dir=tmp_path / "data")
        flow = ShipFlow(context)
        try:
            assert flow.ship("SH000101", print_labels=False).ok
            SyncService(context, flow=flow).run_cycle()
            tokens = list(sandboxes.ups.tokens.tokens)  # what UPS handed out
            assert tokens
            errors = []
            secrets.set_secret("acumatica.password", "wrong-" + ACUMATICA_PASSWORD)
            with pytest.raises(ShipdeskError) as refused:
                flow.pull()
            errors.append(str(refused.value))
        finally:
            context.close()

    leaks = [ACUMATICA_PASSWORD, UPS_SECRET, *tokens]
    stored = _every_byte_under(tmp_path / "data")  # SQLite (and its WAL), token cache, labels, logs
    logged = caplog.text
    assert b"SH000101" in stored and "UPS granted a new access token" in logged  # both were really looked at
    for secret in leaks:
        assert secret.encode() not in stored
        assert secret not in logged
        assert all(secret not in e for e in errors)
    assert "refused to sign in" in errors[0]
