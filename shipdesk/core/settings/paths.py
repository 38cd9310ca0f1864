"""Where shipdesk keeps its files: the config file and the data folder (database, labels, logs, backups).

Two scopes:

- **user** (the default; one clerk per PC): each OS user has a config file and a data folder of their own;
- **machine** (a PC several people use, the sync service, a scheduled task under another account): one
  config file and one data folder for every user, the command line and the service. Windows:
  ``C:\\ProgramData\\shipdesk\\`` for both; Linux: ``/etc/shipdesk/config.toml`` and ``/var/lib/shipdesk/``;
  macOS: ``/Library/Application Support/shipdesk/``.

First match wins:

- the config file: ``--config``; ``SHIPDESK_CONFIG``; the machine config file when the scope is machine, that
  is when ``SHIPDESK_SCOPE=machine`` or when the machine config file itself says ``[paths] scope = "machine"``
  (read before the user's file, so IT decides for the whole PC); else the user's ``config.toml``.
- the data folder: ``SHIPDESK_DATA_DIR``; the machine data folder when the scope is machine
  (``SHIPDESK_SCOPE``, else ``[paths] scope`` of the config file in use); else the user's.

The installer sets those machine variables (``/SCOPE=machine``, ``/DATADIR``, ``/CONFIG``); a scheduled task or
a test can point shipdesk elsewhere without touching anybody's folders. The folders come from platformdirs,
except Linux's machine config folder: platformdirs' ``/etc/xdg`` is for desktop defaults, and the systemd
unit (``packaging/linux``) keeps shipdesk's config in ``/etc/shipdesk`` as Linux services do.
"""

from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from platformdirs import PlatformDirs

from shipdesk.errors import ConfigError
from shipdesk.i18n import _

APP_NAME = "shipdesk"
DATA_DIR_ENV = "SHIPDESK_DATA_DIR"
CONFIG_ENV = "SHIPDESK_CONFIG"
SCOPE_ENV = "SHIPDESK_SCOPE"
CONFIG_FILE = "config.toml"


class Scope(StrEnum):
    USER = "user"
    MACHINE = "machine"


def _dirs() -> PlatformDirs:
    # read every time: a test (or a process that changes HOME/XDG_*) sees the folders as they are now
    return PlatformDirs(APP_NAME, appauthor=False, roaming=True)


def user_config_dir() -> Path:
    """``%APPDATA%\\shipdesk`` (roaming), ``~/.config/shipdesk``, ``~/Library/Application Support/shipdesk``."""
    return Path(_dirs().user_config_dir)


def user_data_dir() -> Path:
    """``%LOCALAPPDATA%\\shipdesk`` (the database stays on the PC), ``~/.local/share/shipdesk``, macOS's
    Application Support."""
    return Path(PlatformDirs(APP_NAME, appauthor=False, roaming=False).user_data_dir)


def machine_config_dir() -> Path:
    """``C:\\ProgramData\\shipdesk``, ``/etc/shipdesk``, ``/Library/Application Support/shipdesk``."""
    if sys.platform == "win32" or sys.platform == "darwin":
        return Path(_dirs().site_config_dir)
    return Path("/etc") / APP_NAME


def machine_data_dir() -> Path:
    """``C:\\ProgramData\\shipdesk``, ``/var/lib/shipdesk``, ``/Library/Application Support/shipdesk``."""
    return Path(_dirs().site_state_dir)


@dataclass(frozen=True)
class Locations:
    """The config file and data folder this process uses, and the scope that chose them."""

    scope: Scope
    config: Path
    data: Path


def locations(cli_config: str | os.PathLike[str] | None = None, *, scope: Scope | None = None) -> Locations:
    """Resolve the config file and the data folder (see the module's docstring). ``scope`` forces one (the
    sync service takes the machine's folders unless told otherwise); ``SHIPDESK_SCOPE`` does the same.

    Raises ConfigError for a ``SHIPDESK_SCOPE`` that is neither ``user`` nor ``machine``."""
    config, chosen = _config_file(cli_config, scope or _scope_from_environment())
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        data = Path(override).expanduser()
    else:
        data = machine_data_dir() if chosen is Scope.MACHINE else user_data_dir()
    return Locations(chosen, config, data)


def data_dir(cli_config: str | os.PathLike[str] | None = None) -> Path:
    """The data folder (not created here: :meth:`DataPaths.ensure` does that)."""
    return locations(cli_config).data


def config_path(cli_arg: str | os.PathLike[str] | None = None) -> Path:
    """The config file: ``--config``, ``SHIPDESK_CONFIG``, the machine's (scope machine), the user's."""
    return locations(cli_arg).config


def _scope_from_environment() -> Scope | None:
    value = os.environ.get(SCOPE_ENV, "").strip()
    if not value:
        return None
    try:
        return Scope(value.lower())
    except ValueError:
        raise ConfigError(_("The environment variable {variable} is '{value}'; it must be user or machine.").format(
                              variable=SCOPE_ENV, value=value),
                          hint=_("Correct it, or remove it to use each user's own folders.")) from None


def _config_file(cli_config: str | os.PathLike[str] | None, scope: Scope | None) -> tuple[Path, Scope]:
    """The config file in use, and the scope: ``scope`` when given, else what the file in use says."""
    given = cli_config or os.environ.get(CONFIG_ENV)
    if given:
        file = Path(given).expanduser()
        return file, scope or _declared_scope(file) or Scope.USER
    machine = machine_config_dir() / CONFIG_FILE
    if scope is None and _declared_scope(machine, broken=Scope.MACHINE) is Scope.MACHINE:
        scope = Scope.MACHINE
    if scope is Scope.MACHINE:
        return machine, scope
    user = user_config_dir() / CONFIG_FILE
    return user, scope or _declared_scope(user) or Scope.USER


def _declared_scope(file: Path, *, broken: Scope | None = None) -> Scope | None:
    """``[paths] scope`` of a config file; None when it says nothing. ``broken`` is the answer for a file that
    cannot be read or checked: the machine config file is then taken as the one in use, so that the command
    or the app reports what is wrong with it, instead of quietly using each user's own files."""
    try:
        data = tomllib.loads(file.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return broken
    table = data.get("paths")
    value = table.get("scope") if isinstance(table, dict) else None
    if value is None:
        return None
    try:
        return Scope(value)
    except ValueError:
        return broken


@dataclass(frozen=True)
class DataPaths:
    """Every file and folder under one data folder."""

    root: Path

    @classmethod
    def default(cls, cli_config: str | os.PathLike[str] | None = None) -> DataPaths:
        return cls(data_dir(cli_config))

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
