"""Config file: reading, error sentences an admin can act on (a misspelled key included), and saving
without losing comments or writing defaults."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from shipdesk.core.settings.config import Config, load_config, save_config
from shipdesk.demo.settings import demo_config
from shipdesk.errors import ConfigError

ADMIN_FILE = """\
# ACME warehouse 3 - maintained by IT (ticket 4711)
[acumatica]
url = "https://acme.acumatica.com/"   # production tenant
version = "24.200.001"
company = "ACME"
username = "shipdesk"
ready_statuses = ["Open"]

[ups]
base_url = "https://wwwcie.ups.com"   # test environment until go-live
client_id = "abc123"
account_number = "a1b2c3"
label_format = "zpl"
address_validation = "always"

[ups.services]                        # Ship Via -> UPS service
"UPSGROUND" = "03"
"UPS2DAY" = "02"

[shipper]
name = "ACME Industrial Supply"
address_lines = ["100 Main St"]
city = "Atlanta"
postal_code = "30301"

[[printing.profiles]]
name = "Dock 1"
kind = "network"                      # Zebra ZT411 by the dock door
label_format = "ZPL"
host = "10.0.0.21"
dpi = 203                             # retired: older shipdesk read it

[ui]
delivered_visible_days = 7            # retired too
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str) -> tuple[Path, str]:
    """The sentence ``load_config`` refuses ``text`` with, and the file it was in."""
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    return path, str(err.value)


def test_reads_the_admins_file(tmp_path):
    config = load_config(write(tmp_path, ADMIN_FILE))

    assert config.is_configured
    assert config.acumatica.url == "https://acme.acumatica.com"  # trailing slash dropped
    assert config.ups.label_format == "ZPL"
    assert config.ups.account_number == "A1B2C3"
    assert config.ups.services["UPS2DAY"] == "02" and "FEDEX" not in config.ups.services
    assert config.printing.profile().host == "10.0.0.21"  # only profile = default
    assert config.sync.interval_minutes == 15
    assert config.missing_settings() == []


def test_missing_file_is_unconfigured_not_an_error(tmp_path):
    config = load_config(tmp_path / "nothing.toml")
    assert not config.is_configured
    with pytest.raises(ConfigError) as err:
        config.require("ups")
    assert "[ups] client_id" in str(err.value) and "[ups] account_number" in str(err.value)


def test_save_keeps_comments_and_retired_keys_and_writes_only_what_changed(tmp_path):
    path = write(tmp_path, ADMIN_FILE)
    config = load_config(path)
    services = {**config.ups.services, "UPSNEXTDAY": "01"}
    del services["UPS2DAY"]
    changed = replace(config, ups=replace(config.ups, client_id="new-id", services=services))

    save_config(path, changed)

    text = path.read_text(encoding="utf-8")
    for kept in ("# ACME warehouse 3 - maintained by IT (ticket 4711)", "# production tenant",
                 "# test environment until go-live", "# Ship Via -> UPS service", "# Zebra ZT411 by the dock door",
                 "dpi = 203", "delivered_visible_days = 7"):
        assert kept in text
    assert load_config(path) == changed
    assert '"UPS2DAY"' not in text
    assert "[sync]" not in text and "negotiated_rates" not in text  # defaults are not added


def test_save_writes_only_the_values_that_differ_from_their_defaults(tmp_path):
    path = tmp_path / "config.toml"
    save_config(path, Config())
    assert path.read_text(encoding="utf-8").strip() == ""

    save_config(path, replace(Config(), sync=replace(Config().sync, concurrency=8)))

    assert path.read_text(encoding="utf-8").split() == ["[sync]", "concurrency", "=", "8"]


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ('[ups]\nadress_validation = "never"', "[ups] adress_validation is not a setting; did you mean "
                                                "address_validation?"),
        ("[sycn]\ninterval_minutes = 5", "[sycn] is not a section; did you mean [sync]?"),
        ('[ups.servics]\nUPSGROUND = "03"', "[ups.servics] is not a section; did you mean [ups.services]?"),
        ("[sync.listener]\nPort = 9000", "[sync.listener] Port is not a setting; did you mean port?"),
        ('[[printing.profiles]]\nname = "A"\nhots = "10.0.0.9"',
         "[printing.profiles #1] hots is not a setting; did you mean host?"),
        ('[ui]\nwallpaper = "blue"', "[ui] wallpaper is not a setting; [ui] has confirm_void, scanner_burst_ms, "
                                      "scanner_prefix, scanner_suffix, offer_new_label_after_minutes."),
        ("[database]\nurl = 'x'", "[database] is not a section; the sections are [acumatica], [ups], [shipper]"),
    ],
)
def test_an_unknown_key_is_an_error_naming_the_closest_known_one(tmp_path, text, sentence):
    path, message = load_error(tmp_path, text)
    assert f"In {path}, {sentence}" in message


def test_retired_keys_of_older_files_are_read_and_ignored(tmp_path):
    config = load_config(write(tmp_path, ADMIN_FILE))
    assert config.printing.profiles[0].name == "Dock 1" and config.ui.confirm_void


def test_round_trip_of_a_new_file(tmp_path):
    path = tmp_path / "sub" / "config.toml"
    config = demo_config("http://127.0.0.1:1234", "http://127.0.0.1:5678")
    save_config(path, config)
    again = load_config(path)
    assert again == config
    assert again.ups.services["UPSWWEXP"] == "07"
    assert again.is_configured


def test_demo_config_has_no_secrets_and_talks_to_the_sandboxes(tmp_path):
    config = demo_config("http://127.0.0.1:1", "http://127.0.0.1:2")
    save_config(tmp_path / "demo.toml", config)
    text = (tmp_path / "demo.toml").read_text()
    assert "demo\"" in text  # client id
    assert "password" not in text and "secret" not in text
    assert config.acumatica.company == "Demo" and config.acumatica.username == "admin"
    assert config.shipper.city == "Atlanta" and config.shipper.state == "GA"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[ups]\nlabel_format = "PDF"', "[ups] label_format must be one of GIF, PNG, ZPL, EPL (found 'PDF')"),
        ('[acumatica]\nurl = "acme.acumatica.com"', "[acumatica] url must be a web address starting with https://"),
        ('[sync]\ninterval_minutes = "15"', "[sync] interval_minutes must be a whole number from 1 to 1440"),
        ("[sync]\nconcurrency = 0", "[sync] concurrency must be a whole number from 1 to 32 (found 0)"),
        ('[acumatica]\nconfirm_after_label = "yes"', "[acumatica] confirm_after_label must be true or false"),
        ('[acumatica]\ncorrect_confirmed = 1', "[acumatica] correct_confirmed must be true or false"),
        ("[ups]\naddress_validation = \"sometimes\"", "must be one of always, ask, never"),
        ('[ups.services]\nUPSGROUND = 3', "[ups.services] UPSGROUND must be text in quotes"),
        ('[ups.services]\nUPSGROUND = "GROUND"', "a 2-character UPS service code"),
        ("[acumatica]\nready_statuses = \"Open\"", "[acumatica] ready_statuses must be a list of texts"),
        ('[printing]\ndefault_profile = "Dock 9"', "[printing] default_profile must be the name of one of"),
        ('[[printing.profiles]]\nname = "A"\nkind = "fax"', "[printing.profiles #1] kind must be one of"),
        ("[ups]\nclient_id = 12", "[ups] client_id must be text in quotes"),
        ("ups = 3", "ups must be a table ([ups])"),
    ],
)
def test_bad_values_get_a_sentence_naming_file_key_and_expectation(tmp_path, text, expected):
    path, message = load_error(tmp_path, text)
    assert expected in message
    assert str(path) in message


def test_broken_toml_names_the_file_and_says_what_to_fix(tmp_path):
    path = write(tmp_path, "[ups]\nclient_id = abc\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value) and "not valid TOML" in str(err.value)


def test_save_refuses_to_overwrite_a_broken_file(tmp_path):
    path = write(tmp_path, "[ups\nbroken")
    with pytest.raises(ConfigError):
        save_config(path, Config())
    assert path.read_text() == "[ups\nbroken"


def test_oauth_needs_a_client_id(tmp_path):
    config = load_config(write(tmp_path, ADMIN_FILE.replace('username = "shipdesk"',
                                                            'username = "shipdesk"\nauth = "oauth"')))
    assert config.missing_settings("acumatica") == ["[acumatica] client_id"]


def test_epl_printers_and_the_correct_confirmed_switch_are_read(tmp_path):
    text = ADMIN_FILE.replace('label_format = "ZPL"\nhost', 'label_format = "epl"\nhost').replace(
        'ready_statuses = ["Open"]', 'ready_statuses = ["Open"]\ncorrect_confirmed = true')
    config = load_config(write(tmp_path, text))

    assert config.printing.profiles[0].label_format == "EPL"
    assert config.acumatica.correct_confirmed is True
    assert load_config(write(tmp_path, '[ups]\nlabel_format = "EPL"')).ups.label_format == "EPL"
    assert load_config(write(tmp_path, "")).acumatica.correct_confirmed is False  # off unless the admin says so
