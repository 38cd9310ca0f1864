"""``UpsClient``: every UPS call shipdesk makes, with authentication and UPS's errors handled.

All I/O for UPS goes through here (the mapping lives in ``wire``/``address_wire``/``track_wire``,
the token in ``auth``). A 401 drops the token, gets a new one and retries once; 429 and 5xx are
retried by the :class:`Transport`; other 4xx become :class:`ApiRefused` with UPS's own message.
Ship is sent with ``idempotent=False``: when its answer is lost :class:`OutcomeUnknown` reaches
the caller, which reconciles instead of shipping twice.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

import requests

from shipdesk.i18n import N_, _
from shipdesk.net.transport import Transport
from shipdesk.ups import address_wire, errors, paperless_wire, track_wire, wire
from shipdesk.ups.auth import TokenManager
from shipdesk.ups.errors import ProductNotEnabled
from shipdesk.ups.models import (
    AddressValidation,
    LabelImage,
    RateQuote,
    ShipmentSpec,
    ShipResult,
    SubscriptionResult,
    TokenInfo,
    TrackResult,
    UpsAddress,
    VoidResult,
)
from shipdesk.ups.timeparse import parse_date
from shipdesk.ups.token_store import TokenStore

log = logging.getLogger(__name__)

#: Track Alert takes at most this many numbers per subscription request
SUBSCRIPTION_BATCH = 100
#: a package subscription lasts this long; renew before it ends
SUBSCRIPTION_LIFETIME = timedelta(days=14)
#: the account subscription's ids when none are configured (UPS documents only the example "UPS_Client")
DEFAULT_SUBSCRIPTION_ID = "shipdesk"
#: the account's packages UPS pushes: the spec's only value (UPSTrackAlert.yaml, subAccountType)
ACCOUNT_TYPES = ("Outbound",)
#: UPS's transId holds 32 characters
#: the API products an app is given in the UPS developer portal, by path (the most specific first)
PRODUCTS = (("/api/shipments/", "Shipping"), ("/api/labels/", "Shipping"), ("/api/rating/", "Rating"),
            ("/api/addressvalidation/", "Address Validation"), ("/api/track/v1/subscription/", "Track Alert"),
            ("/api/track/v2/subscription/", "Track Alert"), ("/api/track/", "Tracking"))
#: how long a product that refused a fresh token gets no new token (one token grant per product and period)
PRODUCT_RETRY_AFTER = timedelta(hours=1)
#: products shipdesk does without meanwhile, so they are not even called (a label must never wait for them)
PAUSED_PRODUCTS = frozenset({"Address Validation", "Tracking", "Track Alert"})
TRANS_ID_MAX = 32


def new_trans_id() -> str:
    return uuid.uuid4().hex


def _trans_id(value: str) -> str:
    return value.replace("-", "")[:TRANS_ID_MAX] or new_trans_id()


class UpsClient:
    def __init__(
        self,
        *,
        base_url: str,
        client_id: str,
        client_secret: str,
        account_number: str,
        token_store: TokenStore | None = None,
        transport: Transport | None = None,
        ship_version: str = "v2409",
        rating_version: str = "v2409",
        av_version: str = "v2",
        paperless_version: str = "v2",
        transaction_src: str = "shipdesk",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.account_number = account_number
        self._transport = transport or Transport("UPS")
        self._ship_version = ship_version
        self._rating_version = rating_version
        self._av_version = av_version
        self._paperless_version = paperless_version
        self._source = transaction_src
        self._clock = clock
        self._tokens = TokenManager(base_url=self.base_url, client_id=client_id, client_secret=client_secret,
                                    account_number=account_number, transport=self._transport,
                                    store=token_store, clock=clock)
        #: API product → when it may be asked again (it refused a fresh token: not added to the app)
        self._products_off: dict[str, float] = {}
        self._products_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"UpsClient(base_url={self.base_url!r}, account_number={self.account_number!r})"

    def close(self) -> None:
        self._transport.close()

    def on_answer(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(status)`` for every HTTP answer UPS sends this client, retried ones included
        (the transport retries 429 and 5xx before a caller hears of them); adding one twice adds it once."""
        hooks = self._transport.session.hooks.setdefault("response", [])
        if any(getattr(hook, "listener", None) == listener for hook in hooks):
            return

        def hook(response: requests.Response, *args: Any, **kwargs: Any) -> None:
            listener(response.status_code)

        hook.listener = listener  # type: ignore[attr-defined]
        hooks.append(hook)

    # -- connection -----------------------------------------------------------------------------
    def ping(self) -> TokenInfo:
        """Get (or reuse) a token: proves the credentials work and reports today's grants."""
        grant = self._tokens.grant()
        return TokenInfo(
            expires_at=datetime.fromtimestamp(grant.token.expires_at, tz=UTC),
            granted_now=grant.granted_now,
            grants_today=self._tokens.grants_today(),
            extra={"base_url": self.base_url},
        )

    def tokens_granted_today(self) -> int:
        return self._tokens.grants_today()

    # -- shipping -------------------------------------------------------------------------------
    def ship(self, spec: ShipmentSpec, *, trans_id: str) -> ShipResult:
        """Create the UPS shipment and its labels. Never retried once sent (no idempotency key)."""
        body = wire.ship_request(spec, context=trans_id)
        answer = self._call("POST", f"/api/shipments/{self._ship_version}/ship", action=N_("create the label"),
                            json_body=body, trans_id=trans_id, idempotent=False)
        return wire.parse_ship_response(answer)

    def void(self, shipment_id: str, tracking_numbers: Sequence[str] = ()) -> VoidResult:
        """Void a whole shipment, or only ``tracking_numbers`` of it. Already voided counts as voided."""
        params = {"trackingnumber": wire.void_tracking_param(tracking_numbers)} if tracking_numbers else None
        path = f"/api/shipments/{self._ship_version}/void/cancel/{quote(shipment_id.strip(), safe='')}"
        answer = self._call("DELETE", path, action=N_("void the shipment"), params=params)
        return wire.parse_void_response(shipment_id, answer)

    def recover_label(self, tracking_number: str, label_format: str = "GIF") -> list[LabelImage]:
        body = wire.label_recovery_request(tracking_number.strip().upper(), label_format)
        answer = self._call("POST", "/api/labels/v1/recovery", action=N_("recover the label"), json_body=body)
        return wire.parse_label_recovery(answer)

    def upload_document(self, pdf: bytes, filename: str, *, document_type: str = paperless_wire.COMMERCIAL_INVOICE
                        ) -> str:
        """File a trade document with UPS (Paperless Documents API) before the label; returns its DocumentID,
        which the Ship request names (InternationalForms FormType 07)."""
        body = paperless_wire.upload_request(pdf, filename, self.account_number, document_type=document_type)
        answer = self._call("POST", f"/api/paperlessdocuments/{self._paperless_version}/upload",
                            action=N_("upload the invoice to UPS"), json_body=body,
                            extra_headers={"ShipperNumber": self.account_number})
        return paperless_wire.parse_upload_response(answer)

    def rate(self, spec: ShipmentSpec, *, shop: bool = False) -> list[RateQuote]:
        """Quotes with taxes and transit days (UPS sends them only when asked: ``wire.rate_request``)."""
        in_transit = wire.asks_time_in_transit(spec)
        option = wire.rate_option(shop=shop, time_in_transit=in_transit)
        answer = self._call("POST", f"/api/rating/{self._rating_version}/{option}", action=N_("quote a rate"),
                            json_body=wire.rate_request(spec, shop=shop, time_in_transit=in_transit))
        return wire.parse_rate_response(answer)

    def validate_address(self, address: UpsAddress, *, name: str = "") -> AddressValidation:
        path = f"/api/addressvalidation/{self._av_version}/{address_wire.VALIDATE_AND_CLASSIFY}"
        answer = self._call("POST", path, action=N_("check the address"),
                            json_body=address_wire.xav_request(address, name=name))
        return address_wire.parse_xav_response(answer)

    # -- tracking -------------------------------------------------------------------------------
    def track(self, tracking_number: str, *, signature: bool = True) -> TrackResult:
        """The package's status and scans; ``found=False`` when UPS does not know the number."""
        number = tracking_number.strip().upper()
        params = {"locale": "en_US", "returnSignature": "true" if signature else "false",
                  "returnMilestones": "false", "returnPOD": "false"}
        response = self._send("GET", f"/api/track/v1/details/{quote(number, safe='')}", params=params)
        if response.status_code == 404:
            return track_wire.not_found(number, _json_or_none(response))
        answer = self._answer(response, N_("track the package"))
        results = track_wire.parse_track_response(answer)
        match = next((r for r in results if r.tracking_number.upper() == number), None)
        return match or (results[0] if results else track_wire.not_found(number, answer))

    def track_reference(self, reference: str, *, from_date: date, to_date: date) -> list[TrackResult]:
        """Packages shipped by our account with ``reference`` picked up between the dates; [] if none."""
        params = {"locale": "en_US", "shipperNum": self.account_number,
                  "fromPickUpDate": from_date.strftime("%Y%m%d"), "toPickUpDate": to_date.strftime("%Y%m%d"),
                  "refNumType": "SmallPackage"}
        response = self._send("GET", f"/api/track/v1/reference/details/{quote(reference.strip(), safe='')}",
                              params=params)
        if response.status_code == 404:
            return []
        return track_wire.parse_track_response(self._answer(response, N_("look up the reference number")))

    def subscribe(self, tracking_numbers: Sequence[str], *, locale: str = "en_US",
                  country: str = "US") -> SubscriptionResult:
        """Track Alert subscriptions for ``tracking_numbers`` (sent in batches of 100, merged)."""
        numbers = list(dict.fromkeys(n.strip().upper() for n in tracking_numbers if n.strip()))
        valid: list[str] = []
        invalid: list[str] = []
        for start in range(0, len(numbers), SUBSCRIPTION_BATCH):
            body = {"locale": locale, "countryCode": country,
                    "trackingNumberList": numbers[start:start + SUBSCRIPTION_BATCH]}
            answer = self._call("POST", "/api/track/v2/subscription/standard/package",
                                action=N_("subscribe to tracking alerts"), json_body=body)
            batch = track_wire.parse_subscription(answer)
            valid.extend(batch.valid)
            invalid.extend(batch.invalid)
        expires = datetime.fromtimestamp(self._clock(), tz=UTC) + SUBSCRIPTION_LIFETIME
        return SubscriptionResult(valid=tuple(valid), invalid=tuple(invalid),
                                  expires_at=expires if valid else None)

    def subscribe_account(self, *, subscription_id: str = DEFAULT_SUBSCRIPTION_ID, client_subscription_id: str = "",
                          locale: str = "en_US", country: str = "US") -> SubscriptionResult:
        """The account-wide Track Alert subscription (no 14-day renewals), on the ``standard`` path (``enhanced``
        is for packages only). The spec requires ``subscriptionId`` and ``clientSubscriptionId`` of non-XOLT
        (REST) clients such as this one; ``client_subscription_id`` "" means ``subscription_id``."""
        body = {"locale": locale, "countryCode": country, "shipperAccountNumber": self.account_number,
                "subscriptionId": subscription_id, "clientSubscriptionId": client_subscription_id or subscription_id,
                "subAccountType": list(ACCOUNT_TYPES)}
        answer = self._call("POST", "/api/track/v2/subscription/standard/account",
                            action=N_("subscribe the account to tracking alerts"), json_body=body)
        expiry = parse_date(wire.clean(answer.get("expiryDate")) if isinstance(answer, dict) else "")
        expires_at = datetime(expiry.year, expiry.month, expiry.day, tzinfo=UTC) if expiry else None
        return SubscriptionResult(expires_at=expires_at)

    # -- plumbing -------------------------------------------------------------------------------
    def _call(self, method: str, path: str, *, action: str, json_body: Any = None,
              params: Mapping[str, str] | None = None, trans_id: str | None = None,
              idempotent: bool = True, extra_headers: Mapping[str, str] | None = None) -> Any:
        response = self._send(method, path, json_body=json_body, params=params, trans_id=trans_id,
                              idempotent=idempotent, extra_headers=extra_headers)
        return self._answer(response, action)

    def _send(self, method: str, path: str, *, json_body: Any = None, params: Mapping[str, str] | None = None,
              trans_id: str | None = None, idempotent: bool = True,
              extra_headers: Mapping[str, str] | None = None) -> requests.Response:
        """Send with a bearer token; on 401 get a new token and send once more.

        A freshly granted token refused by the API product (Address Validation, Track Alert...) means the product
        is not added to the app (UPS answers 250002 for that product only; a brand new token does not help):
        the token is kept for the other products, :class:`ProductNotEnabled` says so (``first`` only for the call
        that found out), and for ``PRODUCT_RETRY_AFTER`` no new token is asked for that product's sake. The
        products shipdesk can do without (``PAUSED_PRODUCTS``) are not called at all meanwhile; Shipping and
        Rating are still tried with the kept token, so a label is never held up by a passing refusal. So a
        missing product costs at most one token grant per product and hour, not two per call.
        """
        product = product_of(path)
        refused_lately = self._refused_lately(product)
        if refused_lately and product in PAUSED_PRODUCTS:
            raise self._not_enabled(product)
        headers = {"transId": _trans_id(trans_id or new_trans_id()), "transactionSrc": self._source,
                   "Accept": "application/json", **(extra_headers or {})}
        for attempt in (1, 2):
            grant = self._tokens.grant()
            token = grant.token.access_token
            response = self._transport.request(
                method, self.base_url + path, idempotent=idempotent, params=params, json=json_body,
                headers={**headers, "Authorization": f"Bearer {token}"},
            )
            if response.status_code != 401:
                if refused_lately:
                    with self._products_lock:
                        self._products_off.pop(product, None)
                return response
            if refused_lately:  # the kept token refused again: no new grant within the hour
                raise self._not_enabled(product)
            if grant.granted_now or attempt == 2:  # a fresh token refused: this product, not the token
                raise self._product_refused(product, response)
            self._tokens.invalidate(token)
            log.info("UPS refused the access token for %s %s; asking for a new one", method, path)
        raise AssertionError("unreachable: the second attempt returns or raises")  # i18n: a bug

    def _refused_lately(self, product: str) -> bool:
        with self._products_lock:
            until = self._products_off.get(product)
        return until is not None and self._clock() < until

    def _not_enabled(self, product: str) -> ProductNotEnabled:
        """The short sentence, for the calls after the one that found out."""
        return ProductNotEnabled(
            _("UPS {product} is not enabled for this app (it refused a fresh access token a short while ago, "
              "UPS error 250002).").format(product=product), product=product, first=False, code="250002",
            hint=_product_hint(product))

    def _product_refused(self, product: str, response: requests.Response) -> ProductNotEnabled:
        with self._products_lock:
            self._products_off[product] = self._clock() + PRODUCT_RETRY_AFTER.total_seconds()
        message, code, _hint = errors.describe(response, _("accept shipdesk's access token for {product}").format(
            product=product))
        log.warning("UPS refused a fresh access token for %s (%s): not enabled for the app; no new token for it "
                    "for %s", product, code or "401", PRODUCT_RETRY_AFTER)
        if product in PAUSED_PRODUCTS:
            said = _("A fresh token was refused too, so the {product} API is not added to this app in the UPS "
                     "developer portal; the token still works for the others and shipdesk does not ask {product} "
                     "again for an hour.")
        else:
            said = _("A fresh token was refused too, so the {product} API is not added to this app in the UPS "
                     "developer portal; the token still works for the others and shipdesk asks no new token for "
                     "{product} for an hour.")
        return ProductNotEnabled(f"{message} {said.format(product=product)}", product=product, first=True, code=code,
                                 hint=_product_hint(product))

    @staticmethod
    def _answer(response: requests.Response, action: str) -> Any:
        if not response.ok:
            raise errors.error_for(response, action)
        body = _json_or_none(response)
        if body is None:
            raise errors.unreadable(action, f"HTTP {response.status_code} without JSON")
        return body


def product_of(path: str) -> str:
    """The UPS API product (as the developer portal names it) a path belongs to."""
    for prefix, product in PRODUCTS:
        if path.startswith(prefix):
            return product
    return "API"


def _product_hint(product: str) -> str:
    return _("Add the {product} product to the app in the UPS developer portal (the app whose client id is in "
             "Settings), then wait an hour or restart shipdesk.").format(product=product)


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
