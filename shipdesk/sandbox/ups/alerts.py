"""Track Alert: package subscriptions (14 days), where events are pushed, and the push itself.

v1 subscriptions name their own destination (url + credential, sent back in a ``credential`` header).
v2 subscriptions use the callback registered once per app (here: ``POST /_sandbox/callback``); in
"v2" mode the sandbox first gets a token from the app's ``token_url`` by client credentials and sends
``Authorization: Bearer``, ``x-api-key`` (unless the ``push_api_key`` option is off: the spec marks it
optional) and ``User-Agent: UPSPubSubTrackingService``; with the ``push_chunked`` option the body goes
``Transfer-Encoding: chunked``.
Pushes run outside the sandbox lock; events that fail are counted and not resent (as UPS does).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import requests

log = logging.getLogger(__name__)

SUBSCRIPTION_LIFETIME = timedelta(days=14)
PUSH_TIMEOUT_S = 5.0
USER_AGENT = "UPSPubSubTrackingService"


@dataclass(frozen=True)
class Destination:
    url: str
    mode: str = "v1"  # "v1": credential header; "v2": bearer token from token_url
    credential: str = ""
    token_url: str = ""
    client_id: str = ""
    client_secret: str = ""

    @classmethod
    def from_control(cls, body: dict[str, Any]) -> Destination:
        mode = str(body.get("mode", "v1"))
        if mode not in ("v1", "v2") or not body.get("url"):
            raise ValueError("callback needs a url and mode v1 or v2")
        if mode == "v2" and not body.get("token_url"):
            raise ValueError("a v2 callback needs token_url, client_id and client_secret")
        return cls(str(body["url"]), mode, str(body.get("credential", "")), str(body.get("token_url", "")),
                   str(body.get("client_id", "")), str(body.get("client_secret", "")))


@dataclass
class Subscription:
    tracking_number: str
    expires_at: datetime
    scans_seen: int  # scans that existed when subscribed or were pushed since
    destination: Destination | None = None  # v1: from the request; None = the app's callback


@dataclass(frozen=True)
class Push:
    destination: Destination
    body: dict[str, Any]
    #: how UPS may send it (``/_sandbox/options``): the spec marks ``x-api-key`` optional ("required: false"),
    #: and nothing public says whether the body comes with a Content-Length or chunked
    api_key: bool = True
    chunked: bool = False


def send_pushes(pushes: list[Push], session: requests.Session) -> tuple[int, int]:
    """POST each event; returns (sent, failed). One token per v2 destination per batch."""
    sent = failed = 0
    tokens: dict[Destination, str] = {}
    for push in pushes:
        try:
            headers = {"User-Agent": USER_AGENT, "Content-Type": "application/json"}
            dest = push.destination
            if dest.mode == "v2":
                if dest not in tokens:
                    tokens[dest] = _fetch_token(dest, session)
                headers["Authorization"] = f"Bearer {tokens[dest]}"
                if push.api_key:
                    headers["x-api-key"] = dest.client_id
            else:
                headers["credential"] = dest.credential
            payload = json.dumps(push.body).encode("utf-8")
            # a generator makes requests send "Transfer-Encoding: chunked" instead of a Content-Length
            data: bytes | Iterator[bytes] = iter([payload]) if push.chunked else payload
            answer = session.post(dest.url, data=data, headers=headers, timeout=PUSH_TIMEOUT_S)
            if 200 <= answer.status_code < 300:
                sent += 1
            else:
                failed += 1
                log.info("Track Alert push to %s answered %s", dest.url, answer.status_code)
        except (requests.RequestException, ValueError, KeyError) as exc:
            failed += 1
            log.info("Track Alert push to %s failed: %s", push.destination.url, type(exc).__name__)
    return sent, failed


def _fetch_token(dest: Destination, session: requests.Session) -> str:
    answer = session.post(dest.token_url, data={"grant_type": "client_credentials"},
                          auth=(dest.client_id, dest.client_secret), timeout=PUSH_TIMEOUT_S)
    answer.raise_for_status()
    return str(answer.json()["access_token"])
