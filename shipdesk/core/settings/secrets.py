"""Passwords and client secrets: one small keyring layer, and the encrypted UPS token cache.

Where a secret comes from, in this order:
  1. its environment variable (headless runs, scheduled tasks, CI), e.g. ``SHIPDESK_UPS_CLIENT_SECRET``;
  2. the OS keyring, service ``shipdesk``, username = the secret's name (``ups.client_secret``).
Nothing else: secrets are never in the config file, never in logs, never in error messages.

``FileTokenStore`` keeps one station's UPS OAuth token between runs in a file of the data folder that only
its user can read, sealed by the UPS client with a key derived from the client secret, plus the daily
count of token grants (not secret) so the app, the scheduled sync and the command line share one budget.
(On the shared store the token lives in the database instead: ``core.store.tokens.StoreTokenStore``.)
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
from filelock import FileLock

from shipdesk.errors import ConfigError, MissingSecretError
from shipdesk.i18n import N_, _
from shipdesk.ups.token_store import SealedToken

log = logging.getLogger(__name__)

KEYRING_SERVICE = "shipdesk"
GRANT_DAYS_KEPT = 7


@dataclass(frozen=True)
class SecretSpec:
    name: str
    env_var: str
    description: str
    label: str  # what the settings dialog calls its field


KNOWN_SECRETS: dict[str, SecretSpec] = {
    spec.name: spec
    for spec in (
        SecretSpec("acumatica.password", "SHIPDESK_ACUMATICA_PASSWORD", N_("the Acumatica user's password"),
                   N_("Password")),
        SecretSpec("acumatica.client_secret", "SHIPDESK_ACUMATICA_CLIENT_SECRET",
                   N_("the Acumatica OAuth client secret"), N_("OAuth client secret")),
        SecretSpec("ups.client_secret", "SHIPDESK_UPS_CLIENT_SECRET", N_("the UPS app's client secret"),
                   N_("Client secret")),
        SecretSpec("track_alert.client_secret", "SHIPDESK_TRACK_ALERT_CLIENT_SECRET",
                   N_("the client secret UPS uses at the Track Alert listener's token URL"),
                   N_("Token URL client secret")),
        SecretSpec("track_alert.credential", "SHIPDESK_TRACK_ALERT_CREDENTIAL",
                   N_("the Track Alert v1 credential UPS sends back with each event"), N_("v1 credential")),
        SecretSpec("acumatica.push_secret", "SHIPDESK_ACUMATICA_PUSH_SECRET",
                   N_("the Header Value Acumatica sends with each push notification"), N_("Push header value")),
        SecretSpec("store.password", "SHIPDESK_STORE_PASSWORD", N_("the shared store's database password"),
                   N_("Database password")),
    )
}


def capitalised(text: str) -> str:
    """``the UPS app's client secret`` → ``The UPS app's client secret`` (to start a sentence)."""
    return text[:1].upper() + text[1:]


def _spec(name: str) -> SecretSpec:
    try:
        return KNOWN_SECRETS[name]
    except KeyError:
        known = ", ".join(KNOWN_SECRETS)
        raise ConfigError(_("'{name}' is not a secret shipdesk knows; use one of {known}.").format(
                              name=name, known=known)) from None


def _keyring_unavailable(exc: Exception, env_var: str | None = None) -> ConfigError:
    if env_var:
        hint = _("Install or unlock a keyring (Windows Credential Manager, macOS Keychain, Secret Service on Linux) "
                 "or set the environment variable {env_var}.").format(env_var=env_var)
    else:
        hint = _("Install or unlock a keyring (Windows Credential Manager, macOS Keychain, Secret Service on "
                 "Linux).")
    return ConfigError(
        _("The OS keyring cannot be used on this computer ({error}).").format(error=type(exc).__name__),
        hint=hint,
    )


def find_secret(name: str) -> str | None:
    """The secret, or None when neither the environment nor the keyring has it."""
    spec = _spec(name)
    from_env = os.environ.get(spec.env_var)
    if from_env:
        return from_env
    try:
        return keyring.get_password(KEYRING_SERVICE, name) or None
    except keyring.errors.KeyringError as exc:
        raise _keyring_unavailable(exc, spec.env_var) from exc


def get_secret(name: str) -> str:
    """The secret; raises MissingSecretError saying how to set it."""
    value = find_secret(name)
    if value is None:
        spec = KNOWN_SECRETS[name]
        raise MissingSecretError(
            _("{secret} is not set.").format(secret=capitalised(_(spec.description))),  # i18n: N_()-marked
            hint=_("Run `shipdesk credentials set {name}` (it reads the value from the keyboard or stdin), or set "
                   "the environment variable {env_var}.").format(name=name, env_var=spec.env_var),
        )
    return value


def set_secret(name: str, value: str) -> None:
    spec = _spec(name)
    if not value:
        raise ConfigError(_("An empty value cannot be stored for {name}.").format(name=name))
    try:
        keyring.set_password(KEYRING_SERVICE, name, value)
    except keyring.errors.KeyringError as exc:
        raise _keyring_unavailable(exc, spec.env_var) from exc


def clear_secret(name: str) -> None:
    """Remove the secret from the keyring (the environment variable, if set, still applies)."""
    spec = _spec(name)
    try:
        keyring.delete_password(KEYRING_SERVICE, name)
    except keyring.errors.PasswordDeleteError:
        pass  # already absent
    except keyring.errors.KeyringError as exc:
        raise _keyring_unavailable(exc, spec.env_var) from exc


# -- UPS token cache (one station) ------------------------------------------------------------------
@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    """An exclusive lock shared with other processes (the CLI and the app use the same file)."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    # the OS lock (flock / LockFileEx byte 0) older versions took too; 0o666: in a machine-wide data folder
    # the other users' apps and the service open the same lock file
    with FileLock(lock_path, mode=0o666):
        yield


class FileTokenStore:
    """``TokenStore`` of one station: ``{"version": 2, "grants": {day: n}, "tokens": {key: {sealed, expires_at}}}``
    in a file of the data folder that only its user may read (created 0600; the data folder is in the
    user's profile on Windows). The token in it is sealed by the UPS client (a key derived from the client
    secret), so neither a keyring nor the file alone is enough to use it: a headless box or a scheduled
    task keeps its token between runs without a keyring, instead of a grant on every run.

    A missing, corrupt or older file (version 1 was sealed with a keyring key) reads as empty, with a
    warning: the worst case is one extra token grant; its grant counts are kept."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock_path = self.path.with_name(self.path.name + ".lock")
        self._refresh_path = self.path.with_name(self.path.name + ".refresh.lock")
        self._thread_lock = threading.Lock()
        self._refresh_lock = threading.Lock()

    # TokenStore protocol
    def load(self, key: str) -> SealedToken | None:
        with self._transaction() as state:
            raw = state["tokens"].get(key)
        try:
            return SealedToken(str(raw["sealed"]), float(raw["expires_at"])) if isinstance(raw, dict) else None
        except (KeyError, TypeError, ValueError):
            return None

    def save(self, key: str, token: SealedToken) -> None:
        with self._transaction(write=True) as state:
            state["tokens"][key] = {"sealed": token.sealed, "expires_at": token.expires_at}

    @contextlib.contextmanager
    def refreshing(self) -> Iterator[None]:
        """The app, the scheduled sync and single commands on this PC ask UPS one at a time."""
        with self._refresh_lock, _locked(self._refresh_path):
            yield

    def count_grant(self, day: date) -> int:
        with self._transaction(write=True) as state:
            grants: dict[str, int] = state["grants"]
            grants[day.isoformat()] = grants.get(day.isoformat(), 0) + 1
            for old in sorted(grants)[:-GRANT_DAYS_KEPT]:
                del grants[old]
            return grants[day.isoformat()]

    def grants_on(self, day: date) -> int:
        with self._transaction() as state:
            return int(state["grants"].get(day.isoformat(), 0))

    # internals
    @contextlib.contextmanager
    def _transaction(self, write: bool = False) -> Iterator[dict[str, Any]]:
        """Lock, re-read the file (another process may have changed it), yield the state, write it back."""
        with self._thread_lock, _locked(self._lock_path):
            state = self._read()
            yield state
            if write:
                self._write(state)

    def _read(self) -> dict[str, Any]:
        state: dict[str, Any] = {"grants": {}, "tokens": {}}
        try:
            document = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            document = {}
        except (OSError, ValueError) as exc:
            log.warning("UPS token cache %s is unreadable and is ignored (%s).", self.path, type(exc).__name__)
            document = {}
        if not isinstance(document, dict):
            document = {}
        grants = document.get("grants")
        if isinstance(grants, dict):
            state["grants"] = {k: v for k, v in grants.items() if isinstance(v, int)}
        tokens = document.get("tokens")
        if isinstance(tokens, dict):
            state["tokens"] = tokens
        return state

    def _write(self, state: dict[str, Any]) -> None:
        document: dict[str, Any] = {"version": 2, "grants": state["grants"], "tokens": state["tokens"]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # mkstemp creates the file readable and writable by this user only (0600), and os.replace keeps that
        fd, tmp = tempfile.mkstemp(prefix=self.path.name, suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(document, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)  # readers see the old file or the new one, never half
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
