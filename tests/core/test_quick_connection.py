"""Checking a connection ("Test connection", ``shipdesk ping``) answers in seconds for a wrong address."""

from __future__ import annotations

import socket

import pytest

from shipdesk import cli
from shipdesk.core.context import AppContext
from shipdesk.core.settings.config import save_config
from shipdesk.demo.settings import demo_config
from shipdesk.errors import ConnectionFailed
from shipdesk.ui.core_services import CoreServices

SECRETS = {"acumatica.password": "demo", "ups.client_secret": "demo"}


@pytest.fixture
def closed_url() -> str:
    """An address on this PC where nothing listens: every connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def context(tmp_path, closed_url):
    with AppContext.from_config(demo_config(closed_url, closed_url), data_dir=tmp_path / "data",
                                secret_values=SECRETS) as made:
        yield made


def test_a_quick_acumatica_client_gives_up_after_two_tries(context, closed_url):
    client = context.acumatica(quick=True)

    with pytest.raises(ConnectionFailed, match=f"Cannot reach Acumatica at {closed_url}"):
        client.login()
    assert client.transport.requests_sent == 2


def test_the_normal_acumatica_client_keeps_its_retry_budget(context):
    assert context.acumatica().transport.policy.max_attempts > 2  # the sync rides out a hiccup


def test_a_quick_ups_ping_gives_up_after_two_tries(context, closed_url):
    client = context.ups_client(quick=True)
    try:
        with pytest.raises(ConnectionFailed, match=f"Cannot reach UPS at {closed_url}.*tried 2 times"):
            client.ping()
    finally:
        client.close()


def test_settings_test_connection_fails_quickly_with_the_sentence(context, closed_url):
    services = CoreServices(context)
    config = demo_config(closed_url, closed_url)

    for check in (services.test_acumatica, services.test_ups, services.ship_via_codes):
        with pytest.raises(ConnectionFailed, match="tried 2 times"):
            check(config, SECRETS)


def test_ping_reports_a_wrong_address_after_two_tries(isolated_dirs, closed_url, monkeypatch, capsys):
    config = demo_config(closed_url, closed_url)
    save_config(isolated_dirs / "config.toml", config)
    monkeypatch.setenv("SHIPDESK_ACUMATICA_PASSWORD", "demo")
    monkeypatch.setenv("SHIPDESK_UPS_CLIENT_SECRET", "demo")

    code = cli.main(["ping"])

    acumatica, ups, store = capsys.readouterr().out.splitlines()
    assert code == 1 and store.startswith("Store: OK.")
    assert acumatica.startswith("Acumatica: FAILED. Cannot reach Acumatica") and "tried 2 times" in acumatica
    assert ups.startswith("UPS: FAILED. Cannot reach UPS") and "tried 2 times" in ups
