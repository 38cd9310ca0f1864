"""How the client signs in to Acumatica: a cookie session or OAuth 2.0 (password grant).

Both take a licensed API seat: the client signs in once, reuses the session for every call, signs
in again only after a 401 and signs out on exit. Neither class ever logs or puts in a message the
password, a cookie or a token.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

import requests

from shipdesk.acumatica.errors import LOGIN_LIMIT_HINT, LOGIN_LIMIT_MARKER, SERVICE, vendor_message
from shipdesk.errors import AuthenticationFailed, LoginLimitReached
from shipdesk.i18n import _
from shipdesk.net.transport import Transport

log = logging.getLogger(__name__)

#: a sign-in is not retried on 429: the API login limit comes as a 429 and will not clear in seconds
SIGN_IN_RETRY_STATUSES = frozenset({502, 503, 504})
#: (connect, read) seconds for the one sign-out POST
SIGN_OUT_TIMEOUTS = (5.0, 10.0)


class Auth(Protocol):
    """What :class:`~shipdesk.acumatica.client.AcumaticaClient` needs from a sign-in method."""

    def sign_in(self, transport: Transport, base_url: str) -> None: ...

    def refresh(self, transport: Transport, base_url: str) -> None:
        """Called after a 401: get a fresh session or token."""

    def sign_out(self, transport: Transport, base_url: str) -> None: ...

    def sign_out_with(self, session: requests.Session, base_url: str) -> None:
        """Sign out through ``session`` (one holding this sign-in's cookies): for another thread than the one
        that uses the transport, when the process is stopping."""

    def headers(self) -> dict[str, str]: ...

    def expired(self) -> bool:
        """True when the credential should be renewed before the next call."""


def _sign_in_error(response: requests.Response, who: str) -> AuthenticationFailed:
    if response.status_code == 404:
        # No sign-in page at that address: the URL (or its instance path) is wrong, not the password.
        return AuthenticationFailed(
            _("No Acumatica sign-in page answers at {url}.").format(url=response.url),
            service=SERVICE, status=404,
            hint=_("Check the tenant URL in Settings: it is the address you open Acumatica with, including an "
                   "instance path such as /AcumaticaERP when your site has one."),
        )
    message = vendor_message(response)
    named = LOGIN_LIMIT_MARKER in (response.text or "").lower()
    # A 429 on sign-in is the API login limit whatever the body: Acumatica's JSON, a page titled "API Login
    # Limit", or IIS's "The custom error module does not recognize this error." (docs/evidence 19.3)
    if response.status_code == 429 or named:
        if named and LOGIN_LIMIT_MARKER in message.lower():
            said = _("Acumatica refused to sign in {who}: the API login limit is reached ({reason}).").format(
                who=who, reason=message)
        else:
            said = _("Acumatica refused to sign in {who}: the API login limit is reached.").format(who=who)
        return LoginLimitReached(
            said,
            service=SERVICE, status=response.status_code, hint=LOGIN_LIMIT_HINT,
        )
    return AuthenticationFailed(
        _("Acumatica refused to sign in {who}: {reason}").format(who=who, reason=message),
        service=SERVICE, status=response.status_code,
        hint=_("Check the user name, password and tenant in Settings (the password is kept in the keyring)."),
    )


def _sign_out(session: requests.Session, base_url: str, headers: dict[str, str]) -> None:
    """Best effort, fast: one POST with short timeouts, never retried, because it runs while shipdesk is stopping
    (a service manager or a person waits). A failed logout only means the seat frees itself after the idle
    timeout."""
    try:
        response = session.post(f"{base_url}/entity/auth/logout", headers=headers, timeout=SIGN_OUT_TIMEOUTS)
    except Exception as exc:
        log.warning("Acumatica logout failed (%s); the API seat frees itself after the idle timeout",
                    type(exc).__name__)
        return
    if response.status_code not in (200, 204, 401):
        log.warning("Acumatica logout answered HTTP %s", response.status_code)


class CookieAuth:
    """``POST /entity/auth/login``: the session cookies live in the transport's ``requests.Session``."""

    def __init__(self, username: str, password: str, tenant: str, branch: str = "", locale: str = "") -> None:
        self.username = username
        self._password = password
        self.tenant = tenant
        self.branch = branch
        self.locale = locale

    def __repr__(self) -> str:
        return f"CookieAuth(username={self.username!r}, tenant={self.tenant!r})"

    @property
    def who(self) -> str:
        if not self.tenant:
            return _("user '{user}'").format(user=self.username)
        return _("user '{user}' on tenant '{tenant}'").format(user=self.username, tenant=self.tenant)

    def sign_in(self, transport: Transport, base_url: str) -> None:
        body = {"name": self.username, "password": self._password, "tenant": self.tenant}
        if self.branch:
            body["branch"] = self.branch
        if self.locale:
            body["locale"] = self.locale
        transport.session.cookies.clear()  # a stale session cookie must not ride along
        response = transport.request("POST", f"{base_url}/entity/auth/login", json=body,
                                     retry_statuses=SIGN_IN_RETRY_STATUSES)
        if response.status_code not in (200, 204):
            raise _sign_in_error(response, self.who)

    def refresh(self, transport: Transport, base_url: str) -> None:
        self.sign_in(transport, base_url)

    def sign_out(self, transport: Transport, base_url: str) -> None:
        self.sign_out_with(transport.session, base_url)
        transport.session.cookies.clear()

    def sign_out_with(self, session: requests.Session, base_url: str) -> None:
        _sign_out(session, base_url, {})

    def headers(self) -> dict[str, str]:
        return {}

    def expired(self) -> bool:
        return False


class OAuthAuth:
    """OAuth 2.0 resource-owner password grant at ``/identity/connect/token`` (Acumatica has no
    client-credentials grant), renewed with the refresh token (scope ``offline_access``) before the
    access token runs out or after a 401; a refused refresh falls back to the password grant."""

    #: renew this many seconds before the access token expires
    EARLY_SECONDS = 60.0

    def __init__(self, client_id: str, client_secret: str, username: str, password: str,
                 scope: str = "api offline_access", *, now: Callable[[], float] = time.time) -> None:
        self.client_id = client_id
        self._client_secret = client_secret
        self.username = username
        self._password = password
        self.scope = scope
        self._now = now
        self._access_token = ""
        self._refresh_token = ""
        self._expires_at = 0.0
        #: grants obtained (password + refresh), for tests and `ping`
        self.grants = 0

    def __repr__(self) -> str:
        return f"OAuthAuth(client_id={self.client_id!r}, username={self.username!r})"

    @property
    def who(self) -> str:
        tenant = self.client_id.partition("@")[2]
        if tenant:
            return _("user '{user}' on tenant '{tenant}'").format(user=self.username, tenant=tenant)
        return _("user '{user}'").format(user=self.username)

    def sign_in(self, transport: Transport, base_url: str) -> None:
        if self._refresh_token and self._try_refresh(transport, base_url):
            return
        self._grant(transport, base_url, {
            "grant_type": "password", "username": self.username, "password": self._password,
            "scope": self.scope,
        })

    def refresh(self, transport: Transport, base_url: str) -> None:
        self._access_token = ""
        self.sign_in(transport, base_url)

    def sign_out(self, transport: Transport, base_url: str) -> None:
        self.sign_out_with(transport.session, base_url)

    def sign_out_with(self, session: requests.Session, base_url: str) -> None:
        headers = self.headers()
        self._access_token = ""
        self._expires_at = 0.0
        if headers:
            _sign_out(session, base_url, headers)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._access_token}"} if self._access_token else {}

    def expired(self) -> bool:
        return not self._access_token or self._now() >= self._expires_at - self.EARLY_SECONDS

    def _try_refresh(self, transport: Transport, base_url: str) -> bool:
        try:
            self._grant(transport, base_url,
                        {"grant_type": "refresh_token", "refresh_token": self._refresh_token})
        except LoginLimitReached:
            raise
        except AuthenticationFailed:
            log.info("Acumatica refused the refresh token; signing in with the password grant")
            self._refresh_token = ""
            return False
        return True

    def _grant(self, transport: Transport, base_url: str, form: dict[str, str]) -> None:
        form = {**form, "client_id": self.client_id, "client_secret": self._client_secret}
        response = transport.request("POST", f"{base_url}/identity/connect/token", data=form,
                                     retry_statuses=SIGN_IN_RETRY_STATUSES)
        if response.status_code != 200:
            raise _sign_in_error(response, self.who)
        try:
            token = response.json()
            self._access_token = str(token["access_token"])
            lifetime = float(token.get("expires_in") or 3600)
        except (ValueError, KeyError, TypeError) as exc:
            raise AuthenticationFailed(
                _("Acumatica's token answer for {who} could not be read.").format(who=self.who), service=SERVICE,
                status=response.status_code,
            ) from exc
        self._refresh_token = str(token.get("refresh_token") or self._refresh_token)
        self._expires_at = self._now() + lifetime
        self.grants += 1
