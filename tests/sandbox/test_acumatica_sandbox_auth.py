"""The Acumatica sandbox's sign-in rules: licence seats, idle timeout, OAuth, and the request queue."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from shipdesk.sandbox.acumatica.app import DEFAULT_OAUTH_CLIENT_ID, AcumaticaSandbox
from shipdesk.sandbox.clock import SimClock
from shipdesk.specs import validate_acumatica_response

LOGIN = {"name": "admin", "password": "demo", "tenant": "Demo", "branch": "", "locale": "en-US"}


@pytest.fixture
def acumatica_sandbox_throttled():
    """One request per second, at most two waiting."""
    sandbox = AcumaticaSandbox(SimClock(), requests_per_minute=1, throttle_window_seconds=1.0,
                               queue_limit=2).start()
    yield sandbox
    sandbox.stop()


def login(sandbox: AcumaticaSandbox, **changes: str) -> tuple[requests.Session, requests.Response]:
    session = requests.Session()
    answer = session.post(f"{sandbox.tenant_url}/entity/auth/login", json={**LOGIN, **changes}, timeout=5)
    return session, answer


def shipments(session: requests.Session, sandbox: AcumaticaSandbox, **headers: str) -> requests.Response:
    return session.get(f"{sandbox.tenant_url}/entity/Default/24.200.001/Shipment", params={"$top": "1"},
                       headers=headers, timeout=5)


def test_login_sets_acumatica_cookies_and_unlocks_the_api(acumatica_sandbox):
    session, answer = login(acumatica_sandbox)
    assert answer.status_code == 204
    assert {".ASPXAUTH", "ASP.NET_SessionId", "UserBranch", "Locale"} <= set(session.cookies.keys())
    assert "HttpOnly" in answer.headers["Set-Cookie"]
    assert shipments(session, acumatica_sandbox).status_code == 200


def test_without_a_session_the_api_answers_401(acumatica_sandbox):
    answer = shipments(requests.Session(), acumatica_sandbox)
    assert answer.status_code == 401
    validate_acumatica_response("24.200.001", "GET", "/Shipment", 401, answer.json())


def test_wrong_password_is_invalid_credentials(acumatica_sandbox):
    _, answer = login(acumatica_sandbox, password="nope")
    assert answer.status_code == 500
    assert answer.json()["exceptionMessage"] == "Invalid credentials. Please try again."


def test_company_is_accepted_as_the_older_name_of_tenant(acumatica_sandbox):
    body = {k: v for k, v in LOGIN.items() if k != "tenant"}
    answer = requests.post(f"{acumatica_sandbox.tenant_url}/entity/auth/login",
                           json={**body, "company": "Demo"}, timeout=5)
    assert answer.status_code == 204


def test_third_login_hits_the_api_login_limit_until_a_logout(acumatica_sandbox):
    first, _ = login(acumatica_sandbox)
    login(acumatica_sandbox)
    _, refused = login(acumatica_sandbox)
    assert refused.status_code == 429
    assert "API Login Limit" in refused.json()["exceptionMessage"]
    assert first.post(f"{acumatica_sandbox.tenant_url}/entity/auth/logout", timeout=5).status_code == 204
    assert shipments(first, acumatica_sandbox).status_code == 401
    _, again = login(acumatica_sandbox)
    assert again.status_code == 204
    stats = acumatica_sandbox.stats_payload()
    counts = (stats["logins"], stats["logouts"], stats["login_limit_hits"], stats["sessions_open"])
    assert counts == (3, 1, 1, 2)


@pytest.mark.parametrize(("kind", "content_type", "text"), [
    ("html", "text/html", "<title>API Login Limit</title>"),
    # the whole body, as in tests/samples/acumatica_login_429_iis_plain_text.txt
    ("iis", "text/html", "The custom error module does not recognize this error."),
])
def test_the_login_limit_can_come_as_a_page_or_iis_text(acumatica_sandbox, kind, content_type, text):
    answer = requests.post(f"{acumatica_sandbox.url}/_sandbox/options", json={"login_limit_body": kind}, timeout=5)
    assert answer.json()["login_limit_body"] == kind
    login(acumatica_sandbox)
    login(acumatica_sandbox)
    _, refused = login(acumatica_sandbox)
    assert refused.status_code == 429 and refused.headers["Content-Type"].startswith(content_type)
    assert text in refused.text
    if kind == "iis":
        sample = Path(__file__).resolve().parents[1] / "samples" / "acumatica_login_429_iis_plain_text.txt"
        assert refused.text == sample.read_text(encoding="utf-8")


def test_an_unknown_login_limit_body_is_refused(acumatica_sandbox):
    answer = requests.post(f"{acumatica_sandbox.url}/_sandbox/options", json={"login_limit_body": "xml"}, timeout=5)
    assert answer.status_code == 400


def test_idle_sessions_time_out_by_the_clock_and_free_their_seat(acumatica_sandbox):
    idle, _ = login(acumatica_sandbox)
    login(acumatica_sandbox)
    assert login(acumatica_sandbox)[1].status_code == 429
    acumatica_sandbox.clock.advance(minutes=11)
    assert shipments(idle, acumatica_sandbox).status_code == 401
    assert login(acumatica_sandbox)[1].status_code == 204


def token(sandbox: AcumaticaSandbox, **form: str) -> requests.Response:
    base = {"client_id": DEFAULT_OAUTH_CLIENT_ID, "client_secret": "demo"}
    return requests.post(f"{sandbox.tenant_url}/identity/connect/token", data={**base, **form}, timeout=5)


def test_oauth_password_grant_then_refresh(acumatica_sandbox):
    first = token(acumatica_sandbox, grant_type="password", username="admin", password="demo",
                  scope="api offline_access").json()
    assert first["expires_in"] == 3600 and first["token_type"] == "Bearer"
    bearer = {"Authorization": f"Bearer {first['access_token']}"}
    assert shipments(requests.Session(), acumatica_sandbox, **bearer).status_code == 200
    second = token(acumatica_sandbox, grant_type="refresh_token", refresh_token=first["refresh_token"]).json()
    assert second["access_token"] != first["access_token"]
    assert shipments(requests.Session(), acumatica_sandbox, **bearer).status_code == 401
    assert shipments(requests.Session(), acumatica_sandbox,
                     Authorization=f"Bearer {second['access_token']}").status_code == 200
    acumatica_sandbox.clock.advance(minutes=61)
    assert shipments(requests.Session(), acumatica_sandbox,
                     Authorization=f"Bearer {second['access_token']}").status_code == 401


def test_oauth_refuses_client_credentials_and_bad_secrets(acumatica_sandbox):
    refused = token(acumatica_sandbox, grant_type="client_credentials")
    assert (refused.status_code, refused.json()["error"]) == (400, "unsupported_grant_type")
    wrong = token(acumatica_sandbox, grant_type="password", username="admin", password="x")
    assert wrong.json()["error"] == "invalid_grant"
    no_offline = token(acumatica_sandbox, grant_type="password", username="admin", password="demo",
                       scope="api")
    assert "refresh_token" not in no_offline.json()


def test_oauth_sign_ins_take_seats(acumatica_sandbox):
    login(acumatica_sandbox)
    seated = token(acumatica_sandbox, grant_type="password", username="admin", password="demo")
    assert seated.status_code == 200
    refused = token(acumatica_sandbox, grant_type="password", username="admin", password="demo")
    assert "API Login Limit" in refused.json()["error_description"]


def test_over_the_quota_requests_queue_and_429_only_past_the_queue_limit(acumatica_sandbox_throttled):
    sandbox = acumatica_sandbox_throttled
    session, _ = login(sandbox)
    assert shipments(session, sandbox).status_code == 200  # uses this second's quota
    def one_client(_: int) -> int:
        with requests.Session() as client:  # a Session per thread, sharing the login cookies
            client.cookies.update(session.cookies)
            return shipments(client, sandbox).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(one_client, range(4)))
    assert statuses == [200, 200, 429, 429]  # two waited for their turn, two found the queue full
    assert sandbox.stats_payload()["throttled"] == 2
