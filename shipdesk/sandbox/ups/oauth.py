"""UPS OAuth client credentials: Basic-auth token grant and bearer checks, timed by the shared SimClock.

A bearer token that is not one UPS issued answers 401 UJ0001, an expired one 401 251004 (UPSTrackAlert.yaml's
error table); 250002 is kept for an API product the app does not have (``app.UpsSandbox.products_off``).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qs

from shipdesk.sandbox.clock import SimClock
from shipdesk.sandbox.ups.errors import MISSING_TOKEN, TOKEN_EXPIRED, UpsRefusal


@dataclass
class IssuedToken:
    value: str
    client_id: str
    merchant_id: str | None
    expires_at: datetime


class TokenIssuer:
    """Grants tokens to the one accepted client and answers whether a bearer token is still good."""

    def __init__(self, clock: SimClock, client_id: str, client_secret: str, lifetime_s: int) -> None:
        self.clock = clock
        self.client_id = client_id
        self.client_secret = client_secret
        self.lifetime_s = lifetime_s
        self.tokens: dict[str, IssuedToken] = {}

    def grant(self, authorization: str | None, form_body: bytes, merchant_id: str | None) -> dict[str, str]:
        """The token response body; raises :class:`UpsRefusal` for bad credentials or grant type."""
        client_id, secret = _basic_credentials(authorization)
        known_id = hmac.compare_digest(client_id, self.client_id)
        if not (known_id and hmac.compare_digest(secret, self.client_secret)):
            raise UpsRefusal(401, "10401", "ClientId is Invalid")
        form = parse_qs(form_body.decode("utf-8", "replace"))
        if form.get("grant_type", [""])[0] != "client_credentials":
            raise UpsRefusal(400, "10400", "Invalid/Missing grant_type; use client_credentials")
        now = self.clock.now()
        token = IssuedToken(secrets.token_urlsafe(48), client_id, merchant_id,
                            now + timedelta(seconds=self.lifetime_s))
        self.tokens[token.value] = token
        return {
            "token_type": "Bearer",
            "issued_at": str(int(now.timestamp() * 1000)),
            "client_id": client_id,
            "access_token": token.value,
            "scope": "",
            "expires_in": str(self.lifetime_s),
            "refresh_count": "0",
            "status": "approved",
        }

    def check(self, authorization: str | None) -> IssuedToken:
        """The token behind an ``Authorization: Bearer`` header, or a 401 :class:`UpsRefusal`."""
        if not authorization or not authorization.lower().startswith("bearer "):
            raise UpsRefusal(401, MISSING_TOKEN, "Invalid token or token is not present.")
        token = self.tokens.get(authorization[7:].strip())
        if token is None:
            raise UpsRefusal(401, MISSING_TOKEN, "Invalid token or token is not present.")
        if self.clock.now() >= token.expires_at:
            raise UpsRefusal(401, TOKEN_EXPIRED, "Bearer Token expired (oauth)")
        return token


def _basic_credentials(authorization: str | None) -> tuple[str, str]:
    if not authorization or not authorization.lower().startswith("basic "):
        raise UpsRefusal(401, "10401", "ClientId is Invalid")
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise UpsRefusal(401, "10401", "ClientId is Invalid") from None
    client_id, _, secret = decoded.partition(":")
    return client_id, secret
