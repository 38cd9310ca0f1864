"""The scale as a config table (``[scale]``) and ``shipdesk scale test`` reading a simulated SICS scale on a pty."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from shipdesk import cli
from shipdesk.core.settings.config import Config, ScaleConfig, check_settings, load_config, save_config
from shipdesk.devices.scales import ScaleKind
from shipdesk.errors import ConfigError
from tests.devices.conftest import serial_scale  # noqa: F401  (the fixture)


def test_the_scale_table_is_read_checked_and_written_back(tmp_path):
    config = check_settings({"scale": {"kind": "NCI", "port": "COM3", "data_format": "7e1"}}, "test")
    assert config.scale.kind is ScaleKind.NCI and config.scale.device().data_format == "7E1"
    assert config.scale.device().where == "the scale on COM3"

    with pytest.raises(ConfigError, match="baud rate 9601"):
        check_settings({"scale": {"kind": "sics", "port": "COM3", "baud_rate": 9601}}, "test").scale.device()
    assert "[scale] port" in check_settings({"scale": {"kind": "sics"}}, "test").missing_settings("scale")

    save_config(tmp_path / "c.toml", Config(scale=ScaleConfig(kind=ScaleKind.SICS, port="/dev/ttyUSB0")))
    assert load_config(tmp_path / "c.toml").scale.port == "/dev/ttyUSB0"


def test_scale_test_reads_the_simulated_scale_on_a_pty(serial_scale, isolated_dirs, capsys):  # noqa: F811
    scale = serial_scale("sics")
    scale.put(Decimal("3.42"))
    save_config(isolated_dirs / "config.toml", Config(scale=ScaleConfig(kind=ScaleKind.SICS, port=scale.port)))

    code = cli.main(["--json", "scale", "test"])

    answer = json.loads(capsys.readouterr().out)
    assert code == 0 and answer["ok"] and answer["weight"] == "3.42" and answer["unit"] == "lb"
    assert scale.requests  # the command spoke SICS to the pty

    scale.overload = True
    assert cli.main(["scale", "test"]) == 1
    assert "over capacity" in capsys.readouterr().out


def test_scale_test_without_a_scale_says_so(isolated_dirs, capsys):
    assert cli.main(["scale", "test"]) == 2
    assert "No scale is set up" in capsys.readouterr().out
