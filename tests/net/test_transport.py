"""The shared retry transport: what is retried, what never is, and what the user reads at the end."""

from __future__ import annotations

import random

import pytest
import requests
import responses

from shipdesk.errors import ConnectionFailed, OutcomeUnknown, RateLimited
from shipdesk.net.retry import RetryPolicy, no_wait_policy, parse_retry_after
from shipdesk.net.transport import Transport

URL = "https://onlinetools.ups.com/api/shipments/v2409/ship"


def make_transport(policy: RetryPolicy | None = None, waits: list[float] | None = None) -> Transport:
    recorded = waits if waits is not None else []
    return Transport("UPS", policy=policy or no_wait_policy(), sleep=recorded.append)


@responses.activate
def test_429_is_retried_until_success() -> None:
    responses.post(URL, status=429)
    responses.post(URL, status=429)
    responses.post(URL, json={"ok": True}, status=200)
    transport = make_transport()
    assert transport.request("POST", URL, json={}).json() == {"ok": True}
    assert len(responses.calls) == 3


@responses.activate
def test_rate_limit_error_says_how_often_and_how_long() -> None:
    responses.post(URL, status=429)
    transport = make_transport(no_wait_policy(max_attempts=4))
    with pytest.raises(RateLimited) as caught:
        transport.request("POST", URL, json={})
    assert "UPS is rate-limiting us; retried 3 times over" in str(caught.value)
    assert len(responses.calls) == 4


@responses.activate
def test_client_errors_are_not_retried() -> None:
    responses.post(URL, status=400, json={"response": {"errors": [{"code": "120541", "message": "x"}]}})
    assert make_transport().request("POST", URL, json={}).status_code == 400
    assert len(responses.calls) == 1


@responses.activate
def test_ship_answer_lost_after_sending_is_never_retried() -> None:
    responses.post(URL, body=requests.exceptions.ReadTimeout("read timed out"))
    transport = make_transport()
    with pytest.raises(OutcomeUnknown) as caught:
        transport.request("POST", URL, json={}, idempotent=False)
    assert len(responses.calls) == 1
    assert "may or may not" in str(caught.value)


@responses.activate
def test_ship_gateway_timeout_is_outcome_unknown_territory_not_retried() -> None:
    responses.post(URL, status=504)
    with pytest.raises(OutcomeUnknown):
        make_transport().request("POST", URL, json={}, idempotent=False)
    assert len(responses.calls) == 1


@responses.activate
def test_ship_429_is_retried_because_ups_did_not_process_it() -> None:
    responses.post(URL, status=429)
    responses.post(URL, json={"ok": 1})
    assert make_transport().request("POST", URL, json={}, idempotent=False).status_code == 200


@responses.activate
def test_idempotent_read_timeout_is_retried() -> None:
    url = "https://onlinetools.ups.com/api/track/v1/details/1Z"
    responses.get(url, body=requests.exceptions.ReadTimeout("slow"))
    responses.get(url, json={"ok": 1})
    assert make_transport().request("GET", url).json() == {"ok": 1}


def test_refused_connection_is_retried_then_explained() -> None:
    # Port 9 on loopback: nothing listens, the connection is refused before anything is sent.
    transport = make_transport(no_wait_policy(max_attempts=2))
    with pytest.raises(ConnectionFailed) as caught:
        transport.request("POST", "http://127.0.0.1:9/api/shipments/v2409/ship", idempotent=False)
    assert "Cannot reach UPS at http://127.0.0.1:9" in str(caught.value)
    assert transport.requests_sent == 2  # refused means never sent: safe to retry even for Ship


@responses.activate
def test_retry_after_is_honoured() -> None:
    responses.get("https://acme.example/entity", status=429, headers={"Retry-After": "3"})
    responses.get("https://acme.example/entity", json=[])
    waits: list[float] = []
    policy = RetryPolicy(base_seconds=0.01, max_wait_seconds=0.01, budget_seconds=60)
    make_transport(policy, waits).request("GET", "https://acme.example/entity")
    assert waits == [3.0]


@responses.activate
def test_budget_bounds_total_waiting() -> None:
    responses.get("https://acme.example/x", status=503)
    waits: list[float] = []
    policy = RetryPolicy(base_seconds=1, max_wait_seconds=4, budget_seconds=10, max_attempts=100,
                         rng=random.Random(1))
    with pytest.raises(RateLimited) as caught:
        make_transport(policy, waits).request("GET", "https://acme.example/x")
    assert sum(waits) <= 10
    assert "unavailable (HTTP 503)" in str(caught.value)


def test_full_jitter_stays_under_the_cap() -> None:
    policy = RetryPolicy(base_seconds=0.5, max_wait_seconds=8, rng=random.Random(3))
    waits = [policy.backoff(i) for i in range(12)]
    assert all(0 <= w <= 8 for w in waits)
    assert max(waits[6:]) > 1  # grows: later waits are drawn from a wider range


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None


# -- the environment's proxy settings: honoured, read once per server --------------------------------
class _Proxy:
    """A stand-in HTTP proxy on 127.0.0.1: answers every request itself and remembers what it was asked."""

    def __init__(self) -> None:
        import http.server
        import threading

        seen = self.seen = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append(self.path)  # a proxy is asked for the absolute URL
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def proxy(monkeypatch):
    """A proxy, and an environment without the machine's own proxy settings."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    running = _Proxy()
    yield running
    running.close()


def test_a_company_proxy_from_the_environment_is_used(proxy, monkeypatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    transport = Transport("UPS", policy=no_wait_policy(1))

    answer = transport.request("GET", "http://ups.example.invalid/api/track/v1/details/1Z")

    assert answer.text == "ok"
    assert proxy.seen == ["http://ups.example.invalid/api/track/v1/details/1Z"]


def test_hosts_in_no_proxy_go_direct(proxy, monkeypatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there: used, it would fail
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    transport = Transport("UPS", policy=no_wait_policy(1))

    assert transport.request("GET", proxy.url + "/direct").text == "ok"
    assert proxy.seen == ["/direct"]  # asked as the server, not as a proxy


def test_the_proxy_settings_are_read_once_per_server_not_per_request(proxy, monkeypatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    reads = []
    original = requests.Session.merge_environment_settings

    def counted(self, url, *args):
        if self.trust_env:
            reads.append(url)
        return original(self, url, *args)

    monkeypatch.setattr(requests.Session, "merge_environment_settings", counted)
    transport = Transport("UPS", policy=no_wait_policy(1))

    for number in range(5):
        transport.request("GET", f"http://ups.example.invalid/api/track/v1/details/{number}")

    assert len(proxy.seen) == 5
    assert reads == ["http://ups.example.invalid/api/track/v1/details/0"]


def test_a_netrc_entry_never_replaces_the_clients_own_authorization(tmp_path, proxy, monkeypatch) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password secret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    sent = []
    original = requests.Session.send

    def recorded(self, request, **kwargs):
        sent.append(request.headers.get("Authorization"))
        return original(self, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", recorded)
    Transport("UPS", policy=no_wait_policy(1)).request("GET", proxy.url + "/x", headers={"Authorization": "Bearer t"})

    assert sent == ["Bearer t"]
