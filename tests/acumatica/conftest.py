"""A client wired to `responses`, and a check that every JSON body it sent follows the vendor spec."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import responses

from shipdesk.acumatica.auth import CookieAuth
from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.net.retry import no_wait_policy
from shipdesk.net.transport import Transport
from shipdesk.specs import validate_acumatica_request

BASE = "https://acme.example.com/AcumaticaERP"
VERSION = "24.200.001"
ROOT = f"{BASE}/entity/Default/{VERSION}"
LOGIN = f"{BASE}/entity/auth/login"
LOGOUT = f"{BASE}/entity/auth/logout"
PASSWORD = "Tr0ub4dor&3-secret"


def assert_bodies_follow_spec(calls: responses.CallList, version: str = VERSION) -> int:
    """Validate every JSON body sent under the endpoint URL; returns how many were checked."""
    root_path = urlsplit(f"{BASE}/entity/Default/{version}").path
    checked = 0
    for call in calls:
        request = call.request
        path = urlsplit(request.url).path
        content_type = request.headers.get("Content-Type", "")
        if not path.startswith(root_path) or not request.body or "json" not in content_type:
            continue
        validate_acumatica_request(version, request.method, path[len(root_path) :], json.loads(request.body))
        checked += 1
    return checked


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps
        assert_bodies_follow_spec(rsps.calls)


@pytest.fixture
def session_routes(mocked: responses.RequestsMock) -> responses.RequestsMock:
    mocked.add(
        responses.POST,
        LOGIN,
        status=204,
        headers={"Set-Cookie": ".ASPXAUTH=c00kie-s3ssion-value; path=/; HttpOnly"},
    )
    mocked.add(responses.POST, LOGOUT, status=204)
    return mocked


def make_client(version: str = VERSION, **kwargs: object) -> AcumaticaClient:
    transport = Transport("Acumatica", policy=no_wait_policy(), sleep=lambda _s: None)
    auth = kwargs.pop("auth", None) or CookieAuth("shipdesk", PASSWORD, "ACME")
    return AcumaticaClient(
        url=BASE + "/",
        version=version,
        auth=auth,
        transport=transport,  # type: ignore[arg-type]
        sleep=lambda _s: None,
        **kwargs,
    )  # type: ignore[arg-type]


@pytest.fixture
def client(session_routes: responses.RequestsMock) -> Iterator[AcumaticaClient]:
    with make_client() as acu:
        yield acu


def count(calls: responses.CallList, method: str, url_prefix: str) -> int:
    return sum(1 for c in calls if c.request.method == method and c.request.url.startswith(url_prefix))
