"""One signed-in Acumatica session and the requests sent in it: the plumbing under ``AcumaticaClient``.

The session is opened on the first call, reused for every call, renewed once after a 401 and closed
when the ``with`` block ends, also on an exception or Ctrl+C: a session left open holds a licensed
API seat for about 10 minutes. One session serves one thread at a time.

The modules beside it (``shipments``, ``files``, ``actions``, ``notes``, ``ship_via``) build their
requests with :meth:`AcumaticaSession.call` and :meth:`AcumaticaSession.list_records`; a 404 under the
endpoint URL is checked against the versions the instance publishes, so a wrong version is named.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

import requests

from shipdesk.acumatica import query
from shipdesk.acumatica.auth import Auth
from shipdesk.acumatica.errors import OPTIMIZATION_MARKER, SERVICE, body_of, error_for, mentions
from shipdesk.errors import AuthenticationFailed, EndpointVersionNotFound, OptimizationFailed, RemoteError, ServerError
from shipdesk.net.transport import Timeouts, Transport

log = logging.getLogger(__name__)

#: Acumatica queues requests over the licence's per-minute quota for minutes before answering 429
DEFAULT_TIMEOUTS = Timeouts(connect=10.0, read=300.0)

Records = list[dict[str, Any]]
Params = Mapping[str, str | int]


def key_path(keys: Sequence[str]) -> str:
    """``("SO", "00/12")`` → ``SO/00%2F12``: each key part URL-encoded on its own."""
    return "/".join(quote(k, safe="") for k in keys)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


class AcumaticaSession:
    def __init__(self, *, url: str, endpoint: str = "Default", version: str, auth: Auth,
                 transport: Transport | None = None, close_transport: bool | None = None) -> None:
        self.base_url = url.rstrip("/")
        self.endpoint = endpoint
        self.version = version
        self.entity_url = f"{self.base_url}/entity/{endpoint}/{version}"
        self.auth = auth
        #: close the connection pool with the client: always for one it made, on request for a given one
        self._owns_transport = transport is None if close_transport is None else close_transport
        self.transport = transport or Transport(SERVICE, timeouts=DEFAULT_TIMEOUTS)
        self._signed_in = False

    # -- signing in and out -------------------------------------------------------------------------
    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Sign out (frees the API seat) and release the connection pool if this client made it."""
        try:
            self.logout()
        finally:
            if self._owns_transport:
                self.transport.close()

    @property
    def signed_in(self) -> bool:
        return self._signed_in

    def login(self) -> None:
        """Sign in now (otherwise the first call does); does nothing while a session is open."""
        if self._signed_in:
            return
        self.auth.sign_in(self.transport, self.base_url)
        self._signed_in = True

    def logout(self) -> None:
        """End the session; does nothing when not signed in, never raises for a failed logout."""
        if not self._signed_in:
            return
        self._signed_in = False
        self.auth.sign_out(self.transport, self.base_url)

    def endpoints(self) -> dict[str, list[str]]:
        """Endpoint name → versions the instance publishes (``GET {url}/entity``), oldest first."""
        response = self.call("GET", f"{self.base_url}/entity", doing="list its endpoints")
        published: dict[str, list[str]] = {}
        body = body_of(response)
        rows = body.get("endpoints", []) if isinstance(body, Mapping) else []
        for row in rows:
            if isinstance(row, Mapping) and row.get("name") and row.get("version"):
                published.setdefault(str(row["name"]), []).append(str(row["version"]))
        return {name: sorted(set(versions), key=_version_key) for name, versions in published.items()}

    # -- requests -------------------------------------------------------------------------------------
    def url(self, rel: str) -> str:
        """``/Shipment`` → the entity URL of this endpoint version."""
        return self.entity_url + rel

    def call(self, method: str, url: str, *, doing: str, ok: tuple[int, ...] = (200,),
             **kwargs: Any) -> requests.Response:
        """One request; an answer outside ``ok`` raises the error that says what failed ``doing`` what."""
        response = self.exchange(method, url, **kwargs)
        self.raise_for(response, ok=ok, doing=doing)
        return response

    def list_records(self, rel: str, params: Params, page_size: int | None, *, doing: str) -> Records:
        """Every record a list GET returns; with ``page_size``, read in pages (``$top``/``$skip``)
        until a short page."""
        if page_size is None:
            return self._get_records(rel, params, doing=doing)
        if page_size < 1:
            raise ValueError("top must be at least 1")
        rows: Records = []
        while True:
            page = self._get_records(rel, {**params, "$top": page_size, "$skip": len(rows)}, doing=doing)
            rows.extend(page)
            if len(page) < page_size:
                return rows

    def _get_records(self, rel: str, params: Params, *, doing: str) -> Records:
        response = self.exchange("GET", self.url(rel), params=params)
        if response.status_code == 500 and mentions(response, OPTIMIZATION_MARKER):
            raise OptimizationFailed(f"Acumatica could not {doing}", service=SERVICE, status=500)
        self.raise_for(response, ok=(200,), doing=doing)
        body = body_of(response)
        if not isinstance(body, list):
            raise ServerError(f"Acumatica's answer to {doing} was not a list of records.", service=SERVICE,
                              status=response.status_code)
        return body

    def exchange(self, method: str, url: str, *, idempotent: bool = True, params: Params | None = None,
                 headers: Mapping[str, str] | None = None, **kwargs: Any) -> requests.Response:
        """One request in the session: sign in first if needed, and once more after a 401."""
        if params:
            url = f"{url}?{query.query_string(dict(params))}"
        if not self._signed_in:
            self.login()
        elif self.auth.expired():
            self.auth.refresh(self.transport, self.base_url)  # OAuth: renew before the token runs out
        response = self._send(method, url, idempotent, headers, kwargs)
        if response.status_code != 401:
            return response
        log.info("Acumatica session ended (401); signing in again")
        self._signed_in = False
        self.auth.refresh(self.transport, self.base_url)
        self._signed_in = True
        response = self._send(method, url, idempotent, headers, kwargs)
        if response.status_code == 401:
            self._signed_in = False
            raise AuthenticationFailed(
                "Acumatica accepted the sign-in but then refused the request (HTTP 401).",
                service=SERVICE, status=401,
                hint="Check that the Acumatica user has the rights for the Shipments screen and the API.",
            )
        return response

    def _send(self, method: str, url: str, idempotent: bool, headers: Mapping[str, str] | None,
              kwargs: dict[str, Any]) -> requests.Response:
        merged = {**self.auth.headers(), **(headers or {})}
        return self.transport.request(method, url, idempotent=idempotent, headers=merged, **kwargs)

    # -- errors ---------------------------------------------------------------------------------------
    def raise_for(self, response: requests.Response, *, ok: tuple[int, ...], doing: str) -> None:
        if response.status_code in ok:
            return
        if response.status_code == 404 and response.url.startswith(self.entity_url):
            self._raise_if_version_missing()
        raise error_for(response, doing=doing)

    def _raise_if_version_missing(self) -> None:
        """A 404 under the endpoint URL: if the instance lacks this version, say which ones it has."""
        try:
            published = self.endpoints()
        except RemoteError:
            published = {}
        versions = published.get(self.endpoint, [])
        if self.version in versions:
            return
        tried = f"{self.endpoint}/{self.version}"
        if versions:
            listing = f"This instance publishes {self.endpoint} {', '.join(versions)}: pick one in Settings."
        elif published:
            names = ", ".join(f"{n} {', '.join(v)}" for n, v in sorted(published.items()))
            listing = f"This instance publishes no endpoint named {self.endpoint} (it has: {names})."
        else:
            listing = (f"The list of endpoints is at {self.base_url}/entity: "
                       "pick a version from it in Settings.")
        raise EndpointVersionNotFound(f"Acumatica has no endpoint {tried}. {listing}", tried=tried,
                                      available=versions)
