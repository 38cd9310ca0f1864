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
