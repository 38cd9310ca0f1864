"""The UPS sandbox server: routes, in-memory state, Track Alert pushes.

Every API route needs a bearer token from ``/security/v1/oauth/token``; every POST body is
checked against the vendored spec (a violation is UPS's 400); answers follow the spec's schemas.
Control routes beyond the shared ones: ``POST /_sandbox/callback`` (Track Alert destination) and
``POST /_sandbox/options`` (``unknown_tracking``: "404" as the spec documents, or "warning" for the
live service's 200 + TW0001; ``unpadded_push_times``: 5-digit push times (``91504``);
``push_gmt_offset``: pushes carry ``gmtOffset`` ``-05.00`` (UPS's own examples and real pushes have
none, the default); ``activity_gmt``: "offset" (default), "no_offset" or "none" — which of ``gmtDate``,
``gmtTime``, ``gmtOffset`` Track activities carry (``tracking.ACTIVITY_GMT``); ``corrupt_labels``:
"truncated", "html" or "empty" makes Ship answer every package with such ``GraphicImage`` data
— the label is still made and billed, and Label Recovery serves it intact —, "" or null turns it off;
``paperless``: the account is enabled for paperless invoices and document upload, default false;
``push_api_key``: v2 pushes carry ``x-api-key`` (default) or not; ``push_chunked``: pushes go chunked;
``products_off``: API products not added to the app, whose paths answer a good token 401 250002) and
``POST /_sandbox/packages`` (``count`` labelled packages in one call).
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from http import HTTPStatus
from typing import Any

from shipdesk.sandbox.clock import SimClock
from shipdesk.sandbox.server import Fault, Request, Response, SandboxServer
from shipdesk.sandbox.ups import address, alerts, rating, ship, tracking
from shipdesk.sandbox.ups.errors import (
    INVALID_AUTHENTICATION,
    INVALID_REQUEST,
    LABEL_NOT_FOUND,
    MISSING_TRACK_HEADER,
    RATE_LIMITED,
    TRACKING_NOT_FOUND,
    VOID_NOT_FOUND,
    UpsRefusal,
    error_body,
    error_response,
)
from shipdesk.sandbox.ups.labels import RECOVERY_FORMATS, render
from shipdesk.sandbox.ups.oauth import TokenIssuer
from shipdesk.sandbox.ups.paperless import FormsHistory
from shipdesk.sandbox.ups.pump import EventPump
from shipdesk.sandbox.ups.records import PackageRecord, ShipmentRecord
from shipdesk.sandbox.ups.response_shapes import collapse_single_lists
from shipdesk.sandbox.ups.stateful_refusals import check_uploaded_documents
from shipdesk.sandbox.ups.validation import check_request

# "labels_created" and "voided" count packages; "subscriptions" counts subscribed numbers; "charges_published" and
# "charges_negotiated" add up TotalCharges and NegotiatedRateCharges (before taxes) of the labels not voided.
STAT_KEYS = ("tokens_granted", "labels_created", "shipments_created", "voided", "track_requests",
             "subscriptions", "pushes_sent", "pushes_failed")
VERSION = re.compile(r"v\d+")
NO_EXPIRY = datetime.max.replace(tzinfo=UTC)
REFERENCE_WINDOW = timedelta(days=14)

Handler = Callable[[Request], Response]


class UpsSandbox(SandboxServer):
    name = "ups"

    def __init__(self, clock: SimClock | None = None, *, port: int = 0, client_id: str = "demo",
                 client_secret: str = "demo", account: str = "A1B2C3", token_lifetime_s: int = 14399) -> None:
        super().__init__(clock, port=port)
        self.account = account.upper()
        self._credentials = (client_id, client_secret, token_lifetime_s)
        self.unknown_tracking = "404"  # "404" (spec) or "warning" (live service: 200 + TW0001)
        self.unpadded_push_times = False
        self.push_gmt_offset = False
        self.activity_gmt = "offset"
        self._pump = EventPump(self._collect_pushes, self._count_pushes)
        self._clear_state()
        self._register_routes()

    # -- state ------------------------------------------------------------------------------------
    def _clear_state(self) -> None:
        client_id, client_secret, lifetime = self._credentials
        self.tokens = TokenIssuer(self.clock, client_id, client_secret, lifetime)
        self.shipments: dict[str, ShipmentRecord] = {}
        self.charges: dict[str, tuple[float, float]] = {}  # shipment id → (published, negotiated) as answered
        self.packages: dict[str, tuple[ShipmentRecord, PackageRecord]] = {}  # by tracking number
        self.subscriptions: dict[str, alerts.Subscription] = {}
        self.account_subscribed = False
        self.account_subscription_ids: tuple[str, str] | None = None  # (subscriptionId, clientSubscriptionId)
        self.callback: alerts.Destination | None = None
        self.merchant_ids: list[str] = []
        self.trans_ids: list[str] = []
        self.corrupt_labels = ""  # one of ship.LABEL_CORRUPTIONS, or "" for good labels
        self.paperless = False  # the account files invoices electronically and may upload its own documents
        self.forms_history = FormsHistory()
        self.push_api_key = True  # v2 pushes carry x-api-key (the spec marks it optional)
        self.push_chunked = False  # v2 and v1 pushes go with a Content-Length, or chunked
        self.products_off: set[str] = set()  # API products not added to the app (PRODUCTS): 401 250002 there
        self._serial = secrets.randbelow(5_000_000)  # fresh numbers each run: demo stores survive restarts

    def reset(self) -> None:
        with self.lock:
            super().reset()
            self._clear_state()

    def stats_payload(self) -> dict[str, Any]:
        payload = super().stats_payload()
        with self.lock:
            standing = [charged for number, charged in self.charges.items()
                        if any(p.voided_at is None for p in self.shipments[number].packages)]
        charges = {"charges_published": f"{sum(c[0] for c in standing):.2f}",
                   "charges_negotiated": f"{sum(c[1] for c in standing):.2f}"}
        return {**dict.fromkeys(STAT_KEYS, 0), **payload, **charges}

    def _next_serial(self) -> int:
        self._serial += 1
        return self._serial

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> UpsSandbox:
        super().start()
        self._pump.start()
        return self

    def stop(self) -> None:
        self._pump.stop()
        super().stop()

    # -- routes -----------------------------------------------------------------------------------
    def _register_routes(self) -> None:
        self.route("POST", "/security/v1/oauth/token", self._token)
        api: list[tuple[str, str, Handler]] = [
            ("POST", "/api/shipments/{version}/ship", self._ship),
            ("DELETE", "/api/shipments/{version}/void/cancel/{shipmentidentificationnumber}", self._void),
            ("POST", "/api/labels/{version}/recovery", self._recover_label),
            ("POST", "/api/paperlessdocuments/{version}/upload", self._upload_document),
            ("POST", "/api/rating/{version}/{requestoption}", self._rate),
            ("POST", "/api/addressvalidation/{version}/{requestoption}", self._validate_address),
            ("GET", "/api/track/v1/details/{inquiryNumber}", self._track),
            ("GET", "/api/track/v1/reference/details/{referenceNumber}", self._track_reference),
            ("POST", "/api/track/{version}/subscription/{type}/account", self._subscribe_account),
        ]
        for method, template, handler in api:
            self.route(method, template, self._api(handler))
        self.route("POST", "/api/track/{version}/subscription/{type}/package",
                   self._api(self._subscribe_packages, refusal_shape=_subscription_refusal))

    def _api(self, handler: Handler,
             refusal_shape: Callable[[UpsRefusal, Request], Response] | None = None) -> Handler:
        """Bearer check, spec check of POST bodies, UPS error shape for every refusal."""

        def wrapped(request: Request) -> Response:
            try:
                with self.lock:
                    self.tokens.check(request.header("authorization"))
                    if product_of(request.path) in self.products_off:  # a good token, but not for this product
                        raise UpsRefusal(401, INVALID_AUTHENTICATION, "Invalid Authentication Information")
                version = request.params.get("version")
                if version is not None and not VERSION.fullmatch(version):
                    raise UpsRefusal(400, INVALID_REQUEST, f"Invalid version {version} in the URL.")
                if request.method == "POST":
                    # Handlers read the checked body, with single objects sent for arrays made lists.
                    checked = check_request("post", request.path, _json_body(request))
                    request.body = json.dumps(checked).encode("utf-8")
                trans_id = request.header("transid")
                if trans_id:
                    with self.lock:
                        self.trans_ids.append(trans_id)
                return handler(request)
            except UpsRefusal as refusal:
                return refusal_shape(refusal, request) if refusal_shape else refusal.response()

        return wrapped

    def _token(self, request: Request) -> Response:
        merchant = request.header("x-merchant-id")
        try:
            with self.lock:
                body = self.tokens.grant(request.header("authorization"), request.body, merchant)
                if merchant:
                    self.merchant_ids.append(merchant)
                self.extra_stats["tokens_granted"] += 1
        except UpsRefusal as refusal:
            return refusal.response()
        return Response.json(body)

    def _ship(self, request: Request) -> Response:
        body = _json_body(request)["ShipmentRequest"]
        with self.lock:
            check_uploaded_documents(body, self.forms_history, self.account)
            record = ship.create_shipment(body, self.account, self.clock.now(), self._next_serial,
                                          request.header("transid"))
            self.shipments[record.identification_number] = record
            for package in record.packages:
                self.packages[package.tracking_number] = (record, package)
                if self.account_subscribed:
                    self.subscriptions[package.tracking_number] = alerts.Subscription(
                        package.tracking_number, NO_EXPIRY, 0)
            self.extra_stats["shipments_created"] += 1
            self.extra_stats["labels_created"] += len(record.packages)
        # Drawing labels is the slow part: done outside the lock, from the immutable label contents.
        answer = ship.shipment_response(record, body, corrupt=self.corrupt_labels, paperless=self.paperless)
        results = answer["ShipmentResponse"]["ShipmentResults"]
        with self.lock:
            self.charges[record.identification_number] = (
                float(results["ShipmentCharges"]["TotalCharges"]["MonetaryValue"]),
                float((results.get("NegotiatedRateCharges") or {}).get("TotalCharge", {}).get("MonetaryValue", 0)))
        return Response.json(collapse_single_lists("post", request.path, request.params["version"], answer))

    def _void(self, request: Request) -> Response:
        number = request.params["shipmentidentificationnumber"].upper()
        wanted = set(ship.void_tracking_numbers(request.arg("trackingnumber")))
        with self.lock:
            record = self.shipments.get(number)
            if record is None:
                raise UpsRefusal(400, VOID_NOT_FOUND, "No shipment found within the allowed void period.")
            targets = [p for p in record.packages if not wanted or p.tracking_number in wanted]
            if wanted and len(targets) != len(wanted):
                raise UpsRefusal(400, VOID_NOT_FOUND, "A tracking number does not belong to this shipment.")
            now = self.clock.now()
            for package in targets:
                if package.voided_at is None:
                    package.voided_at = now
                    self.extra_stats["voided"] += 1
        return Response.json(ship.void_response([p.tracking_number for p in targets], partial=bool(wanted)))

    def _recover_label(self, request: Request) -> Response:
        body = _json_body(request)["LabelRecoveryRequest"]
        numbers = list(body.get("TrackingNumbers") or ())
        if body.get("TrackingNumber"):
            numbers = [body["TrackingNumber"]]
        code = ((body.get("LabelSpecification") or {}).get("LabelImageFormat") or {}).get("Code", "GIF")
        code = code.strip().upper()
        if code not in RECOVERY_FORMATS:
            raise UpsRefusal(400, INVALID_REQUEST, f"Invalid label image format {code}.")
        with self.lock:
            found = [self.packages[n.upper()] for n in numbers if n.upper() in self.packages]
        if not numbers or len(found) != len(numbers):
            raise UpsRefusal(400, LABEL_NOT_FOUND, "No label found for the requested tracking number.")
        results = []
        for _record, package in found:
            label = render(package.label, code)
            image: dict[str, Any] = {"LabelImageFormat": {"Code": label.format_code},
                                     "GraphicImage": label.graphic_b64}
            if label.html_b64 is not None:
                image["HTMLImage"] = label.html_b64
            results.append({"TrackingNumber": package.tracking_number, "LabelImage": image})
        return Response.json({"LabelRecoveryResponse": {
            "Response": {"ResponseStatus": {"Code": "1", "Description": "Success"}},
            "ShipmentIdentificationNumber": found[0][0].identification_number,
            "LabelResults": results,
        }})

    def _upload_document(self, request: Request) -> Response:
        with self.lock:
            answer = self.forms_history.upload(_json_body(request), request.header("shippernumber"), self.account,
                                               enabled=self.paperless, now=self.clock.now())
        return Response.json(answer)

    def _rate(self, request: Request) -> Response:
        body = _json_body(request)["RateRequest"]
        answer = rating.rate_response(body, request.params["requestoption"], self.account,
                                      additional_info=request.arg("additionalinfo"), today=self.clock.now().date())
        return Response.json(collapse_single_lists("post", request.path, request.params["version"], answer))

    def _validate_address(self, request: Request) -> Response:
        return Response.json(address.validate_address(_json_body(request), request.params["requestoption"]))

    # -- tracking ---------------------------------------------------------------------------------
    def _require_track_headers(self, request: Request) -> None:
        missing = [h for h in ("transId", "transactionSrc") if not request.header(h)]
        if missing:
            raise UpsRefusal(400, MISSING_TRACK_HEADER, f"Missing required header(s): {', '.join(missing)}.")

    def _track(self, request: Request) -> Response:
        self._require_track_headers(request)
        inquiry = request.params["inquiryNumber"].strip().upper()
        signature = (request.arg("returnSignature") or "false").lower() == "true"
        with self.lock:
            self.extra_stats["track_requests"] += 1
            found = self.packages.get(inquiry)
            if found is None:
                return self._unknown_tracking(inquiry)
            record, package = found
            details = tracking.package_details(record, package, self.clock.now(), return_signature=signature,
                                               activity_gmt=self.activity_gmt)
        return Response.json(tracking.track_response(inquiry, [details]))

    def _unknown_tracking(self, inquiry: str) -> Response:
        if self.unknown_tracking == "warning":
            return Response.json(tracking.not_found_warning(inquiry))
        return error_response(404, [(TRACKING_NOT_FOUND, "Tracking Information Not Found")])

    def _track_reference(self, request: Request) -> Response:
        self._require_track_headers(request)
        reference = request.params["referenceNumber"].strip()
        shipper = (request.arg("shipperNum") or "").strip().upper()
        now = self.clock.now()
        first_day = _date_arg(request.arg("fromPickUpDate")) or (now - REFERENCE_WINDOW).date()
        last_day = _date_arg(request.arg("toPickUpDate")) or now.date()
        matches: list[dict[str, Any]] = []
        with self.lock:
            self.extra_stats["track_requests"] += 1
            for record in self.shipments.values():
                if shipper and shipper != record.account:
                    continue
                if not first_day <= record.created_at.date() <= last_day:
                    continue
                for package in record.packages:
                    if reference in record.references or reference in package.references:
                        matches.append(tracking.package_details(record, package, now, return_signature=False,
                                                                activity_gmt=self.activity_gmt))
        if not matches:
            return error_response(404, [(TRACKING_NOT_FOUND, "Tracking Information Not Found")])
        return Response.json(tracking.track_response(reference, matches))

    def force_exception(self, tracking_number: str) -> None:
        """From now on the package is damaged and returning to the sender (X scan, no delivery)."""
        with self.lock:
            record, package = self.packages[tracking_number]
            now = self.clock.now()
            package.exception_at = max(now, record.created_at + tracking.EXCEPTION_AFTER)

    # -- Track Alert ------------------------------------------------------------------------------
    def _subscribe_packages(self, request: Request) -> Response:
        _check_subscription_type(request.params["type"])
        body = _json_body(request)
        # At most 100 numbers per request: the spec's maxItems, enforced by the request check.
        numbers = [str(n).upper() for n in body.get("trackingNumberList", [])]
        destination = None
        if "destination" in body:  # v1: the subscription names where to push
            target = body["destination"]
            destination = alerts.Destination(target["url"], "v1", target["credential"])
        valid, invalid = [], []
        with self.lock:
            now = self.clock.now()
            for number in numbers:
                found = self.packages.get(number)
                if found is None or found[1].voided_at is not None:
                    invalid.append(number)
                    continue
                record, package = found
                seen = len(tracking.scans(record, package, now))
                self.subscriptions[number] = alerts.Subscription(
                    number, now + alerts.SUBSCRIPTION_LIFETIME, seen, destination)
                valid.append(number)
            self.extra_stats["subscriptions"] += len(valid)
        return Response.json({"validTrackingNumbers": valid, "invalidTrackingNumbers": invalid})

    def _subscribe_account(self, request: Request) -> Response:
        """UPSTrackAlert.yaml AccountSubscriptionRequest (564-592): ``enhanced`` is "available for package
        subscription request only"; ``subscriptionId`` and ``clientSubscriptionId`` are "Required for non-XOLT
        clients" (every OAuth client); ``subAccountType`` takes ``Outbound`` only."""
        _check_subscription_type(request.params["type"])
        if request.params["type"] != "standard":
            raise UpsRefusal(400, "VSS930", "Type is missing or invalid, The Subscription request has been rejected.")
        body = _json_body(request)
        ids = [str(body.get(key) or "").strip() for key in ("subscriptionId", "clientSubscriptionId")]
        kinds = body.get("subAccountType") or []
        if not all(ids) or not isinstance(kinds, list) or any(kind != "Outbound" for kind in kinds):
            raise UpsRefusal(400, "VSS000", "Invalid request and The Subscription request has been rejected.")
        if str(body.get("shipperAccountNumber", "")).upper() != self.account:
            raise UpsRefusal(400, INVALID_REQUEST, "The shipper account number is not linked to this app.")
        with self.lock:
            self.account_subscribed = True
            self.account_subscription_ids = (ids[0], ids[1])
            now = self.clock.now()
            for number, (record, package) in self.packages.items():
                if number not in self.subscriptions:
                    self.subscriptions[number] = alerts.Subscription(
                        number, NO_EXPIRY, len(tracking.scans(record, package, now)))
            self.extra_stats["subscriptions"] += 1
        return Response.json({"expiryDate": "9999-12-31"})

    def pump_events(self) -> int:
        """Push every scan that happened since the last pass to its subscriber; returns pushes sent.

        Called by the pump thread, by ``Sandboxes.advance`` and by tests; never from a request handler.
        """
        return self._pump.pump()

    def _count_pushes(self, sent: int, failed: int) -> None:
        with self.lock:
            self.extra_stats["pushes_sent"] += sent
            self.extra_stats["pushes_failed"] += failed

    def _collect_pushes(self) -> list[alerts.Push]:
        pushes: list[alerts.Push] = []
        with self.lock:
            now = self.clock.now()
            for number, subscription in list(self.subscriptions.items()):
                if now >= subscription.expires_at:
                    del self.subscriptions[number]
                    continue
                record, package = self.packages[number]
                history = tracking.scans(record, package, now)
                fresh = history[subscription.scans_seen:]
                subscription.scans_seen = len(history)
                destination = subscription.destination or self.callback
                if destination is None:
                    continue  # nobody to tell: UPS drops the event too
                pushes += [alerts.Push(destination, tracking.push_event(
                    record, package, scan, unpadded_times=self.unpadded_push_times,
                    with_offset=self.push_gmt_offset), api_key=self.push_api_key, chunked=self.push_chunked)
                    for scan in fresh]
        return pushes

    # -- control and faults -----------------------------------------------------------------------
    def _control(self, request: Request) -> Response:
        response = super()._control(request)
        if request.path.endswith("/clock") and request.method == "POST":
            self._pump.wake()  # the pump thread pushes what the jump in time produced
        return response

    def control_extra(self, request: Request, what: str, body: Any) -> Response:
        if what == "packages" and request.method == "POST":
            return Response.json({"tracking_numbers": self._labelled_packages(body or {})})
        if what == "callback" and request.method == "POST":
            try:
                destination = alerts.Destination.from_control(body or {})
            except ValueError as exc:
                return Response.json({"message": str(exc)}, 400)
            with self.lock:
                self.callback = destination
            return Response.json({"callback": destination.url, "mode": destination.mode})
        if what == "callback" and request.method == "DELETE":
            with self.lock:
                self.callback = None
            return Response.json({"callback": None})
        if what == "options" and request.method == "POST":
            with self.lock:
                if body.get("unknown_tracking") in ("404", "warning"):
                    self.unknown_tracking = body["unknown_tracking"]
                if "unpadded_push_times" in body:
                    self.unpadded_push_times = bool(body["unpadded_push_times"])
                if "push_gmt_offset" in body:
                    self.push_gmt_offset = bool(body["push_gmt_offset"])
                if "push_api_key" in body:
                    self.push_api_key = bool(body["push_api_key"])
                if "push_chunked" in body:
                    self.push_chunked = bool(body["push_chunked"])
                if "products_off" in body:
                    products = {str(name) for name in body["products_off"] or ()}
                    if not products <= set(PRODUCTS.values()):
                        return Response.json({"message": "products_off takes "
                                              f"{', '.join(sorted(set(PRODUCTS.values())))}."}, 400)
                    self.products_off = products
                if "activity_gmt" in body:
                    if body["activity_gmt"] not in tracking.ACTIVITY_GMT:
                        return Response.json({"message": "activity_gmt must be one of "
                                              f"{', '.join(tracking.ACTIVITY_GMT)}."}, 400)
                    self.activity_gmt = body["activity_gmt"]
                if "paperless" in body:
                    self.paperless = bool(body["paperless"])
                if "corrupt_labels" in body:
                    wanted = body["corrupt_labels"] or ""
                    if wanted and wanted not in ship.LABEL_CORRUPTIONS:
                        return Response.json({"message": "corrupt_labels must be one of "
                                              f"{', '.join(ship.LABEL_CORRUPTIONS)}, or empty."}, 400)
                    self.corrupt_labels = wanted
                return Response.json({"unknown_tracking": self.unknown_tracking,
                                      "unpadded_push_times": self.unpadded_push_times,
                                      "push_gmt_offset": self.push_gmt_offset,
                                      "push_api_key": self.push_api_key, "push_chunked": self.push_chunked,
                                      "products_off": sorted(self.products_off),
                                      "activity_gmt": self.activity_gmt,
                                      "corrupt_labels": self.corrupt_labels, "paperless": self.paperless})
        return super().control_extra(request, what, body)

    def _labelled_packages(self, body: dict[str, Any]) -> list[str]:
        """``POST /_sandbox/packages``: ``count`` single-package shipments labelled ``hours_ago`` hours
        before now with ``service`` (default "03"); they are tracked like any label Ship made."""
        unknown = set(body) - {"count", "hours_ago", "service"}
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}")
        count, hours_ago = int(body.get("count", 1)), float(body.get("hours_ago", 0))
        if not 1 <= count <= 100_000:
            raise ValueError("count must be from 1 to 100000")
        service_code = str(body.get("service", "03"))
        try:
            rating.service(service_code)
        except UpsRefusal as refusal:
            raise ValueError(f"there is no UPS service {service_code}") from refusal
        with self.lock:
            created = self.clock.now() - timedelta(hours=hours_ago)
            numbers = []
            for index in range(count):
                record = ship.labelled_package(self.account, service_code, created, self._next_serial(), index + 1)
                self.shipments[record.identification_number] = record
                for package in record.packages:
                    self.packages[package.tracking_number] = (record, package)
                    numbers.append(package.tracking_number)
        return numbers

    def fault_response(self, request: Request, fault: Fault) -> Response:
        if fault.body is not None or fault.raw_body is not None:
            return super().fault_response(request, fault)
        status = fault.status or 500
        if status == 429:  # UPS sends no Retry-After
            return error_response(429, [(RATE_LIMITED, "Too Many Requests")], fault.headers)
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        return error_response(status, [(str(status), phrase)], fault.headers)


#: the API products of the UPS developer portal, by path prefix (most specific first); an app has only those
#: added to it, and a token is refused by the others with 401 250002 (UPS-API/api-documentation issue 116:
#: "Same result with a brand new token"; alexeybusygin/ShippingRates issue 66)
PRODUCTS = {"/api/shipments/": "shipping", "/api/labels/": "shipping", "/api/rating/": "rating",
            "/api/addressvalidation/": "address_validation", "/api/track/v1/subscription/": "track_alert",
            "/api/track/v2/subscription/": "track_alert", "/api/track/": "tracking"}


def product_of(path: str) -> str:
    return next((product for prefix, product in PRODUCTS.items() if path.startswith(prefix)), "")


def _check_subscription_type(kind: str) -> None:
    if kind not in ("standard", "enhanced"):
        raise UpsRefusal(400, INVALID_REQUEST, f"Invalid subscription type {kind}; use standard or enhanced.")


def _subscription_refusal(refusal: UpsRefusal, request: Request) -> Response:
    """Track Alert's 400 names the refused numbers beside the errors (PackageSubscriptionErrorResponse)."""
    body = error_body([(refusal.code, refusal.message)])
    if refusal.status == 400:
        try:
            numbers = (request.json() or {}).get("trackingNumberList", [])
        except (ValueError, AttributeError):
            numbers = []
        body = {"invalidTrackingNumbers": [str(n) for n in numbers] if isinstance(numbers, list) else [],
                **body}
    return Response.json(body, refusal.status, refusal.headers)


def _json_body(request: Request) -> Any:
    try:
        return request.json()
    except (ValueError, UnicodeDecodeError):
        raise UpsRefusal(400, INVALID_REQUEST, "The request body is not valid JSON.") from None


def _date_arg(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise UpsRefusal(400, INVALID_REQUEST, f"Invalid date {value}; use YYYYMMDD.") from None

