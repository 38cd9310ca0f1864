"""Where the UPS client keeps its OAuth token between runs: an interface and an in-memory version.

``core.settings.secrets`` provides the persistent one (encrypted at rest, key in the OS keyring), so the
token survives restarts of the app and of the command line without ever being stored in clear.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class CachedToken:
    access_token: str
    expires_at: float  # epoch seconds
    client_id: str
    base_url: str

    def __repr__(self) -> str:  # never print the token
        return f"CachedToken(client_id={self.client_id!r}, base_url={self.base_url!r}, expires_at={self.expires_at})"


class TokenStore(Protocol):
    def load(self, client_id: str, base_url: str) -> CachedToken | None: ...

    def save(self, token: CachedToken) -> None: ...

    def count_grant(self, day: date) -> int:
        """Record one token grant on ``day``; return the grants recorded that day."""
        ...

    def grants_on(self, day: date) -> int: ...


class MemoryTokenStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[tuple[str, str], CachedToken] = {}
        self._grants: dict[date, int] = {}

    def load(self, client_id: str, base_url: str) -> CachedToken | None:
        with self._lock:
            return self._tokens.get((client_id, base_url))

    def save(self, token: CachedToken) -> None:
        with self._lock:
            self._tokens[(token.client_id, token.base_url)] = token

    def count_grant(self, day: date) -> int:
        with self._lock:
            self._grants[day] = self._grants.get(day, 0) + 1
            return self._grants[day]

    def grants_on(self, day: date) -> int:
        with self._lock:
            return self._grants.get(day, 0)
