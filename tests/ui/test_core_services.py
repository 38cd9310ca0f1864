"""CoreServices, the UI's adapter over core, against the sandboxes: the settings checks and saving."""

from __future__ import annotations

from dataclasses import replace

import keyring
import pytest

from shipdesk.core.context import AppContext
from shipdesk.core.settings.config import load_config
from shipdesk.core.settings.paths import config_path, data_dir
from shipdesk.demo.launcher import DEMO_SECRETS, start_demo
from shipdesk.errors import AuthenticationFailed, EndpointVersionNotFound
from shipdesk.ui.core_services import CoreServices


@pytest.fixture(scope="module")
def sandboxes_and_config():
    sandboxes, config = start_demo()
    yield sandboxes, config
    sandboxes.stop()


@pytest.fixture
def services(sandboxes_and_config):
    _sandboxes, config = sandboxes_and_config
    context = AppContext.from_config(config, data_dir=data_dir(), demo=False, secret_values=DEMO_SECRETS)
    svc = CoreServices(context, config_path=config_path())
    yield svc
    svc.close()


def test_acumatica_test_passes_with_the_right_settings(services):
    message = services.test_acumatica(services.config, {"acumatica.password": "demo"})
    assert "Signed in to" in message and "24.200.001" in message


def test_acumatica_test_names_the_versions_available_for_a_wrong_one(services):
    config = services.config
    wrong = replace(config, acumatica=replace(config.acumatica, version="21.100.001"))
    with pytest.raises(EndpointVersionNotFound) as caught:
        services.test_acumatica(wrong, {"acumatica.password": "demo"})
    assert "21.100.001" in str(caught.value)
    assert "24.200.001" in str(caught.value)


def test_acumatica_test_says_the_password_is_wrong(services):
    with pytest.raises(AuthenticationFailed) as caught:
        services.test_acumatica(services.config, {"acumatica.password": "not-the-password"})
    assert "not-the-password" not in str(caught.value)  # never echo a secret


def test_ups_test_reports_the_token(services):
    assert "UPS accepted client demo" in services.test_ups(services.config, {"ups.client_secret": "demo"})


def test_ups_test_with_a_wrong_secret_fails_with_a_sentence(services):
    with pytest.raises(AuthenticationFailed) as caught:
        services.test_ups(services.config, {"ups.client_secret": "Zx9-not-it"})
    assert str(caught.value)
    assert "Zx9-not-it" not in str(caught.value)


def test_ship_via_codes_come_from_acumatica(services):
    assert {"UPSGROUND", "UPS2DAY"} <= set(services.ship_via_codes(services.config, {"acumatica.password": "demo"}))


def test_save_keeps_comments_and_puts_secrets_in_the_keyring(services):
    path = config_path()
    path.write_text("# set up by IT, call Bob before changing\n[sync]\ninterval_minutes = 15\n")
    config = replace(services.config, sync=replace(services.config.sync, interval_minutes=7))
    saved = services.save_settings(config, {"ups.client_secret": "s3cret"})
    assert saved.sync.interval_minutes == 7
    assert "call Bob" in path.read_text()
    assert load_config(path).acumatica.url == config.acumatica.url
    assert keyring.get_password("shipdesk", "ups.client_secret") == "s3cret"
    assert "s3cret" not in path.read_text()
    assert services.config.sync.interval_minutes == 7  # the running app uses the new settings


def test_saved_settings_reach_the_ups_client_without_a_restart(services):
    before = services.context.ups
    moved = replace(services.config, ups=replace(services.config.ups, account_number="Z9Y8X7"))
    services.save_settings(moved, {})
    assert services.context.ups is not before  # the next UPS call uses the new settings
    assert services.context.ups.account_number == "Z9Y8X7"


def test_a_service_failing_then_answering_is_told_once_each_way_and_shown(services):
    from shipdesk.core.events import ServiceStatusChanged
    from shipdesk.errors import ConnectionFailed, Service

    heard: list[ServiceStatusChanged] = []
    services.events.subscribe(ServiceStatusChanged, heard.append)
    for _ in range(2):  # the second failure changes nothing: not told again
        with pytest.raises(ConnectionFailed), services.health.talking_to(Service.UPS):
            raise ConnectionFailed("UPS cannot be reached: check the internet connection.", service="UPS")
    assert services.status().ups == "unreachable"
    for _ in range(2):
        with services.health.talking_to(Service.UPS):
            pass  # a call that got its answer
    assert services.status().ups == "connected"
    assert [(e.service, e.reachable) for e in heard] == [(Service.UPS, False), (Service.UPS, True)]
    assert heard[0].sentence == "UPS cannot be reached: check the internet connection."
    assert services.status().acumatica == "not connected"  # nobody asked Acumatica yet
