"""Passwords and client secrets: one small keyring layer, and the encrypted UPS token cache.

Where a secret comes from, in this order:
  1. its environment variable (headless runs, scheduled tasks, CI), e.g. ``SHIPDESK_UPS_CLIENT_SECRET``;
  2. the OS keyring, service ``shipdesk``, username = the secret's name (``ups.client_secret``).
Nothing else: secrets are never in the config file, never in logs, never in error messages.

``EncryptedTokenStore`` keeps the UPS OAuth token between runs in a file of the data folder, encrypted
with a Fernet key that lives in the keyring (``ups.token_key``, made on first use), plus the daily
count of token grants (not secret) so the app and the command line share one budget.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
from cryptography.fernet import Fernet, InvalidToken
from filelock import FileLock

from shipdesk.errors import ConfigError, MissingSecretError
from shipdesk.ups.token_store import CachedToken

log = logging.getLogger(__name__)

KEYRING_SERVICE = "shipdesk"
TOKEN_KEY_NAME = "ups.token_key"
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
        SecretSpec("acumatica.password", "SHIPDESK_ACUMATICA_PASSWORD", "the Acumatica user's password", "Password"),
        SecretSpec("acumatica.client_secret", "SHIPDESK_ACUMATICA_CLIENT_SECRET",
                   "the Acumatica OAuth client secret", "OAuth client secret"),
        SecretSpec("ups.client_secret", "SHIPDESK_UPS_CLIENT_SECRET", "the UPS app's client secret", "Client secret"),
        SecretSpec("track_alert.client_secret", "SHIPDESK_TRACK_ALERT_CLIENT_SECRET",
                   "the client secret UPS uses at the Track Alert listener's token URL", "Token URL client secret"),
        SecretSpec("track_alert.credential", "SHIPDESK_TRACK_ALERT_CREDENTIAL",
                   "the Track Alert v1 credential UPS sends back with each event", "v1 credential"),
    )
}


def _spec(name: str) -> SecretSpec:
    try:
        return KNOWN_SECRETS[name]
    except KeyError:
        known = ", ".join(KNOWN_SECRETS)
        raise ConfigError(f"'{name}' is not a secret shipdesk knows; use one of {known}.") from None


def _keyring_unavailable(exc: Exception, env_var: str | None = None) -> ConfigError:
    instead = f" or set the environment variable {env_var}" if env_var else ""
    return ConfigError(
        f"The OS keyring cannot be used on this computer ({type(exc).__name__}).",
        hint=f"Install or unlock a keyring (Windows Credential Manager, macOS Keychain, Secret Service on "
        f"Linux){instead}.",
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
            f"{spec.description.capitalize()} is not set.",
            hint=f"Run `shipdesk credentials set {name}` (it reads the value from the keyboard or stdin), "
            f"or set the environment variable {spec.env_var}.",
        )
    return value


def set_secret(name: str, value: str) -> None:
    spec = _spec(name)
    if not value:
        raise ConfigError(f"An empty value cannot be stored for {name}.")
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


# -- UPS token cache -------------------------------------------------------------------------------
@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    """An exclusive lock shared with other processes (the CLI and the app use the same file)."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    # the OS lock (flock / LockFileEx byte 0) older versions took too; 0o666: in a machine-wide data folder
    # the other users' apps and the service open the same lock file
    with FileLock(lock_path, mode=0o666):
        yield


class EncryptedTokenStore:
    """``TokenStore`` backed by one file: ``{"grants": {day: n}, "tokens": <Fernet ciphertext>}``.

    A missing, corrupt or undecryptable file (e.g. the keyring key was reset) reads as empty, with a
    warning: the worst case is one extra token grant. Without a usable keyring the token is kept in
    memory only (never written in clear); grants are still counted in the file.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock_path = self.path.with_name(self.path.name + ".lock")
        self._thread_lock = threading.Lock()
        self._fernet: Fernet | None = None
        self._memory_tokens: dict[str, dict[str, Any]] = {}  # used only when the keyring is unusable
        self._keyring_ok = True

    # TokenStore protocol
    def load(self, client_id: str, base_url: str) -> CachedToken | None:
        with self._transaction() as state:
            raw = state["tokens"].get(_token_key(client_id, base_url))
        if raw is None:
            return None
        try:
            return CachedToken(**raw)
        except TypeError:
            return None

    def save(self, token: CachedToken) -> None:
        with self._transaction(write=True) as state:
            state["tokens"][_token_key(token.client_id, token.base_url)] = asdict(token)

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

    def _cipher(self) -> Fernet | None:
        if self._fernet is None and self._keyring_ok:
            try:
                key = keyring.get_password(KEYRING_SERVICE, TOKEN_KEY_NAME)
                if not key:
                    key = Fernet.generate_key().decode("ascii")
                    keyring.set_password(KEYRING_SERVICE, TOKEN_KEY_NAME, key)
                self._fernet = Fernet(key.encode("ascii"))
            except (keyring.errors.KeyringError, ValueError) as exc:
                self._keyring_ok = False
                log.warning("UPS token kept in memory only: the keyring cannot hold its key (%s).",
                            type(exc).__name__)
        return self._fernet

    def _read(self) -> dict[str, Any]:
        state: dict[str, Any] = {"grants": {}, "tokens": {}}
        try:
            document = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            document = {}
        except (OSError, ValueError) as exc:
            log.warning("UPS token cache %s is unreadable and is ignored (%s).",
                        self.path, type(exc).__name__)
            document = {}
        if not isinstance(document, dict):
            document = {}
        grants = document.get("grants")
        if isinstance(grants, dict):
            state["grants"] = {k: v for k, v in grants.items() if isinstance(v, int)}
        state["tokens"] = self._decrypt(document.get("tokens"))
        state["ciphertext"] = document.get("tokens")  # kept as is by a process that cannot decrypt
        return state

    def _decrypt(self, ciphertext: object) -> dict[str, Any]:
        cipher = self._cipher()
        if cipher is None:
            return dict(self._memory_tokens)
        if not isinstance(ciphertext, str):
            return {}
        try:
            tokens = json.loads(cipher.decrypt(ciphertext.encode("ascii")))
        except (InvalidToken, ValueError) as exc:
            log.warning("UPS token cache %s cannot be decrypted and is ignored (%s).",
                        self.path, type(exc).__name__)
            return {}
        return tokens if isinstance(tokens, dict) else {}

    def _write(self, state: dict[str, Any]) -> None:
        cipher = self._cipher()
        document: dict[str, Any] = {"version": 1, "grants": state["grants"]}
        if cipher is None:
            self._memory_tokens = dict(state["tokens"])
            if isinstance(state.get("ciphertext"), str):
                document["tokens"] = state["ciphertext"]
        else:
            document["tokens"] = cipher.encrypt(json.dumps(state["tokens"]).encode("utf-8")).decode("ascii")
        self.path.parent.mkdir(parents=True, exist_ok=True)
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


def _token_key(client_id: str, base_url: str) -> str:
    return f"{client_id}|{base_url.rstrip('/')}"
