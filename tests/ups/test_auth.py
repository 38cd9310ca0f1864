"""The OAuth token: asked for once, reused until 5 minutes before it ends, shared across threads and runs."""

from __future__ import annotations

import base64
import threading
from datetime import date
from urllib.parse import parse_qs

import pytest
import responses

from shipdesk.errors import AuthenticationFailed, RateLimited, ServerError
from shipdesk.net.retry import no_wait_policy
from shipdesk.net.transport import Transport
from shipdesk.ups.auth import TokenManager
from shipdesk.ups.token_store import MemoryTokenStore

from .fakes import ACCOUNT, BASE, TOKEN_URL, calls_to, make_client, token_body

SECRET = "s3cret-value"


class FakeClock:
    def __init__(self, now: float = 1_790_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def manager(store: MemoryTokenStore, clock: FakeClock | None = None, attempts: int = 10) -> TokenManager:
    transport = Transport("UPS", policy=no_wait_policy(attempts), sleep=lambda _s: None)
    return TokenManager(
        base_url=BASE,
        client_id="demo",
        client_secret=SECRET,
        account_number=ACCOUNT,
        transport=transport,
        store=store,
        clock=clock or FakeClock(),
    )


def test_token_request_uses_basic_auth_form_body_and_merchant_id(
    mocked: responses.RequestsMock, store: MemoryTokenStore
) -> None:
    mocked.add(responses.POST, TOKEN_URL, json=token_body("abc"))
    assert manager(store).access_token() == "abc"
    request = mocked.calls[0].request
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(f"demo:{SECRET}".encode()).decode()
    assert request.headers["x-merchant-id"] == ACCOUNT
    assert parse_qs(str(request.body)) == {"grant_type": ["client_credentials"]}


def test_token_is_reused_and_refreshed_five_minutes_before_it_ends(
    mocked: responses.RequestsMock, store: MemoryTokenStore
) -> None:
    mocked.add(responses.POST, TOKEN_URL, json=token_body("first", expires_in="3600"))
    mocked.add(responses.POST, TOKEN_URL, json=token_body("second", expires_in="3600"))
    clock = FakeClock()
    tokens = manager(store, clock)
    assert tokens.access_token() == "first"
    clock.now += 3600 - 301
    assert tokens.access_token() == "first"
    assert len(mocked.calls) == 1
    clock.now += 2  # now inside the last 5 minutes
    assert tokens.access_token() == "second"
    assert len(mocked.calls) == 2


def test_lifetime_comes_from_expires_in_not_a_constant(
    mocked: responses.RequestsMock, store: MemoryTokenStore
) -> None:
    mocked.add(responses.POST, TOKEN_URL, json=token_body("short", expires_in="600"))
    mocked.add(responses.POST, TOKEN_URL, json=token_body("next", expires_in="600"))
    clock = FakeClock()
    tokens = manager(store, clock)
    tokens.access_token()
    clock.now += 301
    assert tokens.access_token() == "next"


def test_eight_threads_share_one_token_request(
    mocked: responses.RequestsMock, store: MemoryTokenStore
) -> None:
    release = threading.Event()

    def slow_grant(_request: object) -> tuple[int, dict[str, str], str]:
        release.wait(timeout=0.3)  # keep the first grant in flight while the other threads arrive
        return 200, {}, '{"access_token": "shared", "expires_in": "14399"}'

    mocked.add_callback(responses.POST, TOKEN_URL, callback=slow_grant)
    tokens = manager(store)
    start = threading.Barrier(8)
    seen: list[str] = []

    def worker() -> None:
        start.wait()
        seen.append(tokens.access_token())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert seen == ["shared"] * 8
    assert len(mocked.calls) == 1
    assert store.grants_on(date.fromtimestamp(FakeClock().now)) == 1


def test_token_survives_a_restart_through_the_store(
    mocked: responses.RequestsMock, store: MemoryTokenStore
) -> None:
    mocked.add(responses.POST, TOKEN_URL, json=token_body("kept"))
    mocked.add(
        responses.POST,
        f"{BASE}/api/track/v2/subscription/standard/package",
        json={"validTrackingNumbers": ["1Z999AA10123456784"], "invalidTrackingNumbers": []},
    )
    first = make_client(store)
    assert first.ping().granted_now
    second = make_client(store)  # a new process with the same persistent store
    info = second.ping()
    assert not info.granted_now and info.grants_today == 1
    second.subscribe(["1Z999AA10123456784"])
    assert len(calls_to(mocked, TOKEN_URL)) == 1
    sent = calls_to(mocked, f"{BASE}/api/track")[0].request
    assert sent.headers["Authorization"] == "Bearer kept"


def test_grants_are_counted_per_day(mocked: responses.RequestsMock, store: MemoryTokenStore) -> None:
    mocked.add(responses.POST, TOKEN_URL, json=token_body("a", expires_in="600"))
    clock = FakeClock()
    tokens = manager(store, clock)
    tokens.access_token()
    clock.now += 600
    tokens.access_token()
    assert tokens.grants_today() == 2


def test_token_endpoint_429_is_backed_off_then_granted(
    mocked: responses.RequestsMock, store: MemoryTokenStore
) -> None:
    quota = {"response": {"errors": [{"code": "10429", "message": "Quota Limit Exceeded"}]}}
    mocked.add(responses.POST, TOKEN_URL, json=quota, status=429)
    mocked.add(responses.POST, TOKEN_URL, json=token_body("after-wait"))
    assert manager(store).access_token() == "after-wait"
    assert len(mocked.calls) == 2


def test_token_endpoint_429_forever_is_rate_limited(
    mocked: responses.RequestsMock, store: MemoryTokenStore
) -> None:
    mocked.add(responses.POST, TOKEN_URL, json={}, status=429)
    with pytest.raises(RateLimited, match="UPS is rate-limiting us; retried 2 times"):
        manager(store, attempts=3).access_token()


def test_refused_credentials_say_so_without_the_secret(
    mocked: responses.RequestsMock, store: MemoryTokenStore
) -> None:
    body = {"response": {"errors": [{"code": "10401", "message": "ClientId is Invalid"}]}}
    mocked.add(responses.POST, TOKEN_URL, json=body, status=401)
    with pytest.raises(AuthenticationFailed) as caught:
        manager(store).access_token()
    text = str(caught.value)
    assert "ClientId is Invalid" in text and "10401" in text and "client id and secret" in text
    assert SECRET not in text and SECRET not in repr(caught.value)


@pytest.mark.parametrize("body", [{"access_token": "x"}, {"access_token": "x", "expires_in": "soon"}, {}])
def test_token_answer_without_usable_lifetime_is_an_error(
    mocked: responses.RequestsMock, store: MemoryTokenStore, body: dict[str, str]
) -> None:
    mocked.add(responses.POST, TOKEN_URL, json=body)
    with pytest.raises(ServerError, match="cannot read"):
        manager(store).access_token()


def test_cached_token_repr_hides_the_token(store: MemoryTokenStore, mocked: responses.RequestsMock) -> None:
    mocked.add(responses.POST, TOKEN_URL, json=token_body("very-secret-token"))
    tokens = manager(store)
    tokens.access_token()
    cached = store.load(f"demo|{BASE}")
    assert cached is not None and "very-secret-token" not in repr(cached)  # sealed: the store never sees it
    assert "very-secret-token" not in repr(tokens.grant().token)
    assert SECRET not in repr(tokens)


def test_a_token_in_memory_is_used_without_reading_the_store(
    mocked: responses.RequestsMock, store: MemoryTokenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store (the shared database on a station) is read only when the token in memory will not do: a read
    and a decryption per UPS call were two queries and two decryptions per label."""
    mocked.add(responses.POST, TOKEN_URL, json=token_body("kept"))
    tokens = manager(store)
    assert tokens.access_token() == "kept"
    reads: list[str] = []
    real_load = store.load
    monkeypatch.setattr(store, "load", lambda key: reads.append(key) or real_load(key))

    assert [tokens.access_token() for _ in range(5)] == ["kept"] * 5
    assert reads == []
    tokens.invalidate("kept")  # UPS refused it: now the store is asked (and a new token granted)
    mocked.add(responses.POST, TOKEN_URL, json=token_body("fresh"))
    assert tokens.access_token() == "fresh" and len(reads) >= 1
