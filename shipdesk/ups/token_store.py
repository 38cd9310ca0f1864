"""Where the UPS client keeps its OAuth token between runs: an interface and an in-memory version.

A store only ever holds the token *sealed*: the token manager (``ups.auth``) encrypts it with a key it
derives from the UPS client secret (``ups.token_seal``), so whoever reads the store without that secret
(a copied data folder, the shared database) cannot use it. Next to it the store keeps the token's end
(not secret: it says whether unsealing is worth it) and the count of tokens UPS granted per day, so every
process and station sharing the store shares one daily budget. ``refreshing()`` is held while one of
them asks UPS for a new token, so the others wait and reuse it instead of asking too.

The persistent stores: ``core.settings.secrets.FileTokenStore`` (one station: a file only its user can
read) and ``core.store.tokens.StoreTokenStore`` (the shared store: one token for the warehouse).
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple, Protocol


@dataclass(frozen=True)
class CachedToken:
    access_token: str
    expires_at: float  # epoch seconds
    client_id: str
    base_url: str

    def __repr__(self) -> str:  # never print the token
        return f"CachedToken(client_id={self.client_id!r}, base_url={self.base_url!r}, expires_at={self.expires_at})"


class SealedToken(NamedTuple):
    sealed: str  # the token, encrypted by the token manager
    expires_at: float  # epoch seconds


class TokenStore(Protocol):
    def load(self, key: str) -> SealedToken | None: ...

    def save(self, key: str, token: SealedToken) -> None: ...

    def refreshing(self) -> AbstractContextManager[object]:
        """Held while asking UPS for a new token: one asker at a time among all who share the store."""
        ...

    def count_grant(self, day: date) -> int:
        """Record one token grant on ``day``; return the grants recorded that day."""
        ...

    def grants_on(self, day: date) -> int: ...


class MemoryTokenStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._refresh = threading.Lock()
        self._tokens: dict[str, SealedToken] = {}
        self._grants: dict[date, int] = {}

    def load(self, key: str) -> SealedToken | None:
        with self._lock:
            return self._tokens.get(key)

    def save(self, key: str, token: SealedToken) -> None:
        with self._lock:
            self._tokens[key] = token

    def refreshing(self) -> AbstractContextManager[object]:
        return self._refresh

    def count_grant(self, day: date) -> int:
        with self._lock:
            self._grants[day] = self._grants.get(day, 0) + 1
            return self._grants[day]

    def grants_on(self, day: date) -> int:
        with self._lock:
            return self._grants.get(day, 0)
