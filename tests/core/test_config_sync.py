"""The [sync] keys: poll cadence, account-wide Track Alert, the listener's own client id."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from shipdesk.core.settings.config import Config, ListenerConfig, SyncConfig, load_config, save_config
from shipdesk.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_poll_hourly_and_sooner_on_the_delivery_day(tmp_path):
    sync = load_config(write(tmp_path, "[sync]\ninterval_minutes = 15\n")).sync

    assert (sync.poll_every_minutes, sync.poll_due_today_minutes, sync.first_poll_after_minutes) == (60, 15, 60)
    assert sync.account_wide_alerts is False
    assert sync.listener.client_id == ""


def test_the_admin_s_values_are_read(tmp_path):
    sync = load_config(write(tmp_path, """\
[sync]
poll_every_minutes = 120
poll_due_today_minutes = 10
first_poll_after_minutes = 0
account_wide_alerts = true

[sync.listener]
client_id = " warehouse-3 "
""")).sync

    assert (sync.poll_every_minutes, sync.poll_due_today_minutes, sync.first_poll_after_minutes) == (120, 10, 0)
    assert sync.account_wide_alerts is True
    assert sync.listener.client_id == "warehouse-3"


@pytest.mark.parametrize(("text", "message"), [
    ("[sync]\npoll_every_minutes = 0", "[sync] poll_every_minutes must be a whole number from 1 to 10080 (found 0)"),
    ("[sync]\npoll_due_today_minutes = 1.5", "[sync] poll_due_today_minutes must be a whole number from 1 to 1440"),
    ('[sync]\nfirst_poll_after_minutes = "60"', "[sync] first_poll_after_minutes must be a whole number"),
    ('[sync]\naccount_wide_alerts = "yes"', "[sync] account_wide_alerts must be true or false"),
    ("[sync.listener]\nclient_id = 42", "[sync.listener] client_id must be text in quotes"),
])
def test_wrong_values_name_the_key(tmp_path, text, message):
    with pytest.raises(ConfigError) as raised:
        load_config(write(tmp_path, text))
    assert message in str(raised.value)


def test_saved_values_read_back_and_defaults_stay_out_of_the_file(tmp_path):
    path = tmp_path / "config.toml"
    save_config(path, Config())
    assert "poll_every_minutes" not in path.read_text(encoding="utf-8")
    changed = replace(Config(), sync=SyncConfig(poll_every_minutes=90, account_wide_alerts=True,
                                                listener=ListenerConfig(client_id="warehouse-3")))

    save_config(path, changed)

    assert load_config(path).sync == changed.sync
    assert "poll_due_today_minutes" not in path.read_text(encoding="utf-8")
