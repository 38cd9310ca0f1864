"""A file-backed keyring for end-to-end tests that run ``shipdesk`` as a subprocess.

This headless box has no OS keyring, and the encrypted UPS token cache keeps its Fernet key in the
keyring: without one, each process would hold the token in memory only and ask UPS for a new one.
Tests point a subprocess at this backend with ``PYTHON_KEYRING_BACKEND=keyring_backend.FileKeyring``
(``tests/e2e`` on ``PYTHONPATH``) and name the file in ``SHIPDESK_TEST_KEYRING_FILE``, so successive
processes share one key, as they would share the real keyring of a warehouse PC.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

FILE_ENV = "SHIPDESK_TEST_KEYRING_FILE"


class FileKeyring(KeyringBackend):
    priority = 1

    @property
    def _path(self) -> Path:
        return Path(os.environ[FILE_ENV])

    def _read(self) -> dict[str, str]:
        try:
            loaded = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return {str(k): str(v) for k, v in loaded.items()}

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._read()
        entries[f"{service}/{username}"] = password
        self._path.write_text(json.dumps(entries), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        entries = self._read()
        if entries.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(f"{service}/{username} is not stored")
        self._path.write_text(json.dumps(entries), encoding="utf-8")
