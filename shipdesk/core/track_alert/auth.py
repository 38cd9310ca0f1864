"""Who may push Track Alert events to the listener, in both of UPS's ways (no HMAC either way).

v2: UPS gets a bearer token from the listener's own token URL by client credentials (HTTP Basic
with the client id and secret the site registered), then sends ``Authorization: Bearer <token>``
with each event, usually with ``x-api-key: <client id>`` (optional in the spec: a push is judged on
its token, and a missing or different key is only logged). The tokens are signed (HMAC-SHA256 with the client
secret) and carry their expiry, so they stay valid across a listener restart and need no table.
v1: the subscription's opaque secret comes back in a header literally named ``credential``.
Every comparison is constant-time (``hmac.compare_digest``); nothing here logs a secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

TOKEN_LIFETIME_S = 3600


@dataclass(frozen=True)
class ListenerCredentials:
    client_id: str
    client_secret: str = field(default="", repr=False)  # v2: UPS signs in with it at the token URL
    credential: str = field(default="", repr=False)  # v1: sent back in the "credential" header

    @property
    def accepts_tokens(self) -> bool:
        return bool(self.client_id and self.client_secret)


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class PushAuth:
    def __init__(self, credentials: ListenerCredentials, *, lifetime_s: int = TOKEN_LIFETIME_S,
                 clock: Callable[[], float] = time.time) -> None:
        self.credentials = credentials
        self.lifetime_s = lifetime_s
        self._clock = clock

    # -- the token URL (v2) -------------------------------------------------------------------------
    def client_matches(self, authorization: str | None) -> bool:
        """HTTP Basic with the listener's client id and secret."""
        scheme, _, encoded = (authorization or "").partition(" ")
        if scheme.lower() != "basic" or not self.credentials.accepts_tokens:
            return False
        try:
            user, sep, password = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        same_id = _same(user, self.credentials.client_id)
        same_secret = _same(password, self.credentials.client_secret)
        return bool(sep) and same_id and same_secret

    def issue_token(self) -> dict[str, object]:
        """The token answer (OAuth 2 client-credentials shape)."""
        expires = int(self._clock()) + self.lifetime_s
        payload = f"{expires}.{secrets.token_urlsafe(16)}"
        return {"access_token": f"{payload}.{self._sign(payload)}", "token_type": "Bearer",
                "expires_in": self.lifetime_s}

    def _sign(self, payload: str) -> str:
        key = self.credentials.client_secret.encode("utf-8")
        message = f"{self.credentials.client_id}.{payload}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    def token_valid(self, token: str) -> bool:
        if not self.credentials.accepts_tokens:
            return False
        payload, _, signature = token.rpartition(".")
        expires, _, _nonce = payload.partition(".")
        if not _same(signature, self._sign(payload)) or not expires.isdigit():
            return False
        return int(expires) > self._clock()

    # -- a push ---------------------------------------------------------------------------------------
    def push_allowed(self, headers: Mapping[str, str]) -> bool:
        """``headers`` with lower-case names. A valid v2 bearer token (one this listener issued), or the v1
        credential. ``x-api-key`` does not decide: the spec marks it optional (``required: false``), and the
        token already proves who signed in; :meth:`api_key_differs` says when it is worth a log line."""
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token:
            return self.token_valid(token.strip())
        credential = headers.get("credential")
        if credential is not None and self.credentials.credential:
            return _same(credential, self.credentials.credential)
        return False

    def api_key_differs(self, headers: Mapping[str, str]) -> bool:
        """A v2 push whose ``x-api-key`` is missing or is not the client id the token was issued to."""
        if not headers.get("authorization", "").lower().startswith("bearer "):
            return False
        return not _same(headers.get("x-api-key", ""), self.credentials.client_id)
