"""The Acumatica contract-based REST client: one signed-in session, typed records in and out.

Usage::

    with AcumaticaClient(url=..., version="24.200.001", auth=CookieAuth(...)) as acu:
        for shipment in acu.ready_shipments(modified_since=watermark):
            ...

The session is opened on the first call, reused for every call, renewed once after a 401 and
closed when the ``with`` block ends, also on an exception or Ctrl+C: a session left open holds a
licensed API seat for about 10 minutes. One client serves one thread at a time.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Literal
from urllib.parse import quote, urljoin

import requests

from shipdesk.acumatica import query
from shipdesk.acumatica.auth import Auth
from shipdesk.acumatica.errors import (
    OPTIMIZATION_MARKER,
    SERVICE,
    body_of,
    error_for,
    mentions,
)
from shipdesk.acumatica.models import SalesOrder, Shipment
from shipdesk.acumatica.notes import merge_status_line
from shipdesk.acumatica.parse import note_of, sales_order_from_json, shipment_from_json
from shipdesk.acumatica.tracking import check_tracking_saved
from shipdesk.acumatica.values import custom_field, get_str, wrap
from shipdesk.errors import (
    AuthenticationFailed,
    EndpointVersionNotFound,
    NotFound,
    OptimizationFailed,
    OutcomeUnknown,
    RemoteError,
    ServerError,
)
from shipdesk.net.transport import Timeouts, Transport

log = logging.getLogger(__name__)

#: Acumatica queues requests over the licence's per-minute quota for minutes before answering 429
DEFAULT_TIMEOUTS = Timeouts(connect=10.0, read=300.0)

NoteEntity = Literal["Shipment", "SalesOrder"]
#: key fields sent with a PUT so the record is found even without its id
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "Shipment": ("ShipmentNbr",),
    "SalesOrder": ("OrderType", "OrderNbr"),
}


def key_path(keys: Sequence[str]) -> str:
    """``("SO", "00/12")`` → ``SO/00%2F12``: each key part URL-encoded on its own."""
    return "/".join(quote(k, safe="") for k in keys)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


class AcumaticaClient:
    def __init__(
        self,
        *,
        url: str,
        endpoint: str = "Default",
        version: str,
        auth: Auth,
        transport: Transport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        action_poll_seconds: float = 1.0,
        action_timeout_seconds: float = 300.0,
        close_transport: bool | None = None,
    ) -> None:
        self.base_url = url.rstrip("/")
        self.endpoint = endpoint
        self.version = version
        self.entity_url = f"{self.base_url}/entity/{endpoint}/{version}"
        self.auth = auth
        #: close the connection pool with the client: always for one it made, on request for a given one
        self._owns_transport = transport is None if close_transport is None else close_transport
        self.transport = transport or Transport(SERVICE, timeouts=DEFAULT_TIMEOUTS)
        self._sleep = sleep
        self._poll_seconds = action_poll_seconds
        self._max_polls = max(1, math.ceil(action_timeout_seconds / max(action_poll_seconds, 1e-3)))
        self._signed_in = False

    # -- session ------------------------------------------------------------------------------

    def __enter__(self) -> AcumaticaClient:
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

    # -- discovery ------------------------------------------------------------------------------

    def endpoints(self) -> dict[str, list[str]]:
        """Endpoint name → versions the instance publishes (``GET {url}/entity``), oldest first."""
        response = self._call("GET", f"{self.base_url}/entity", doing="list its endpoints")
        published: dict[str, list[str]] = {}
        body = body_of(response)
        rows = body.get("endpoints", []) if isinstance(body, Mapping) else []
        for row in rows:
            if isinstance(row, Mapping) and row.get("name") and row.get("version"):
                published.setdefault(str(row["name"]), []).append(str(row["version"]))
        return {name: sorted(set(versions), key=_version_key) for name, versions in published.items()}

    def ship_via_codes(self) -> list[tuple[str, str]]:
        """(Ship Via code, description) for every Ship Via (the ``CarrierID`` key of ShipVia)."""
        rows = self._get_json("/ShipVia", {"$select": "CarrierID,Description"},
                              doing="list the Ship Via codes")
        return [(get_str(r, "CarrierID"), get_str(r, "Description")) for r in rows if get_str(r, "CarrierID")]

    def carrier_plugin_ship_vias(self) -> set[str]:
        """Ship Via codes that run one of Acumatica's own carrier plug-ins (``Carrier.CarrierPluginID``).

        Confirming such a shipment makes Acumatica buy its own label and overwrite the tracking
        numbers, so shipdesk must know them. The field is outside the contract, read through ``$custom``.
        """
        rows = self._get_json("/ShipVia", {"$select": "CarrierID", "$custom": "Carrier.CarrierPluginID"},
                              doing="read which Ship Via codes use a carrier plug-in")
        found = set()
        for row in rows:
            plugin = ((row.get("custom") or {}).get("Carrier") or {}).get("CarrierPluginID") or {}
            if isinstance(plugin, dict) and str(plugin.get("value") or "").strip():
                found.add(get_str(row, "CarrierID"))
        return found - {""}

    # -- shipments ------------------------------------------------------------------------------

    def ready_shipments(self, *, statuses: Sequence[str] = ("Open",), modified_since: datetime | None = None,
                        top: int | None = None) -> list[Shipment]:
        """Shipments in ``statuses`` changed after ``modified_since``, with packages, orders and ship-to.

        ``top`` is a page size: pages of ``top`` records are read with ``$top``/``$skip`` until a short
        page (every matching record is returned either way). When Acumatica cannot run the expanded
        list ("Optimization cannot be performed"), the keys are listed and each record read by key.
        """
        clauses = [query.any_of("Status", list(statuses))]
        if modified_since is not None:
            clauses.append(query.after("LastModifiedDateTime", modified_since))
        where = query.all_of(clauses)
        expand = query.field_list(query.SHIPMENT_EXPAND)
        try:
            rows = self._list("/Shipment", {"$filter": where, "$expand": expand}, top,
                              doing="list the ready shipments")
        except OptimizationFailed:
            log.info("Acumatica cannot run the expanded shipment list; reading shipments one by one")
            return self._ready_shipments_by_key(where, top)
        return [shipment_from_json(row) for row in rows]

    def _ready_shipments_by_key(self, where: str, top: int | None) -> list[Shipment]:
        keys = self._list("/Shipment", {"$filter": where, "$select": "ShipmentNbr"}, top,
                          doing="list the ready shipments")
        shipments = []
        for row in keys:
            try:
                shipments.append(self.get_shipment(get_str(row, "ShipmentNbr")))
            except NotFound:
                continue  # deleted between the two calls
        return shipments

    def get_shipment(self, shipment_nbr: str) -> Shipment:
        response = self._call("GET", self._url(f"/Shipment/{key_path([shipment_nbr])}"),
                              params={"$expand": query.field_list(query.SHIPMENT_EXPAND)},
                              doing=f"read shipment {shipment_nbr}")
        return shipment_from_json(response.json())

    def write_tracking(self, shipment: Shipment, tracking_by_package_id: Mapping[str, str], *,
                       freight_cost: Decimal | None = None) -> Shipment:
        """Put each tracking number on its package row, read the answer back, return the saved shipment.

        Raises :class:`TrackingNotSaved` when Acumatica answered but kept another value on any package
        (a Confirmed shipment's rows are read-only; a carrier plug-in may overwrite the number).
        """
        known = {p.id for p in shipment.packages}
        unknown = sorted(set(tracking_by_package_id) - known)
        if unknown:
            raise ValueError(f"package ids {unknown} are not on shipment {shipment.shipment_nbr}")
        return self._put_tracking(shipment, dict(tracking_by_package_id), freight_cost,
                                  doing=f"save the tracking numbers on shipment {shipment.shipment_nbr}")

    def clear_tracking(self, shipment: Shipment) -> Shipment:
        """Blank the tracking number of every package (after a void); read back like write_tracking."""
        cleared = {p.id: "" for p in shipment.packages if p.tracking_nbr}
        if not cleared:
            return shipment
        return self._put_tracking(shipment, cleared, None,
                                  doing=f"clear the tracking numbers on shipment {shipment.shipment_nbr}")

    def _put_tracking(self, shipment: Shipment, expected: dict[str, str], freight_cost: Decimal | None,
                      *, doing: str) -> Shipment:
        fields: dict[str, Any] = self._shipment_ref(shipment)
        fields["Packages"] = [{"id": pid, "TrackingNbr": nbr} for pid, nbr in expected.items()]
        if freight_cost is not None:
            fields["FreightCost"] = freight_cost
        body = wrap(fields)
        response = self._call("PUT", self._url("/Shipment"), json=body,
                              params={"$expand": query.field_list(query.SHIPMENT_EXPAND)}, doing=doing)
        saved = shipment_from_json(response.json())
        check_tracking_saved(saved, expected)
        return saved

    def attach_file(self, shipment_nbr: str, filename: str, data: bytes) -> None:
        """Attach ``data`` as ``filename`` (replacing a file of that name); ``#`` and spaces are encoded."""
        url = self._url(f"/Shipment/{key_path([shipment_nbr])}/files/{quote(filename, safe='')}")
        self._call("PUT", url, data=data, headers={"Content-Type": "application/octet-stream"},
                   ok=(200, 204), doing=f"attach {filename} to shipment {shipment_nbr}")

    def set_custom_fields(self, shipment_nbr: str, fields: Mapping[str, object], *,
                          view: str = "Document") -> None:
        """Write custom (user-defined) fields of one view of a shipment, typed as the contract API wants."""
        body = wrap({
            "ShipmentNbr": shipment_nbr,
            "custom": {view: {name: custom_field(value) for name, value in fields.items()}},
        })
        self._call("PUT", self._url("/Shipment"), json=body,
                   doing=f"save {', '.join(fields)} on shipment {shipment_nbr}")

    def confirm_shipment(self, shipment_nbr: str) -> None:
        self._run_action("Shipment", "ConfirmShipment", {"ShipmentNbr": shipment_nbr},
                         doing=f"confirm shipment {shipment_nbr}")

    def correct_shipment(self, shipment_nbr: str) -> None:
        self._run_action("Shipment", "CorrectShipment", {"ShipmentNbr": shipment_nbr},
                         doing=f"correct shipment {shipment_nbr}")

    # -- notes and orders -------------------------------------------------------------------------

    def get_sales_order(self, order_type: str, order_nbr: str) -> SalesOrder:
        response = self._call("GET", self._url(f"/SalesOrder/{key_path([order_type, order_nbr])}"),
                              doing=f"read sales order {order_type} {order_nbr}")
        return sales_order_from_json(response.json())

    def set_note_status_line(self, entity: NoteEntity, keys: Sequence[str], line: str, *,
                             marker: str = "[shipdesk]") -> bool:
        """Replace (or add) shipdesk's one line in the record's note; every other line stays as written.

        Returns True when the note changed and was saved, False when it already said ``line``.
        """
        key_fields = KEY_FIELDS[entity]
        if len(keys) != len(key_fields):
            raise ValueError(f"{entity} is found by {', '.join(key_fields)}; got {list(keys)}")
        label = f"{entity} {' '.join(keys)}"
        current = self._call("GET", self._url(f"/{entity}/{key_path(keys)}"),
                             doing=f"read the note of {label}").json()
        note = note_of(current)
        merged = merge_status_line(note, line, marker=marker)
        if merged == note:
            return False
        fields: dict[str, Any] = dict(zip(key_fields, keys, strict=True))
        if current.get("id"):
            fields["id"] = current["id"]
        fields["note"] = merged
        self._call("PUT", self._url(f"/{entity}"), json=wrap(fields), doing=f"save the note of {label}")
        return True

    # -- plumbing ---------------------------------------------------------------------------------

    def _url(self, rel: str) -> str:
        return self.entity_url + rel

    @staticmethod
    def _shipment_ref(shipment: Shipment) -> dict[str, Any]:
        ref: dict[str, Any] = {"ShipmentNbr": shipment.shipment_nbr}
        if shipment.id:
            ref["id"] = shipment.id
        return ref

    def _get_json(self, rel: str, params: dict[str, str | int], *, doing: str) -> list[dict[str, Any]]:
        response = self._exchange("GET", self._url(rel), params=params)
        if response.status_code == 500 and mentions(response, OPTIMIZATION_MARKER):
            raise OptimizationFailed(f"Acumatica could not {doing}", service=SERVICE, status=500)
        self._raise_for(response, ok=(200,), doing=doing)
        body = body_of(response)
        if not isinstance(body, list):
            raise ServerError(f"Acumatica's answer to {doing} was not a list of records.", service=SERVICE,
                              status=response.status_code)
        return body

    def _list(self, rel: str, params: dict[str, str | int], page_size: int | None, *,
              doing: str) -> list[dict[str, Any]]:
        if page_size is None:
            return self._get_json(rel, params, doing=doing)
        if page_size < 1:
            raise ValueError("top must be at least 1")
        rows: list[dict[str, Any]] = []
        while True:
            page = self._get_json(rel, {**params, "$top": page_size, "$skip": len(rows)}, doing=doing)
            rows.extend(page)
            if len(page) < page_size:
                return rows

    def _run_action(self, entity: str, action: str, keys: dict[str, Any], *, doing: str) -> None:
        """POST an action; 204 = done, 202 = running: poll its ``Location`` until 204 or the time runs out."""
        body = {"entity": wrap(keys), "parameters": {}}
        response = self._call("POST", self._url(f"/{entity}/{action}"), json=body, ok=(200, 202, 204),
                              idempotent=False, doing=doing)
        if response.status_code != 202:
            return
        location = response.headers.get("Location", "")
        if not location:
            return  # nothing to poll: Acumatica accepted it
        # Location already holds the instance path: resolve against the origin, never prefix it again
        status_url = urljoin(self.base_url + "/", location)
        for _ in range(self._max_polls):
            self._sleep(self._poll_seconds)
            status = self._exchange("GET", status_url)
            if status.status_code in (200, 204):
                return
            if status.status_code != 202:
                self._raise_for(status, ok=(), doing=doing)
        raise OutcomeUnknown(
            f"Acumatica is still working on the request to {doing}; shipdesk stopped waiting.",
            service=SERVICE, hint="Open the shipment in Acumatica to see whether it finished.",
        )

    def _call(self, method: str, url: str, *, doing: str, ok: tuple[int, ...] = (200,),
              **kwargs: Any) -> requests.Response:
        response = self._exchange(method, url, **kwargs)
        self._raise_for(response, ok=ok, doing=doing)
        return response

    def _exchange(self, method: str, url: str, *, idempotent: bool = True,
                  params: Mapping[str, str | int] | None = None, headers: Mapping[str, str] | None = None,
                  **kwargs: Any) -> requests.Response:
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

    def _raise_for(self, response: requests.Response, *, ok: tuple[int, ...], doing: str) -> None:
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

