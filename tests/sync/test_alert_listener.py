"""The Track Alert listener on its own: both auth modes, and everything a stranger might send it."""

from __future__ import annotations

import json
import logging
import socket
import struct
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests

from shipdesk.core.track_alert.auth import ListenerCredentials, PushAuth
from shipdesk.core.track_alert.listener import AlertListener
from shipdesk.core.track_alert.push import PushedEvent

CLIENT_ID, SECRET, CREDENTIAL = "site-client", "token-secret", "v1-credential"
KNOWN = "1ZA1B2C30312345678"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def event_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "trackingNumber": KNOWN, "localActivityDate": "20261124", "localActivityTime": "74700",
        "gmtOffset": "-04.00", "activityLocation": {"city": "ATLANTA", "stateProvince": "GA", "country": "US"},
        "activityStatus": {"type": "I", "code": "OT", "description": "Out For Delivery Today"},
        "gmtActivityDate": "20261124", "gmtActivityTime": "114700",
    }
    body.update(overrides)
    return body


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def received() -> list[PushedEvent]:
    return []


@pytest.fixture
def listener(clock, received):
    def sink(event: PushedEvent) -> bool:
        if event.tracking_number != KNOWN:
            return False
        received.append(event)
        return True

    auth = PushAuth(ListenerCredentials(CLIENT_ID, SECRET, CREDENTIAL), clock=clock)
    with AlertListener(auth=auth, on_event=sink, path="/ups/track-alert") as running:
        yield running


def token(listener: AlertListener, user: str = CLIENT_ID, password: str = SECRET) -> requests.Response:
    return requests.post(listener.token_url, data={"grant_type": "client_credentials"}, auth=(user, password),
                         timeout=5)


def push(listener: AlertListener, body: object, headers: dict[str, str]) -> requests.Response:
    data = body if isinstance(body, bytes | Iterator) else json.dumps(body).encode()
    return requests.post(listener.url, data=data, headers={"Content-Type": "application/json", **headers},
                         timeout=5)


def bearer(listener: AlertListener) -> dict[str, str]:
    answer = token(listener)
    assert answer.status_code == 200
    return {"Authorization": f"Bearer {answer.json()['access_token']}", "x-api-key": CLIENT_ID,
            "User-Agent": "UPSPubSubTrackingService"}


def test_v2_token_then_push_is_accepted_with_ups_time_formats(listener, received):
    answer = token(listener)
    assert answer.json()["token_type"] == "Bearer" and answer.json()["expires_in"] == 3600

    reply = push(listener, event_body(), bearer(listener))

    assert reply.status_code == 200 and reply.json() == {"status": "accepted"}
    [event] = received
    assert event.event.occurred_at == datetime(2026, 11, 24, 11, 47, tzinfo=UTC)  # 07:47 at -04.00
    assert event.event.occurred_at.utcoffset().total_seconds() == -4 * 3600
    assert event.event.location == "ATLANTA, GA, US" and event.event.status_code == "OT"


def test_the_configured_token_path_also_serves_tokens(listener):
    url = listener.token_url.replace("/ups/track-alert/token", "/ups/oauth/token")
    answer = requests.post(url, data={"grant_type": "client_credentials"}, auth=(CLIENT_ID, SECRET), timeout=5)
    assert answer.status_code == 200 and answer.json()["access_token"]


def test_v1_credential_header_is_accepted(listener, received):
    reply = push(listener, event_body(), {"credential": CREDENTIAL})
    assert reply.status_code == 200 and len(received) == 1


def test_delivery_carries_the_signer_and_the_delivery_time(listener, received):
    body = event_body(activityStatus={"type": "D", "code": "KB", "description": "DELIVERED"},
                      actualDeliveryDate="20261126", actualDeliveryTime="140200", receivedBy="J SMITH")
    push(listener, body, {"credential": CREDENTIAL})
    [event] = received
    assert event.received_by == "J SMITH"
    assert event.delivered_at == datetime(2026, 11, 26, 18, 2, tzinfo=UTC)


@pytest.mark.parametrize("headers", [
    {},
    {"credential": "wrong"},
    {"credential": ""},
    {"Authorization": "Bearer forged.token.value", "x-api-key": CLIENT_ID},
    {"Authorization": "Basic " + "c2l0ZS1jbGllbnQ6dG9rZW4tc2VjcmV0"},  # the client secret is no push credential
])
def test_pushes_without_valid_credentials_are_refused(listener, received, headers):
    reply = push(listener, event_body(), headers)
    assert reply.status_code == 401 and received == []


@pytest.mark.parametrize("refused_path", ["", "/other"], ids=["wrong-credential", "unknown-path"])
def test_a_refused_push_does_not_spoil_the_next_one_on_the_same_connection(listener, received, refused_path):
    """The refused request's unread body must not be read as the next request (HTTP keep-alive)."""
    body = json.dumps(event_body()).encode()
    headers = {"Content-Type": "application/json"}
    with requests.Session() as connection:
        refused = connection.post(listener.url + refused_path, data=body, timeout=5,
                                  headers={**headers, "credential": "wrong"})
        assert refused.status_code in (401, 404)
        accepted = connection.post(listener.url, data=body, timeout=5, headers={**headers, "credential": CREDENTIAL})
    assert accepted.status_code == 200 and len(received) == 1


def test_a_token_this_listener_did_not_issue_is_refused(listener, received):
    headers = bearer(listener)
    stranger = PushAuth(ListenerCredentials(CLIENT_ID, "another-secret")).issue_token()["access_token"]
    assert push(listener, event_body(), {**headers, "Authorization": f"Bearer {stranger}"}).status_code == 401
    assert received == []


@pytest.mark.parametrize("api_key", [None, "someone-else"], ids=["without", "different"])
def test_a_push_is_judged_on_its_token_and_an_odd_api_key_is_only_logged(listener, received, caplog, api_key):
    """UPSTrackAlert.yaml marks x-api-key ``required: false``; UPS does not resend an event we refuse."""
    headers = bearer(listener)
    del headers["x-api-key"]
    if api_key is not None:
        headers["x-api-key"] = api_key
    with caplog.at_level(logging.INFO, logger="shipdesk.core.track_alert.listener"):
        reply = push(listener, event_body(), headers)
    assert reply.status_code == 200 and len(received) == 1
    assert "x-api-key" in caplog.text


def test_an_expired_token_is_refused(listener, received, clock):
    headers = bearer(listener)
    clock.now += 3601
    assert push(listener, event_body(), headers).status_code == 401 and received == []


def test_a_token_needs_the_right_client_and_grant(listener):
    assert token(listener, password="wrong").status_code == 401
    assert token(listener, user="other").status_code == 401
    answer = requests.post(listener.token_url, data={"grant_type": "password"}, auth=(CLIENT_ID, SECRET), timeout=5)
    assert answer.status_code == 400


def test_a_huge_body_is_refused_unread(listener, received):
    reply = push(listener, b"{" + b" " * (65 * 1024) + b"}", {"credential": CREDENTIAL})
    assert reply.status_code == 413 and received == []


def chunks(data: bytes, size: int = 100) -> Iterator[bytes]:
    """A generator body: requests sends it with ``Transfer-Encoding: chunked``, no Content-Length."""
    for start in range(0, len(data), size):
        yield data[start:start + size]


def test_a_chunked_body_under_the_cap_is_accepted(listener, received):
    """Nothing public says whether UPS sends a Content-Length or chunks, and a refused event is lost."""
    reply = push(listener, chunks(json.dumps(event_body()).encode()), bearer(listener))
    assert reply.status_code == 200 and len(received) == 1


def test_a_chunked_body_over_the_cap_is_refused(listener, received):
    reply = push(listener, chunks(b"{" + b" " * (65 * 1024) + b"}", 4096), {"credential": CREDENTIAL})
    assert reply.status_code == 413 and received == []


def test_a_deeply_nested_body_is_answered_400_not_dropped(listener, received):
    reply = push(listener, b"[" * 20_000 + b"]" * 20_000, {"credential": CREDENTIAL})
    assert reply.status_code == 400 and "nested" in reply.json()["message"] and received == []


@pytest.mark.parametrize(("day", "time", "offset"), [("20261127", "114700", "-04.00"), ("20261201", "090000", "")])
def test_an_event_far_in_the_future_is_refused(listener, received, clock, day, time, offset):
    clock.now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC).timestamp()
    listener.now = lambda: datetime.fromtimestamp(clock.now, UTC)
    body = event_body(localActivityDate=day, localActivityTime=time, gmtActivityDate=day, gmtActivityTime=time,
                      gmtOffset=offset)
    reply = push(listener, body, {"credential": CREDENTIAL})
    assert reply.status_code == 400 and "in the future" in reply.json()["message"] and received == []
    assert push(listener, event_body(), {"credential": CREDENTIAL}).status_code == 200  # hours ahead is fine


def test_a_client_that_hangs_up_leaves_no_traceback_on_the_console(listener, received, capfd):
    logged = threading.Event()

    class Watch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "hung up" in record.getMessage():
                logged.set()

    watch = Watch(level=logging.DEBUG)
    logger = logging.getLogger("shipdesk.core.track_alert.listener")
    logger.addHandler(watch)
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        with socket.create_connection(("127.0.0.1", listener.port), timeout=5) as sock:
            sock.sendall(b"POST /ups/track-alert HTTP/1.1\r\nHost: x\r\ncredential: " + CREDENTIAL.encode()
                         + b"\r\nContent-Length: 500\r\n\r\n{\"trackingNumber\"")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not FIN
        assert logged.wait(5), "the listener did not notice the client hanging up"
    finally:
        logger.removeHandler(watch)
        logger.setLevel(previous)
    assert "Traceback" not in capfd.readouterr().err and received == []


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", json.dumps({"trackingNumber": KNOWN}).encode(),
                                  json.dumps(event_body(localActivityDate="", gmtActivityDate="")).encode()])
def test_malformed_events_are_refused_and_nothing_is_stored(listener, received, body):
    reply = push(listener, body, {"credential": CREDENTIAL})
    assert reply.status_code == 400 and received == []


def test_an_unknown_tracking_number_is_acknowledged_and_ignored(listener, received):
    reply = push(listener, event_body(trackingNumber="1Z999AA10123456784"), {"credential": CREDENTIAL})
    assert reply.status_code == 200 and reply.json() == {"status": "ignored"}
    assert received == [] and listener.counts["ignored"] == 1


def test_other_paths_and_methods_are_not_found(listener):
    assert requests.get(listener.url, timeout=5).status_code == 404
    assert requests.post(listener.url + "/other", data=b"{}", timeout=5).status_code == 404


def test_a_store_failure_is_not_acknowledged(clock):
    def broken(event: PushedEvent) -> bool:
        raise RuntimeError("database is locked")

    auth = PushAuth(ListenerCredentials(CLIENT_ID, SECRET, CREDENTIAL), clock=clock)
    with AlertListener(auth=auth, on_event=broken) as running:
        assert push(running, event_body(), {"credential": CREDENTIAL}).status_code == 503
