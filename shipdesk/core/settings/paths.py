"""Where shipdesk keeps its files: the data folder (database, labels, logs, backups) and the config file.

Order of precedence, so a scheduled task or a test can point shipdesk elsewhere without touching the user's
folders: data folder = ``SHIPDESK_DATA_DIR``, else the platform's user data folder; config file = the
``--config`` argument, else ``SHIPDESK_CONFIG``, else ``config.toml`` in the platform's user config folder.
Standard library only.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "shipdesk"
DATA_DIR_ENV = "SHIPDESK_DATA_DIR"
CONFIG_ENV = "SHIPDESK_CONFIG"


def _user_data_root() -> Path:
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    if sys.platform == "darwin":
        return home / "Library" / "Application Support"
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")


def _user_config_root() -> Path:
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
    if sys.platform == "darwin":
        return home / "Library" / "Application Support"
    return Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")


def data_dir() -> Path:
    """The data folder (not created here: :meth:`DataPaths.ensure` does that)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return _user_data_root() / APP_NAME


def config_path(cli_arg: str | os.PathLike[str] | None = None) -> Path:
    """The config file: ``--config`` wins, then ``SHIPDESK_CONFIG``, then the user config folder."""
    if cli_arg:
        return Path(cli_arg).expanduser()
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return _user_config_root() / APP_NAME / "config.toml"


@dataclass(frozen=True)
class DataPaths:
    """Every file and folder under one data folder."""

    root: Path

    @classmethod
    def default(cls) -> DataPaths:
        return cls(data_dir())

    @property
    def database(self) -> Path:
        return self.root / "shipdesk.db"

    @property
    def labels(self) -> Path:
        return self.root / "labels"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def token_cache(self) -> Path:
        """The UPS OAuth token, sealed (see ``core.settings.secrets.FileTokenStore``)."""
        return self.root / "ups-token.bin"

    def ensure(self) -> DataPaths:
        """Create the data folder and its subfolders; return self for chaining."""
        for folder in (self.root, self.labels, self.logs, self.backups):
            folder.mkdir(parents=True, exist_ok=True)
        return self
