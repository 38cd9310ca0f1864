"""One signed-in Acumatica session and the requests sent in it: the plumbing under ``AcumaticaClient``.

The session is opened on the first call, reused for every call, renewed once after a 401 and closed
when the ``with`` block ends, also on an exception or Ctrl+C: a session left open holds a licensed
API seat for about 10 minutes. Several threads may send requests in one session at once (the sync's
status write-back does): the sign-in and the renewal after a 401 happen once, under a lock.

The modules beside it (``shipments``, ``files``, ``actions``, ``notes``, ``ship_via``) build their
requests with :meth:`AcumaticaSession.call` and :meth:`AcumaticaSession.list_records`; a 404 under the
endpoint URL is checked against the versions the instance publishes, so a wrong version is named.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

import requests

from shipdesk.acumatica import query
from shipdesk.acumatica.auth import Auth
from shipdesk.acumatica.errors import OPTIMIZATION_MARKER, SERVICE, body_of, error_for, mentions, unreadable
from shipdesk.acumatica.records import RecordRef, filter_for, key_path, not_found, path_safe, ref_of
from shipdesk.errors import AuthenticationFailed, EndpointVersionNotFound, OptimizationFailed, RemoteError, ServerError
from shipdesk.i18n import _
from shipdesk.net.transport import Timeouts, Transport
from shipdesk.net.trust import system_trust_session
from shipdesk.stopping import SessionClosed, critical

log = logging.getLogger(__name__)

#: Acumatica queues requests over the licence's per-minute quota for minutes before answering 429
DEFAULT_TIMEOUTS = Timeouts(connect=10.0, read=300.0)

Records = list[dict[str, Any]]
Params = Mapping[str, str | int]


#: sessions signed in (or signing in) now, in any thread: what :func:`sign_out_all` ends
_OPEN: weakref.WeakSet[AcumaticaSession] = weakref.WeakSet()


def sign_out_all() -> int:
    """Sign out every session of this process that is still open, from the calling thread (a console being
    closed on Windows, a service stop): each one POST with short timeouts. Returns how many."""
    sessions = list(_OPEN)
    for session in sessions:
        try:
            session.abandon()
        except Exception:  # one failed sign-out must not keep the others open
            log.warning("signing out an Acumatica session failed", exc_info=True)
    return len(sessions)


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
        #: signed out for good from another thread (the process is stopping): no call, no new sign-in
        self._closed = False
        #: records read in this session, by entity and keys: later calls address them by id (``records``)
        self._known: dict[tuple[str, tuple[str, ...]], RecordRef] = {}
        #: one sign-in (or renewal) at a time; ``_renewals`` counts them, so a thread whose request was refused
        #: with 401 while another renewed the session sends it again instead of signing in once more
        self._sign_in_lock = threading.RLock()
        self._renewals = 0

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

    @property
    def closed(self) -> bool:
        """Signed out for good (:meth:`abandon`): no call, no new sign-in."""
        return self._closed

    def login(self) -> None:
        """Sign in now (otherwise the first call does); does nothing while a session is open.

        A stop (Ctrl+C, SIGTERM) waits for the sign-in to end (``stopping.critical``), and the session counts as
        open from the moment the request leaves: a sign-in cut short may hold a seat all the same, and the
        sign-out at the end of the ``with`` block frees it."""
        if self._signed_in:
            return
        with self._sign_in_lock:
            if not self._signed_in:
                self._login()

    def _login(self) -> None:
        self._refuse_if_closed()
        with critical():
            self._signed_in = True
            _OPEN.add(self)
            try:
                self._sign_in()
            except Exception:
                self._signed_in = False
                _OPEN.discard(self)
                raise
            self._renewals += 1  # a request refused while this sign-in was under way is sent again

    def _sign_in(self) -> None:
        self.auth.sign_in(self.transport, self.base_url)

    def logout(self) -> None:
        """End the session; does nothing when not signed in, never raises for a failed logout. A stop waits
        for it to end (``stopping.critical``): a sign-out cut in half leaves the seat open."""
        if not self._signed_in:
            return
        with critical():
            self._signed_in = False
            _OPEN.discard(self)
            self.auth.sign_out(self.transport, self.base_url)

    def abandon(self) -> None:
        """Sign out now, from another thread than the one using the session, because the process is stopping:
        that thread's next call raises :class:`SessionClosed` instead of signing in again. The sign-out goes
        through its own connection, with this sign-in's cookies (or token)."""
        self._closed = True
        if not self._signed_in:
            return
        self._signed_in = False
        _OPEN.discard(self)
        with system_trust_session() as elsewhere:  # through a company proxy too (net/trust.py)
            elsewhere.cookies.update(self.transport.session.cookies.copy())
            self.auth.sign_out_with(elsewhere, self.base_url)

    def _refuse_if_closed(self) -> None:
        if self._closed:
            raise SessionClosed(_("The Acumatica session was signed out because shipdesk is stopping."),
                                hint=_("Nothing was lost; the work goes on next time shipdesk runs."))

    def endpoints(self) -> dict[str, list[str]]:
        """Endpoint name → versions the instance publishes (``GET {url}/entity``), oldest first."""
        response = self.call("GET", f"{self.base_url}/entity", doing=_("list its endpoints"))
        published: dict[str, list[str]] = {}
        body = body_of(response)
        rows = body.get("endpoints", []) if isinstance(body, Mapping) else []
        for row in rows:
            if isinstance(row, Mapping) and row.get("name") and row.get("version"):
                published.setdefault(str(row["name"]), []).append(str(row["version"]))
        return {name: sorted(set(versions), key=_version_key) for name, versions in published.items()}

    # -- records --------------------------------------------------------------------------------------
    def remember(self, entity: str, keys: Sequence[str], record: Any) -> None:
        """Note the id (and file link) of a record Acumatica sent, to address it by id from now on."""
        ref = ref_of(record) if isinstance(record, Mapping) else None
        if ref is not None:
            self._known[(entity, tuple(keys))] = ref

    def known(self, entity: str, keys: Sequence[str]) -> RecordRef | None:
        return self._known.get((entity, tuple(keys)))

    def read_record(self, entity: str, key_fields: Sequence[str], keys: Sequence[str], *, doing: str,
                    params: Params | None = None) -> Any:
        """One record by its keys (``records``): by key path when the keys survive a URL path; else by id when
        this session read it before, else found with ``$filter``. Remembered for the calls that follow."""
        ref = self.known(entity, keys)
        if all(path_safe(k) for k in keys) or ref is not None:
            where = key_path(keys) if ref is None or all(path_safe(k) for k in keys) else ref.record_id
            record = self.call_json("GET", self.url(f"/{entity}/{where}"), params=params, doing=doing)
        else:
            rows = self._get_records(f"/{entity}", {**(params or {}), "$filter": filter_for(key_fields, keys)},
                                     doing=doing)
            if not rows:
                raise not_found(entity, keys, doing)
            record = rows[0]
        self.remember(entity, keys, record)
        return record

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

    def call_json(self, method: str, url: str, *, doing: str, ok: tuple[int, ...] = (200,), **kwargs: Any) -> Any:
        """:meth:`call`, and the answer's JSON; an answer that is not JSON (an HTML page, JSON cut off) is a
        sentence, not a decoding error."""
        response = self.call(method, url, doing=doing, ok=ok, **kwargs)
        try:
            return response.json()
        except ValueError:
            raise unreadable(_("its answer to {doing}").format(doing=doing),
                             f"HTTP {response.status_code} without readable JSON") from None

    def list_records(self, rel: str, params: Params, page_size: int | None, *, doing: str) -> Records:
        """Every record a list GET returns; with ``page_size``, read in pages (``$top``/``$skip``)
        until a short page."""
        if page_size is None:
            return self._get_records(rel, params, doing=doing)
        return [row for page in self.record_pages(rel, params, page_size, doing=doing) for row in page]

    def record_pages(self, rel: str, params: Params, page_size: int, *, doing: str) -> Iterator[Records]:
        """The records of a list GET a page (``$top``/``$skip``) at a time, until a short page: only one page
        is held in memory."""
        if page_size < 1:
            raise ValueError("top must be at least 1")  # i18n: a bug
        read = 0
        while True:
            page = self._get_records(rel, {**params, "$top": page_size, "$skip": read}, doing=doing)
            read += len(page)
            yield page
            if len(page) < page_size:
                return

    def _get_records(self, rel: str, params: Params, *, doing: str) -> Records:
        response = self.exchange("GET", self.url(rel), params=params)
        if response.status_code == 500 and mentions(response, OPTIMIZATION_MARKER):
            raise OptimizationFailed(_("Acumatica could not {doing}").format(doing=doing), service=SERVICE, status=500)
        self.raise_for(response, ok=(200,), doing=doing)
        body = body_of(response)
        if not isinstance(body, list):
            raise ServerError(_("Acumatica's answer to {doing} was not a list of records.").format(doing=doing),
                              service=SERVICE,
                              status=response.status_code)
        return body

    def exchange(self, method: str, url: str, *, idempotent: bool = True, params: Params | None = None,
                 headers: Mapping[str, str] | None = None, **kwargs: Any) -> requests.Response:
        """One request in the session: sign in first if needed, and once more after a 401."""
        if params:
            url = f"{url}?{query.query_string(dict(params))}"
        self._refuse_if_closed()
        if not self._signed_in:
            self.login()
        elif self.auth.expired():
            with self._sign_in_lock:
                if self.auth.expired():
                    self.auth.refresh(self.transport, self.base_url)  # OAuth: renew before the token runs out
        renewals = self._renewals
        response = self._send(method, url, idempotent, headers, kwargs)
        if response.status_code != 401:
            return response
        self._refuse_if_closed()  # signed out for a stop while this request waited: not signed in again
        with self._sign_in_lock:
            if renewals == self._renewals:  # nobody renewed the session since this request left
                log.info("Acumatica session ended (401); signing in again")
                with critical():
                    self.auth.refresh(self.transport, self.base_url)
                self._renewals += 1
        response = self._send(method, url, idempotent, headers, kwargs)
        if response.status_code == 401:
            self._signed_in = False
            raise AuthenticationFailed(
                _("Acumatica accepted the sign-in but then refused the request (HTTP 401)."),
                service=SERVICE, status=401,
                hint=_("Check that the Acumatica user has the rights for the Shipments screen and the API."),
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
            listing = _("This instance publishes {endpoint} {versions}: pick one in Settings.").format(
                endpoint=self.endpoint, versions=", ".join(versions))
        elif published:
            names = ", ".join(f"{n} {', '.join(v)}" for n, v in sorted(published.items()))
            listing = _("This instance publishes no endpoint named {endpoint} (it has: {names}).").format(
                endpoint=self.endpoint, names=names)
        else:
            listing = _("The list of endpoints is at {url}: pick a version from it in Settings.").format(
                url=f"{self.base_url}/entity")
        said = _("Acumatica has no endpoint {endpoint}.").format(endpoint=tried)
        raise EndpointVersionNotFound(f"{said} {listing}", tried=tried, available=versions)
