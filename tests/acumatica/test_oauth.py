"""OAuth 2.0 password grant: bearer on every call, refresh before expiry and after a 401."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
import responses

from shipdesk.acumatica.auth import OAuthAuth
from shipdesk.errors import AuthenticationFailed
from tests.acumatica.conftest import BASE, ROOT, count, make_client
from tests.acumatica.samples import shipment_json

TOKEN_URL = f"{BASE}/identity/connect/token"
SHIPMENT_URL = f"{ROOT}/Shipment/000123"
CLIENT_ID = "4F1C8D2E-9B7A-4C3D-8E2F-1A2B3C4D5E6F@ACME"
SECRET = "oauth-client-s3cret"
PASSWORD = "oauth-user-pa55"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _form(call: responses.Call) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(call.request.body).items()}


def _token(access: str, refresh: str = "refresh-1", expires_in: int = 3600) -> dict[str, object]:
    return {
        "access_token": access,
        "expires_in": expires_in,
        "token_type": "Bearer",
        "refresh_token": refresh,
        "scope": "api offline_access",
    }


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def auth(clock: FakeClock) -> OAuthAuth:
    return OAuthAuth(CLIENT_ID, SECRET, "shipdesk", PASSWORD, now=clock)


def _grants(mocked: responses.RequestsMock) -> list[str]:
    return [_form(c)["grant_type"] for c in mocked.calls if c.request.url == TOKEN_URL]


def test_password_grant_then_bearer_on_every_call(mocked, auth: OAuthAuth) -> None:
    mocked.add(responses.POST, TOKEN_URL, json=_token("access-1"))
    mocked.add(responses.GET, SHIPMENT_URL, json=shipment_json())
    mocked.add(responses.POST, f"{BASE}/entity/auth/logout", status=204)
    with make_client(auth=auth) as acu:
        acu.get_shipment("000123")
        acu.get_shipment("000123")
    form = _form(mocked.calls[0])
    assert form == {
        "grant_type": "password",
        "username": "shipdesk",
        "password": PASSWORD,
        "scope": "api offline_access",
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
    }
    api_calls = [c for c in mocked.calls if c.request.url.startswith(SHIPMENT_URL)]
    assert [c.request.headers["Authorization"] for c in api_calls] == ["Bearer access-1"] * 2
    logout = mocked.calls[-1]
    assert logout.request.url.endswith("/entity/auth/logout")
    assert logout.request.headers["Authorization"] == "Bearer access-1"  # frees the API seat
    assert _grants(mocked) == ["password"]


def test_refreshes_before_the_token_expires(mocked, auth: OAuthAuth, clock: FakeClock) -> None:
    mocked.add(responses.POST, TOKEN_URL, json=_token("access-1"))
    mocked.add(responses.POST, TOKEN_URL, json=_token("access-2", refresh="refresh-2"))
    mocked.add(responses.GET, SHIPMENT_URL, json=shipment_json())
    with make_client(auth=auth) as acu:
        acu.get_shipment("000123")
        clock.now += 3600 - 30  # inside the early-renewal window
        acu.get_shipment("000123")
        mocked.add(responses.POST, f"{BASE}/entity/auth/logout", status=204)
    assert _grants(mocked) == ["password", "refresh_token"]
    assert _form(mocked.calls[2])["refresh_token"] == "refresh-1"
    last_get = [c for c in mocked.calls if c.request.url.startswith(SHIPMENT_URL)][-1]
    assert last_get.request.headers["Authorization"] == "Bearer access-2"


def test_401_refreshes_once_and_retries(mocked, auth: OAuthAuth) -> None:
    mocked.add(responses.POST, TOKEN_URL, json=_token("access-1"))
    mocked.add(responses.POST, TOKEN_URL, json=_token("access-2"))
    mocked.add(responses.GET, SHIPMENT_URL, status=401, json={"message": "Authorization has been denied."})
    mocked.add(responses.GET, SHIPMENT_URL, json=shipment_json())
    mocked.add(responses.POST, f"{BASE}/entity/auth/logout", status=204)
    with make_client(auth=auth) as acu:
        assert acu.get_shipment("000123").shipment_nbr == "000123"
    assert _grants(mocked) == ["password", "refresh_token"]


def test_refused_refresh_falls_back_to_password(mocked, auth: OAuthAuth, clock: FakeClock) -> None:
    mocked.add(responses.POST, TOKEN_URL, json=_token("access-1"))
    mocked.add(responses.POST, TOKEN_URL, status=400, json={"error": "invalid_grant"})
    mocked.add(responses.POST, TOKEN_URL, json=_token("access-3"))
    mocked.add(responses.GET, SHIPMENT_URL, json=shipment_json())
    mocked.add(responses.POST, f"{BASE}/entity/auth/logout", status=204)
    with make_client(auth=auth) as acu:
        acu.get_shipment("000123")
        clock.now += 7200
        acu.get_shipment("000123")
    assert _grants(mocked) == ["password", "refresh_token", "password"]


def test_bad_client_secret_names_user_and_tenant(mocked, auth: OAuthAuth) -> None:
    mocked.add(
        responses.POST,
        TOKEN_URL,
        status=400,
        json={"error": "invalid_client", "error_description": "Invalid client credentials."},
    )
    with make_client(auth=auth) as acu, pytest.raises(AuthenticationFailed) as caught:
        acu.get_shipment("000123")
    text = str(caught.value)
    assert "shipdesk" in text and "ACME" in text and "Invalid client credentials" in text
    assert SECRET not in text and PASSWORD not in text
    assert count(mocked.calls, "GET", ROOT) == 0
