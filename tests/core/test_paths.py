from __future__ import annotations

import sys
from pathlib import Path

import pytest

from shipdesk.core.settings import paths


def test_environment_points_to_the_data_folder_and_config(tmp_path):
    assert paths.data_dir() == tmp_path / "data"
    assert paths.config_path() == tmp_path / "config.toml"
    assert paths.config_path(tmp_path / "other.toml") == tmp_path / "other.toml"  # --config wins


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG folders are the Linux rule")
def test_linux_user_folders(monkeypatch, tmp_path):
    monkeypatch.delenv("SHIPDESK_DATA_DIR")
    monkeypatch.delenv("SHIPDESK_CONFIG")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert paths.data_dir() == tmp_path / "xdg-data" / "shipdesk"
    assert paths.config_path() == tmp_path / "home" / ".config" / "shipdesk" / "config.toml"


def test_ensure_creates_the_subfolders(tmp_path):
    data = paths.DataPaths(Path(tmp_path / "d")).ensure()
    assert all(p.is_dir() for p in (data.labels, data.logs, data.backups))
    assert data.database.parent == data.root


# -- user or machine scope ----------------------------------------------------------------------------------
@pytest.fixture
def pc(monkeypatch, tmp_path):
    """A PC with no shipdesk variables: this user's folders and the machine's, both under tmp_path."""
    for name in ("SHIPDESK_DATA_DIR", "SHIPDESK_CONFIG", "SHIPDESK_SCOPE"):
        monkeypatch.delenv(name, raising=False)
    user_config, user_data = tmp_path / "user-config", tmp_path / "user-data"
    machine_config, machine_data = tmp_path / "etc" / "shipdesk", tmp_path / "var-lib" / "shipdesk"
    monkeypatch.setattr(paths, "user_config_dir", lambda: user_config)
    monkeypatch.setattr(paths, "user_data_dir", lambda: user_data)
    monkeypatch.setattr(paths, "machine_config_dir", lambda: machine_config)
    monkeypatch.setattr(paths, "machine_data_dir", lambda: machine_data)
    return {"user": (user_config / "config.toml", user_data), "machine": (machine_config / "config.toml", machine_data)}


def _write(file: Path, text: str) -> Path:
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return file


def _where(cli_config: str | Path | None = None) -> tuple[Path, Path]:
    found = paths.locations(cli_config)
    return found.config, found.data


def test_a_single_clerk_pc_uses_the_users_own_folders(pc):
    assert _where() == pc["user"]
    assert paths.locations().scope is paths.Scope.USER


def test_the_installer_variable_gives_every_user_the_machine_folders(pc, monkeypatch):
    monkeypatch.setenv("SHIPDESK_SCOPE", "machine")  # /SCOPE=machine or /SERVICE=1
    assert _where() == pc["machine"]


def test_a_machine_config_file_declaring_machine_scope_wins_over_the_users_file(pc):
    _write(pc["user"][0], '[ui]\n')  # this clerk used shipdesk alone before IT set the PC up
    _write(pc["machine"][0], '[paths]\nscope = "machine"\n')

    assert _where() == pc["machine"]


def test_a_machine_config_file_without_the_scope_is_not_used(pc):
    _write(pc["machine"][0], '[ui]\n')
    assert _where() == pc["user"]


def test_a_users_file_may_put_the_data_in_the_machine_folder(pc):
    _write(pc["user"][0], '[paths]\nscope = "machine"\n')
    assert _where() == (pc["user"][0], pc["machine"][1])


def test_a_config_file_given_on_the_command_line_decides_the_data_folder(pc, tmp_path):
    task = _write(tmp_path / "task.toml", '[paths]\nscope = "machine"\n')  # a scheduled task's --config
    assert _where(task) == (task, pc["machine"][1])
    assert _where(_write(tmp_path / "mine.toml", "")) == (tmp_path / "mine.toml", pc["user"][1])


def test_the_data_folder_variable_wins(pc, monkeypatch, tmp_path):
    monkeypatch.setenv("SHIPDESK_SCOPE", "machine")
    monkeypatch.setenv("SHIPDESK_DATA_DIR", str(tmp_path / "D-drive"))  # /DATADIR=D:\shipdesk
    assert _where() == (pc["machine"][0], tmp_path / "D-drive")


def test_a_broken_machine_config_file_is_the_one_reported_not_silently_skipped(pc):
    from shipdesk.core.settings.config import load_config
    from shipdesk.errors import ConfigError

    _write(pc["machine"][0], '[paths]\nscope = "machine\n')  # unterminated string

    assert _where() == pc["machine"]
    with pytest.raises(ConfigError):
        load_config(paths.config_path())


def test_a_wrong_scope_variable_is_a_sentence(pc, monkeypatch):
    from shipdesk.errors import ConfigError

    monkeypatch.setenv("SHIPDESK_SCOPE", "everyone")
    with pytest.raises(ConfigError, match=r"SHIPDESK_SCOPE.*user or machine"):
        paths.locations()


@pytest.mark.skipif(sys.platform != "linux", reason="the Linux machine folders")
def test_linux_machine_folders():
    assert paths.machine_config_dir() == Path("/etc/shipdesk")
    assert paths.machine_data_dir() == Path("/var/lib/shipdesk")
