"""Secrets: environment over keyring, sentences that say how to set a missing one, keyring failures."""

from __future__ import annotations

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend

from shipdesk.core.settings.secrets import (
    KNOWN_SECRETS,
    clear_secret,
    find_secret,
    get_secret,
    set_secret,
)
from shipdesk.errors import ConfigError, MissingSecretError


class BrokenKeyring(KeyringBackend):
    """What a headless Linux box without Secret Service looks like to keyring."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service, username):
        raise keyring.errors.NoKeyringError("No recommended backend was available.")

    def set_password(self, service, username, password):
        raise keyring.errors.NoKeyringError("No recommended backend was available.")

    def delete_password(self, service, username):
        raise keyring.errors.NoKeyringError("No recommended backend was available.")


def test_known_secrets_and_their_environment_variables():
    assert {name: spec.env_var for name, spec in KNOWN_SECRETS.items()} == {
        "acumatica.password": "SHIPDESK_ACUMATICA_PASSWORD",
        "acumatica.client_secret": "SHIPDESK_ACUMATICA_CLIENT_SECRET",
        "ups.client_secret": "SHIPDESK_UPS_CLIENT_SECRET",
        "track_alert.client_secret": "SHIPDESK_TRACK_ALERT_CLIENT_SECRET",
        "track_alert.credential": "SHIPDESK_TRACK_ALERT_CREDENTIAL",
        "acumatica.push_secret": "SHIPDESK_ACUMATICA_PUSH_SECRET",
        "store.password": "SHIPDESK_STORE_PASSWORD",
    }


def test_set_get_clear_through_the_keyring(memory_keyring):
    set_secret("ups.client_secret", "s3cret")
    assert memory_keyring.passwords[("shipdesk", "ups.client_secret")] == "s3cret"
    assert get_secret("ups.client_secret") == "s3cret"
    clear_secret("ups.client_secret")
    assert find_secret("ups.client_secret") is None
    clear_secret("ups.client_secret")  # clearing twice is fine


def test_environment_overrides_keyring(monkeypatch):
    set_secret("acumatica.password", "from-keyring")
    monkeypatch.setenv("SHIPDESK_ACUMATICA_PASSWORD", "from-env")
    assert get_secret("acumatica.password") == "from-env"


def test_missing_secret_says_how_to_set_it():
    with pytest.raises(MissingSecretError) as err:
        get_secret("ups.client_secret")
    message = str(err.value)
    assert "shipdesk credentials set ups.client_secret" in message
    assert "SHIPDESK_UPS_CLIENT_SECRET" in message
    assert isinstance(err.value, ConfigError)  # the CLI exits 2


def test_unknown_secret_name_lists_the_known_ones():
    with pytest.raises(ConfigError) as err:
        set_secret("ups.password", "x")
    assert "ups.client_secret" in str(err.value)


def test_no_keyring_backend_is_a_clear_config_error(monkeypatch):
    keyring.set_keyring(BrokenKeyring())
    with pytest.raises(ConfigError) as err:
        set_secret("ups.client_secret", "s3cret")
    assert "keyring cannot be used" in str(err.value)
    assert "SHIPDESK_UPS_CLIENT_SECRET" in str(err.value)
    assert "s3cret" not in str(err.value)
    with pytest.raises(ConfigError):
        get_secret("ups.client_secret")
    # the environment still works on such a machine
    monkeypatch.setenv("SHIPDESK_UPS_CLIENT_SECRET", "env-secret")
    assert get_secret("ups.client_secret") == "env-secret"
