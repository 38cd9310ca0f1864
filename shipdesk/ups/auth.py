"""The UPS OAuth token: asked for rarely, shared by every thread, process and station, kept across restarts.

UPS caps how many tokens an app may be granted a day, so a token is reused until 5 minutes
before it ends (its lifetime is read from ``expires_in``, never assumed), saved sealed through a
:class:`TokenStore` (``token_seal``: a key derived from the client secret), and refreshed by one
asker at a time: the threads of this process wait on one lock, and the store's ``refreshing()``
makes the other processes (or stations, on the shared store) wait too, then reuse the new token.
The token and the secret never appear in a log line or an exception.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from shipdesk.errors import AuthenticationFailed
from shipdesk.i18n import N_, _
from shipdesk.net.transport import Transport
from shipdesk.ups import errors
from shipdesk.ups.token_seal import TokenSeal
from shipdesk.ups.token_store import CachedToken, MemoryTokenStore, SealedToken, TokenStore

log = logging.getLogger(__name__)

TOKEN_PATH = "/security/v1/oauth/token"
#: refresh this long before the token ends, so a request never leaves with a dying token
REFRESH_MARGIN_SECONDS = 300.0


@dataclass(frozen=True)
class TokenGrant:
    """The token to send and whether getting it took a new grant from UPS."""

    token: CachedToken
    granted_now: bool


class TokenManager:
    def __init__(
        self,
        *,
        base_url: str,
        client_id: str,
        client_secret: str,
        account_number: str,
        transport: Transport,
        store: TokenStore | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._client_id = client_id
        self._secret = client_secret
        self._account = account_number
        self._transport = transport
        self._store: TokenStore = store if store is not None else MemoryTokenStore()
        self._seal = TokenSeal(client_id=client_id, client_secret=client_secret, account_number=account_number)
        self._key = f"{client_id}|{self._base_url}"
        self._clock = clock
        self._lock = threading.Lock()
        self._current: CachedToken | None = None
        #: a token UPS refused (401): never reused, even when the store still holds it
        self._rejected: str | None = None

    def __repr__(self) -> str:
        return f"TokenManager(client_id={self._client_id!r}, base_url={self._base_url!r})"

    # -- public ---------------------------------------------------------------------------------
    def access_token(self) -> str:
        return self.grant().token.access_token

    def grant(self) -> TokenGrant:
        """A usable token: the one in memory, else the stored one, else a new grant from UPS (asked by one
        asker at a time among everyone sharing the store, each re-reading the store once it may ask)."""
        with self._lock:
            # the store is read (and its token unsealed) only when the one in memory will not do: a generator,
            # not a tuple, which would read and decrypt it on every call
            for candidate in (found() for found in (lambda: self._current, self._load)):
                if candidate is not None and self._usable(candidate):
                    self._current = candidate
                    return TokenGrant(candidate, granted_now=False)
            with self._store.refreshing():
                stored = self._load()  # another process or station may have just got one
                if stored is not None and self._usable(stored):
                    self._current = stored
                    return TokenGrant(stored, granted_now=False)
                self._current = self._request_token()
            return TokenGrant(self._current, granted_now=True)

    def invalidate(self, access_token: str) -> None:
        """UPS refused ``access_token``: forget it so the next call asks for a new one.

        Threads that saw the same 401 call this with the same token; only the first drops it, and
        a token another thread already replaced it with is kept.
        """
        with self._lock:
            self._rejected = access_token
            if self._current is not None and self._current.access_token == access_token:
                self._current = None

    def grants_today(self) -> int:
        return self._store.grants_on(self._today())

    # -- internals ------------------------------------------------------------------------------
    def _today(self) -> date:
        return datetime.fromtimestamp(self._clock()).date()

    def _usable(self, token: CachedToken) -> bool:
        return token.access_token != self._rejected and self._usable_until(token.expires_at)

    def _load(self) -> CachedToken | None:
        stored = self._store.load(self._key)
        if stored is None or not self._usable_until(stored.expires_at):
            return None  # not worth unsealing
        token = self._seal.unseal(stored.sealed)
        if token is None:
            log.warning("The stored UPS token was sealed under another client secret; a new one is needed.")
        return token

    def _usable_until(self, expires_at: float) -> bool:
        return self._clock() < expires_at - REFRESH_MARGIN_SECONDS

    def _request_token(self) -> CachedToken:
        url = self._base_url + TOKEN_PATH
        headers = {"Accept": "application/json"}
        if self._account:
            headers["x-merchant-id"] = self._account
        # the transport backs off on UPS's "Quota Limit Exceeded" 429 like on any other route
        response = self._transport.request(
            "POST", url, auth=(self._client_id, self._secret), headers=headers,
            data={"grant_type": "client_credentials"},
        )
        if response.status_code in (400, 401, 403):
            message, code, hint = errors.describe(response, N_("sign in with the client id and secret"))
            raise AuthenticationFailed(
                message, service=errors.SERVICE, status=response.status_code, code=code,
                hint=hint or _("Check the UPS client id and secret in Settings."))
        if not response.ok:
            raise errors.error_for(response, N_("issue an access token"))
        try:
            body = response.json()
        except ValueError:
            body = None
        token = self._parse(body)
        self._store.save(self._key, SealedToken(self._seal.seal(token), token.expires_at))
        count = self._store.count_grant(self._today())
        log.info("UPS granted a new access token (%d today), valid for %.0f s",
                 count, token.expires_at - self._clock())
        return token

    def _parse(self, body: object) -> CachedToken:
        if not isinstance(body, dict) or not body.get("access_token"):
            raise errors.unreadable(N_("issue an access token"), "no access_token")
        try:
            lifetime = float(str(body.get("expires_in", "")).strip())
        except ValueError:
            raise errors.unreadable(N_("issue an access token"), "no usable expires_in") from None
        return CachedToken(
            access_token=str(body["access_token"]),
            expires_at=self._clock() + lifetime,
            client_id=self._client_id,
            base_url=self._base_url,
        )
