"""A local stand-in for an Acumatica instance's contract-based REST API (endpoint ``Default``).

Every route lives under the instance path (``/AcumaticaERP``), as on real installs:
``/entity`` (endpoints and versions), ``/entity/auth/login|logout`` (cookie sessions),
``/identity/connect/token`` (OAuth), and ``/entity/Default/{version}/...`` for Shipment,
SalesOrder, ShipVia, files and the ConfirmShipment/CorrectShipment long operations; each endpoint
version describes itself (``swagger.json``, ``<Entity>/$adHocSchema``), and the generic-inquiry
OData service (``/t/<tenant>/api/odata/gi``) answers for a tenant that published no inquiry.
Answers follow the vendor spec of the version asked for; see ``tests/sandbox`` for the checks.
Beyond the shared control routes: ``POST /_sandbox/shipments`` copies a shipment (with its sales
orders) ``count`` times, for a busy day in one call; ``POST /_sandbox/release`` releases shipments (On Hold →
Open) in one transaction; ``POST /_sandbox/push`` configures a push notification destination (``push.py``:
sent as Acumatica sends them, after every request that changed the inquiry's result), ``DELETE`` removes it.
"""

from __future__ import annotations

import base64
import contextlib
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from shipdesk.sandbox.acumatica import describe, errors
from shipdesk.sandbox.acumatica.actions import LongOperations, blocks_other_requests
from shipdesk.sandbox.acumatica.auth import LoginLimitReached, SeatTable
from shipdesk.sandbox.acumatica.documents import REFUSAL_STATUSES, Documents, SaveRule
from shipdesk.sandbox.acumatica.entities import Links, build_shape, entity_fields, parse_custom, render
from shipdesk.sandbox.acumatica.errors import AcumaticaFault, error_response, iis_refusal
from shipdesk.sandbox.acumatica.odata import FilterError, parse_filter
from shipdesk.sandbox.acumatica.push import DEFAULT_QUERY, Destination, PushNotifier
from shipdesk.sandbox.acumatica.throttle import QueueFull, RequestThrottle
from shipdesk.sandbox.clock import SimClock
from shipdesk.sandbox.server import Fault, Request, Response, SandboxServer

VERSIONS = ("22.200.001", "23.200.001", "24.200.001")
ENDPOINT = "Default"
ACUMATICA_BUILD = "24.212.0019"
GRAPHS = {"Shipment": "PX.Objects.SO.SOShipmentEntry", "SalesOrder": "PX.Objects.SO.SOOrderEntry",
          "ShipVia": "PX.Objects.CS.CarrierMaint", "StockItem": "PX.Objects.IN.InventoryItemMaint",
          "ShippingBox": "PX.Objects.CS.CSBoxMaint"}
DEFAULT_OAUTH_CLIENT_ID = "4F1C2B3A-9D8E-4C7B-A6F5-0E1D2C3B4A59@Demo"
AUTH_COOKIE = ".ASPXAUTH"

EntityHandler = Callable[[Request, str], Response]


class AcumaticaSandbox(SandboxServer):
    name = "acumatica"

    def __init__(self, clock: SimClock | None = None, *, port: int = 0, username: str = "admin",
                 password: str = "demo", tenant: str = "Demo", max_sessions: int = 2,
                 session_timeout_minutes: float = 10, instance_path: str = "/AcumaticaERP", seed: bool = True,
                 oauth_client_id: str = DEFAULT_OAUTH_CLIENT_ID, oauth_client_secret: str = "demo",
                 requests_per_minute: int = 100_000, queue_limit: int = 20,
                 throttle_window_seconds: float = 60.0, polls_before_done: int = 1,
                 operation_seconds: float = 2.0) -> None:
        super().__init__(clock, port=port)
        self.username, self.password, self.tenant = username, password, tenant
        self.oauth_client_id, self.oauth_client_secret = oauth_client_id, oauth_client_secret
        self.instance_path = "/" + instance_path.strip("/") if instance_path.strip("/") else ""
        self.seats = SeatTable(self.clock, max_sessions, timedelta(minutes=session_timeout_minutes))
        self.throttle = RequestThrottle(requests_per_minute, window_seconds=throttle_window_seconds,
                                        queue_limit=queue_limit)
        self.operations = LongOperations(self.clock, polls_before_done, timedelta(seconds=operation_seconds))
        self._operation_timers: list[threading.Timer] = []
        self.documents = Documents(self.clock)
        self._seeded = seed
        # Real instances sometimes refuse a list GET with $expand of detail rows: clients must then
        # read each record by key. Set True to make the sandbox do the same.
        self.refuse_expanded_lists = False
        self.login_limit_body = "json"  # errors.LOGIN_LIMIT_BODIES: what a cookie sign-in over the seats gets
        # How long a shipment save takes between reading the record and persisting it. 0: saves are instant
        # (never overlap). A real instance takes a good part of a second, so two stations saving one
        # shipment at once overlap and the later save fails (``documents.commit_shipment_put``).
        self.save_seconds = 0.0
        self.documents.load_seed(seed)
        self.pushes = PushNotifier(self.clock, tenant)
        self._register_routes()

    def start(self) -> AcumaticaSandbox:
        super().start()
        return self

    def stop(self) -> None:
        self._cancel_operation_timers()
        self.pushes.stop()
        super().stop()

    def settle_operations(self) -> int:
        """Finish the long operations whose simulated duration is over (also done on every request)."""
        with self.lock:
            return self.operations.settle()

    def _cancel_operation_timers(self) -> None:
        with self.lock:
            timers, self._operation_timers = self._operation_timers, []
        for timer in timers:
            timer.cancel()

    # -- public knobs -----------------------------------------------------------------------------
    @property
    def tenant_url(self) -> str:
        return self.url + self.instance_path

    @property
    def custom_fields(self) -> set[str]:
        """Custom fields (on the shipment's ``Document`` view) this instance has; others are dropped."""
        return self.documents.custom_fields

    @property
    def plugin_ship_vias(self) -> set[str]:
        """Ship Via codes with an Acumatica carrier plug-in: ConfirmShipment overwrites their tracking."""
        return self.documents.plugin_ship_vias

    def reset(self) -> None:
        with self.lock:
            super().reset()
            self.documents.load_seed(self._seeded)
            self.operations.clear()
            self._cancel_operation_timers()
            self.throttle.reset()
            self.pushes.clear()
            self.save_seconds = 0.0

    def stats_payload(self) -> dict[str, Any]:
        with self.lock:
            self.operations.settle()
            payload = super().stats_payload()
            payload.update(sessions_open=self.seats.open_count(), sessions_expired=self.seats.expired,
                           writes=self.documents.writes,
                           files_attached=self.documents.files_attached,
                           confirmations=self.documents.confirmations,
                           lock_violations=self.documents.lock_violations,
                           tracking_overwritten=self.documents.tracking_overwritten, **self.pushes.stats())
            for key in ("logins", "logouts", "login_limit_hits", "throttled"):
                payload.setdefault(key, 0)
            return payload

    def dispatch(self, request: Request) -> Response:
        refused = iis_refusal(request)  # IIS and ASP.NET look at the path before Acumatica does
        if refused is not None:
            return refused
        try:
            return super().dispatch(request)
        finally:
            if self.pushes.destination is not None:  # a GET may settle a long operation: every request
                with self.lock:
                    self.operations.settle()
                    self.pushes.after_change(self.documents.shipments)

    def release(self, numbers: list[str]) -> list[str]:
        """Release shipments (On Hold → Open) in one transaction, as a clerk's mass action; the released ones."""
        released = []
        with self.lock:
            now = self.clock.now()
            for nbr in numbers:
                shipment = self.documents.shipment(nbr)
                if shipment["Status"] == "On Hold":
                    shipment.update(Status="Open", Hold=False, LastModifiedDateTime=now)
                    released.append(nbr)
        return released

    def fault_response(self, request: Request, fault: Fault) -> Response:
        if fault.body is not None or fault.raw_body is not None:
            return super().fault_response(request, fault)
        status = fault.status or 500
        messages = {429: "The number of API requests per minute allowed by the licence is exceeded.",
                    401: errors.NOT_LOGGED_IN}
        message = messages.get(status, f"The server could not process the request (HTTP {status}).")
        return error_response(status, message, headers=fault.headers)

    def not_found(self, request: Request) -> Response:
        return errors.not_found_page()

    def refuse_saves(self, shipment_nbr: str, field: str, message: str) -> None:
        """From now on a business rule refuses every save of the shipment, naming ``field`` (until reset)."""
        with self.lock:
            self.documents.shipment(shipment_nbr)  # it must exist
            self.documents.save_rules[shipment_nbr] = SaveRule(field, message)

    def control_extra(self, request: Request, what: str, body: Any) -> Response:
        """``POST /_sandbox/options {"refusal_status": 422|500, "login_limit_body": "json"|"html"|"iis",
        "save_ms": 300, "max_sessions": 8}`` (how long a shipment save takes: overlapping saves of one shipment fail;
        how many API seats the instance's license has);
        ``POST /_sandbox/save_rules {"shipment", "field", "message"}`` (a business rule refusing that shipment),
        ``DELETE`` clears them; ``POST /_sandbox/shipments {"like", "count", "prefix", "tracking_numbers",
        "status"}`` (copies of a shipment with their own sales orders: a busy day in one call)."""
        if what == "shipments" and request.method == "POST":
            unknown = set(body) - {"like", "count", "prefix", "tracking_numbers", "status"}
            if unknown:
                raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}")
            with self.lock:
                made = self.documents.copy_shipments(
                    str(body.get("like", "SH000101")), int(body.get("count", 1)), str(body.get("prefix", "CP")),
                    tracking_numbers=body.get("tracking_numbers"), status=body.get("status"))
            return Response.json({"shipments": made})
        if what == "release" and request.method == "POST":
            try:
                return Response.json({"released": self.release([str(n) for n in body["shipments"]])})
            except (KeyError, AcumaticaFault):
                return Response.json({"message": "release needs \"shipments\": existing shipment numbers."}, 400)
        if what == "push" and request.method == "POST":
            unknown = set(body) - {"url", "header_name", "header_value", "query", "ship_vias", "retry_seconds"}
            if unknown or "url" not in body:
                raise ValueError(f"push needs a url; unknown field(s): {', '.join(sorted(unknown)) or 'none'}")
            destination = Destination(str(body["url"]), str(body.get("header_name", "")),
                                      str(body.get("header_value", "")), str(body.get("query", DEFAULT_QUERY)),
                                      frozenset(body.get("ship_vias") or ()), float(body.get("retry_seconds", 0.2)))
            with self.lock:
                self.pushes.configure(destination, self.documents.shipments)
            return Response.json({"push": destination.url})
        if what == "push" and request.method == "DELETE":
            with self.lock:
                self.pushes.clear()
            return Response.json({"push": None})
        if what == "options" and request.method == "POST":
            status = body.get("refusal_status", self.documents.refusal_status)
            if status not in REFUSAL_STATUSES:
                return Response.json({"message": "refusal_status must be 422 or 500."}, 400)
            limit_body = body.get("login_limit_body", self.login_limit_body)
            if limit_body not in errors.LOGIN_LIMIT_BODIES:
                return Response.json({"message": "login_limit_body must be one of "
                                      f"{', '.join(errors.LOGIN_LIMIT_BODIES)}."}, 400)
            save_ms = body.get("save_ms", self.save_seconds * 1000)
            if not isinstance(save_ms, int | float) or isinstance(save_ms, bool) or not 0 <= save_ms <= 10_000:
                return Response.json({"message": "save_ms must be a number of milliseconds, 0 to 10000."}, 400)
            seats = body.get("max_sessions", self.seats.max_sessions)
            if not isinstance(seats, int) or isinstance(seats, bool) or not 1 <= seats <= 100:
                return Response.json({"message": "max_sessions must be a whole number, 1 to 100."}, 400)
            with self.lock:
                self.documents.refusal_status = status
                self.login_limit_body = limit_body
                self.save_seconds = save_ms / 1000
                self.seats.max_sessions = seats
            return Response.json({"refusal_status": status, "login_limit_body": limit_body, "save_ms": save_ms,
                                  "max_sessions": seats})
        if what == "save_rules" and request.method == "POST":
            try:
                self.refuse_saves(str(body["shipment"]), str(body["field"]), str(body["message"]))
            except (KeyError, AcumaticaFault):
                return Response.json({"message": "save_rules needs an existing shipment, a field and a message."},
                                     400)
            return Response.json({"save_rules": sorted(self.documents.save_rules)})
        if what == "save_rules" and request.method == "DELETE":
            with self.lock:
                self.documents.save_rules.clear()
            return Response.json({"save_rules": []})
        return super().control_extra(request, what, body)

    # -- routes -----------------------------------------------------------------------------------
    def _register_routes(self) -> None:
        ip = self.instance_path
        entity = f"{ip}/entity/{{endpoint}}/{{version}}"
        self.route("GET", f"{ip}/entity", self._list_endpoints)
        self.route("POST", f"{ip}/entity/auth/login", self._login)
        self.route("POST", f"{ip}/entity/auth/logout", self._logout)
        self.route("POST", f"{ip}/identity/connect/token", self._token)
        self.route("GET", f"{entity}/swagger.json", self._swagger)
        self.route("GET", f"{ip}/t/{{tenant}}/api/odata/gi/$metadata", self._gi_metadata)
        self.route("GET", f"{ip}/t/{{tenant}}/api/odata/gi/{{inquiry}}", self._gi_inquiry)
        guarded: list[tuple[str, str, EntityHandler]] = [
            ("GET", "/{entity_name}/$adHocSchema", self._ad_hoc_schema),
            ("GET", "/Shipment", self._list_shipments),
            ("PUT", "/Shipment", self._put_shipment),
            ("POST", "/Shipment/{action}", self._start_action),
            ("GET", "/Shipment/{action}/status/{op_id}", self._poll_action),
            ("GET", "/Shipment/{key}", self._get_shipment),
            ("PUT", "/Shipment/{key}/files/{filename}", self._put_shipment_file),
            ("GET", "/SalesOrder", self._list_sales_orders),
            ("PUT", "/SalesOrder", self._put_sales_order),
            ("GET", "/SalesOrder/{order_type}/{order_nbr}", self._get_sales_order),
            ("GET", "/SalesOrder/{key}", self._get_sales_order_by_id),
            ("PUT", "/SalesOrder/{order_type}/{order_nbr}/files/{filename}", self._put_sales_order_file),
            ("GET", "/StockItem", self._list_stock_items),
            ("GET", "/StockItem/{key}", self._get_stock_item),
            ("GET", "/ShippingBox", self._list_boxes),
            ("GET", "/ShipVia", self._list_ship_vias),
            ("GET", "/ShipVia/{key}", self._get_ship_via),
            ("PUT", "/files/{graph}/Document/{record_id}/{filename}", self._put_file_by_link),
            ("GET", "/files/{file_id}", self._get_file),
        ]
        # a shipment save takes the sandbox's lock itself, twice: reading, then persisting (see save_seconds)
        locks_itself = {self._put_shipment}
        for method, path, handler in guarded:
            self.route(method, entity + path, self._guard(handler, locked=handler not in locks_itself))

    def _guard(self, handler: EntityHandler, *, locked: bool = True) -> Callable[[Request], Response]:
        """Endpoint/version check (plain 404), session (401), licence throttle (queue, then 429).
        ``locked``: the handler runs holding the sandbox's lock (False: it takes it where it needs it)."""

        def guarded(request: Request) -> Response:
            version = request.params.get("version", "")
            if request.params.get("endpoint") != ENDPOINT or version not in VERSIONS:
                return errors.not_found_page()
            with self.lock:
                self.operations.settle()
                if not self._authenticated(request):
                    return Response.json({"message": errors.NOT_LOGGED_IN}, 401)
                if (blocks_other_requests(version) and self.operations.running()
                        and "/status/" not in request.path):
                    return error_response(409, "A long-running operation is in progress. Wait until it "
                                          "completes before you send other requests.")
            try:
                self.throttle.admit()
            except QueueFull:
                with self.lock:
                    self.extra_stats["throttled"] += 1
                return error_response(429, "The number of API requests in the queue exceeds the limit of "
                                      "the licence. Try again later.", headers={"Retry-After": "10"})
            with self.lock if locked else contextlib.nullcontext():
                try:
                    return handler(request, version)
                except AcumaticaFault as fault:
                    return fault.response
                except FilterError as problem:
                    return error_response(500, str(problem))

        return guarded

    def _authenticated(self, request: Request) -> bool:
        authorization = request.header("authorization") or ""
        if authorization.lower().startswith("bearer "):
            try:
                return self.seats.bearer_seat(authorization[7:].strip()) is not None
            except LoginLimitReached:
                self.extra_stats["login_limit_hits"] += 1
                return False
        seat_id = _cookies(request).get(AUTH_COOKIE)
        return seat_id is not None and self.seats.touch(seat_id)

    def _base(self, version: str) -> str:
        return f"{self.instance_path}/entity/{ENDPOINT}/{version}"

    # -- discovery and sign-in --------------------------------------------------------------------
    def _list_endpoints(self, request: Request) -> Response:
        base = self.instance_path
        return Response.json({
            "version": {"acumaticaBuildVersion": ACUMATICA_BUILD, "databaseVersion": ACUMATICA_BUILD},
            "endpoints": [{"name": ENDPOINT, "version": v, "href": f"{base}/entity/{ENDPOINT}/{v}/"}
                          for v in VERSIONS],
        })

    def _login(self, request: Request) -> Response:
        try:
            body = request.json() or {}
        except ValueError:
            body = {}
        tenant = body.get("tenant") or body.get("company") or self.tenant
        with self.lock:
            if (body.get("name"), body.get("password"), str(tenant).lower()) != (
                    self.username, self.password, self.tenant.lower()):
                return error_response(500, errors.INVALID_CREDENTIALS)
            try:
                seat = self.seats.open("cookie")
            except LoginLimitReached:
                self.extra_stats["login_limit_hits"] += 1
                return errors.login_limit_response(self.login_limit_body)
            self.extra_stats["logins"] += 1
        response = Response.empty(204)
        branch = body.get("branch") or "PRODWHOLE"
        locale = body.get("locale") or "en-US"
        response.cookies = [
            f"{AUTH_COOKIE}={seat.seat_id}; path=/; HttpOnly; SameSite=None",
            f"ASP.NET_SessionId={seat.seat_id[:24]}; path=/; HttpOnly; SameSite=Lax",
            f"UserBranch={branch}; path=/",
            f"Locale=Culture={locale}&TimeZone=GMTM0500A; path=/",
        ]
        return response

    def _logout(self, request: Request) -> Response:
        seat_id = _cookies(request).get(AUTH_COOKIE)
        with self.lock:
            if seat_id and self.seats.close(seat_id):
                self.extra_stats["logouts"] += 1
        response = Response.empty(204)
        response.cookies = [f"{AUTH_COOKIE}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/; HttpOnly"]
        return response

    def _token(self, request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs(request.body.decode("utf-8")).items()}
        grant_type = form.get("grant_type")
        client = (form.get("client_id"), form.get("client_secret"))
        if client != (self.oauth_client_id, self.oauth_client_secret):
            return _oauth_error("invalid_client")
        with self.lock:
            try:
                if grant_type == "password":
                    if (form.get("username"), form.get("password")) != (self.username, self.password):
                        return _oauth_error("invalid_grant", "invalid_username_or_password")
                    scope = form.get("scope") or "api"
                    grant = self.seats.grant(scope, self.seats.open("oauth"))
                    self.extra_stats["logins"] += 1
                elif grant_type == "refresh_token":
                    refreshed = self.seats.refresh(form.get("refresh_token") or "")
                    if refreshed is None:
                        return _oauth_error("invalid_grant")
                    grant = refreshed
                else:
                    return _oauth_error("unsupported_grant_type")
            except LoginLimitReached:
                self.extra_stats["login_limit_hits"] += 1
                return _oauth_error("invalid_grant", errors.LOGIN_LIMIT)
        payload: dict[str, Any] = {"access_token": grant.access_token, "expires_in": 3600,
                                   "token_type": "Bearer", "scope": grant.scope}
        if grant.refresh_token:
            payload["refresh_token"] = grant.refresh_token
        return Response.json(payload, headers={"Cache-Control": "no-store"})

    # -- Shipment ---------------------------------------------------------------------------------
    def _list_shipments(self, request: Request, version: str) -> Response:
        return self._list(request, version, "Shipment", self.documents.shipments)

    def _get_shipment(self, request: Request, version: str) -> Response:
        return self._one(request, version, "Shipment", self.documents.shipment(request.params["key"]))

    def _put_shipment(self, request: Request, version: str) -> Response:
        """Read and merge, work on the copy for ``save_seconds`` (other requests go on meanwhile), persist:
        a save of the same shipment that landed in between makes this one fail, as on a real instance."""
        body = _json_body(request)
        with self.lock:
            pending = self.documents.prepare_shipment_put(body, version)
            pause = self.save_seconds
        if pause:
            time.sleep(pause)
        with self.lock:
            record = self.documents.commit_shipment_put(pending)
            return self._one(request, version, "Shipment", record, sent_custom=body.get("custom"))

    def _put_shipment_file(self, request: Request, version: str) -> Response:
        record = self.documents.shipment(request.params["key"])
        return self._attach(request, version, record, "Shipments")

    def _start_action(self, request: Request, version: str) -> Response:
        action = request.params["action"]
        actions = {"ConfirmShipment": self.documents.confirm, "CorrectShipment": self.documents.correct}
        run = actions.get(action)
        if run is None:
            raise AcumaticaFault(error_response(400, f"The action {action} is not available for Shipment."))
        body = _json_body(request)
        wire = body.get("entity")
        if not isinstance(wire, dict):
            raise AcumaticaFault(error_response(400, "The entity to run the action on is missing."))
        key = wire.get("id") or (wire.get("ShipmentNbr") or {}).get("value") or ""
        record_id = self.documents.shipment(str(key))["id"]
        base = self._base(version)
        operation = self.operations.start(lambda: run(record_id), f"{base}/Shipment/{record_id}")
        # It finishes on its own when its time is up, polled or not.
        timer = threading.Timer(self.operations.duration.total_seconds(), self.settle_operations)
        timer.daemon = True
        self._operation_timers.append(timer)
        timer.start()
        return Response.empty(202, {"Location": f"{base}/Shipment/{action}/status/{operation.op_id}"})

    def _poll_action(self, request: Request, version: str) -> Response:
        answer = self.operations.poll(request.params["op_id"], request.path)
        if answer is None:
            raise AcumaticaFault.server_error("The long-running operation was not found.")
        return answer

    # -- self-description -------------------------------------------------------------------------
    def _swagger(self, request: Request) -> Response:
        """The endpoint's OpenAPI document; readable without signing in (``company`` names the tenant)."""
        version = request.params.get("version", "")
        company = request.arg("company")
        if request.params.get("endpoint") != ENDPOINT or version not in VERSIONS or (
                company is not None and company.lower() != self.tenant.lower()):
            return errors.not_found_page()
        return Response(200, describe.swagger_document(version), {"Content-Type": "application/json"})

    def _ad_hoc_schema(self, request: Request, version: str) -> Response:
        entity = request.params["entity_name"]
        if not describe.has_entity(version, entity):
            return errors.not_found_page()
        return Response.json(describe.ad_hoc_schema(version, entity, self._custom_field_types(entity)))

    def _custom_field_types(self, entity: str) -> dict[str, dict[str, str]]:
        if entity == "Shipment":
            return {"Document": {name: describe.CUSTOM_FIELD_TYPES.get(name, "CustomStringField")
                                 for name in self.documents.custom_fields}}
        if entity == "ShipVia":  # the form's elements outside the contract, in the views the form binds them to
            return {"Carrier": {"IsExternal": "CustomBooleanField"},
                    "CarrierCurrent": {"CarrierPluginID": "CustomStringField"}}
        return {}

    def _gi_metadata(self, request: Request) -> Response:
        refused = self._odata_refusal(request)
        if refused is not None:
            return refused
        return Response(200, describe.EMPTY_GI_METADATA,
                        {"Content-Type": "application/xml", "OData-Version": "4.0"})

    def _gi_inquiry(self, request: Request) -> Response:
        refused = self._odata_refusal(request)
        if refused is not None:
            return refused
        # No inquiry is published to OData on this tenant.
        return Response.json({"error": {"code": "", "message": f"No HTTP resource was found that matches the "
                                        f"request URI for the inquiry '{request.params['inquiry']}'."}}, 404)

    def _odata_refusal(self, request: Request) -> Response | None:
        """OData signs in with HTTP Basic on every request; the tenant comes from the URL."""
        if request.params.get("tenant", "").lower() != self.tenant.lower():
            return errors.not_found_page()
        authorization = request.header("authorization") or ""
        user = password = None
        if authorization.lower().startswith("basic "):
            try:
                user, _, password = base64.b64decode(authorization[6:].strip()).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                user = None
        if (user, password) != (self.username, self.password):
            return Response(401, b"", {"WWW-Authenticate": 'Basic realm="Acumatica"'})
        return None

    # -- SalesOrder and ShipVia -------------------------------------------------------------------
    def _list_sales_orders(self, request: Request, version: str) -> Response:
        orders = [self.documents.with_shipments(o) for o in self.documents.sales_orders]
        return self._list(request, version, "SalesOrder", orders)

    def _get_sales_order(self, request: Request, version: str) -> Response:
        order = self.documents.sales_order(request.params["order_type"], request.params["order_nbr"])
        return self._one(request, version, "SalesOrder", self.documents.with_shipments(order))

    def _get_sales_order_by_id(self, request: Request, version: str) -> Response:
        key = request.params["key"]
        if "|" in key:  # key fields separated by a vertical bar instead of a slash
            order_type, _, order_nbr = key.partition("|")
            order = self.documents.sales_order(order_type, order_nbr)
        else:
            order = self.documents.by_id(self.documents.sales_orders, key)
        return self._one(request, version, "SalesOrder", self.documents.with_shipments(order))

    def _put_sales_order(self, request: Request, version: str) -> Response:
        body = _json_body(request)
        order = self.documents.put_sales_order(body, version)
        return self._one(request, version, "SalesOrder", self.documents.with_shipments(order),
                         sent_custom=body.get("custom"))

    def _put_sales_order_file(self, request: Request, version: str) -> Response:
        order = self.documents.sales_order(request.params["order_type"], request.params["order_nbr"])
        return self._attach(request, version, order, "Sales Orders")

    def _list_stock_items(self, request: Request, version: str) -> Response:
        return self._list(request, version, "StockItem", self.documents.stock_items)

    def _get_stock_item(self, request: Request, version: str) -> Response:
        return self._one(request, version, "StockItem", self.documents.stock_item(request.params["key"]))

    def _list_boxes(self, request: Request, version: str) -> Response:
        return self._list(request, version, "ShippingBox", self.documents.boxes)

    def _list_ship_vias(self, request: Request, version: str) -> Response:
        return self._list(request, version, "ShipVia", self.documents.ship_vias)

    def _get_ship_via(self, request: Request, version: str) -> Response:
        key = request.params["key"]
        found = next((v for v in self.documents.ship_vias if key in (v["CarrierID"], v["id"])), None)
        if found is None:
            raise AcumaticaFault.no_entity()
        return self._one(request, version, "ShipVia", found)

    # -- files ------------------------------------------------------------------------------------
    def _put_file_by_link(self, request: Request, version: str) -> Response:
        record, screen = self.documents.record_of(request.params["record_id"])
        return self._attach(request, version, record, screen)

    def _attach(self, request: Request, version: str, record: dict[str, Any], screen: str) -> Response:
        content_type = request.header("content-type") or "application/octet-stream"
        stored = self.documents.attach_file(record, screen, request.params["filename"], request.body,
                                            content_type)
        return Response.empty(204, {"Location": f"{self._base(version)}/files/{stored.file_id}"})

    def _get_file(self, request: Request, version: str) -> Response:
        stored = self.documents.files.get(request.params["file_id"])
        if stored is None:
            raise AcumaticaFault.server_error("The file was not found.")
        return Response(200, stored.data, {"Content-Type": stored.content_type})

    # -- rendering --------------------------------------------------------------------------------
    def _list(self, request: Request, version: str, entity: str, records: list[dict[str, Any]]) -> Response:
        fields = [n for n, info in entity_fields(version, entity).items() if info.kind == "value"]
        if self.refuse_expanded_lists and request.arg("$expand"):
            raise AcumaticaFault.server_error("Optimization cannot be performed. The following fields cause "
                                              "the error: Packages.", "PX.Api.ContractBased.OptimizedExport"
                                              ".CannotOptimizeException")
        predicate = parse_filter(request.arg("$filter"), fields)
        chosen = [r for r in records if predicate(r)]
        skip = _int_arg(request, "$skip") or 0
        top = _int_arg(request, "$top")
        chosen = chosen[skip:] if top is None else chosen[skip:skip + top]
        shape = build_shape(request.arg("$expand"), request.arg("$select"))
        links = Links(self._base(version), GRAPHS[entity])
        custom = parse_custom(request.arg("$custom"))
        return Response.json([render(r, entity, version, shape, row_number=i + 1, links=links, custom=custom)
                              for i, r in enumerate(chosen)])

    def _one(self, request: Request, version: str, entity: str, record: dict[str, Any], *,
             sent_custom: Any = None) -> Response:
        shape = build_shape(request.arg("$expand"), request.arg("$select"))
        custom = parse_custom(request.arg("$custom"))
        if isinstance(sent_custom, dict):  # a PUT answers the custom values it was sent
            for view, values in sent_custom.items():
                if isinstance(values, dict):
                    custom.setdefault(view, set()).update(values)
        links = Links(self._base(version), GRAPHS[entity])
        return Response.json(render(record, entity, version, shape, links=links, custom=custom))


def _cookies(request: Request) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(request.header("cookie") or "")
    except Exception:  # a malformed Cookie header is as good as none
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = request.json()
    except ValueError:
        raise AcumaticaFault(error_response(400, "The request body is not valid JSON.",
                                            exception_type="Newtonsoft.Json.JsonReaderException")) from None
    if not isinstance(body, dict):
        raise AcumaticaFault(error_response(400, "The request body must be a JSON object."))
    return body


def _int_arg(request: Request, name: str) -> int | None:
    raw = request.arg(name)
    if raw is None or raw == "":
        return None
    try:
        return max(0, int(raw))
    except ValueError:
        raise AcumaticaFault(error_response(400, f"The value of {name} must be a whole number.")) from None


def _oauth_error(code: str, description: str | None = None) -> Response:
    payload = {"error": code}
    if description:
        payload["error_description"] = description
    return Response.json(payload, 400)
