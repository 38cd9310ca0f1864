"""Sign-in, session reuse, re-login after 401, logout on exit, and the messages an admin reads."""

from __future__ import annotations

import logging

import pytest
import responses

from shipdesk.acumatica.auth import CookieAuth
from shipdesk.errors import AuthenticationFailed, EndpointVersionNotFound, LoginLimitReached
from tests.acumatica.conftest import BASE, LOGIN, LOGOUT, PASSWORD, ROOT, count, make_client
from tests.acumatica.samples import endpoints_json, shipment_json

SHIPMENT_URL = f"{ROOT}/Shipment/000123"


def test_one_login_serves_many_calls_and_exit_logs_out(session_routes: responses.RequestsMock) -> None:
    session_routes.add(responses.GET, SHIPMENT_URL, json=shipment_json())
    with make_client() as acu:
        for _ in range(5):
            acu.get_shipment("000123")
    assert count(session_routes.calls, "POST", LOGIN) == 1
    assert count(session_routes.calls, "GET", SHIPMENT_URL) == 5
    assert count(session_routes.calls, "POST", LOGOUT) == 1


def test_login_body_names_user_and_tenant(session_routes: responses.RequestsMock) -> None:
    with make_client(auth=CookieAuth("shipdesk", PASSWORD, "ACME", branch="HQ")) as acu:
        acu.login()
    body = session_routes.calls[0].request.body
    assert b'"name": "shipdesk"' in body and b'"tenant": "ACME"' in body and b'"branch": "HQ"' in body


def test_401_signs_in_again_once_then_succeeds(session_routes: responses.RequestsMock) -> None:
    session_routes.add(responses.GET, SHIPMENT_URL, status=401, json={"message": "Unauthorized"})
    session_routes.add(responses.GET, SHIPMENT_URL, json=shipment_json())
    with make_client() as acu:
        shipment = acu.get_shipment("000123")
    assert shipment.shipment_nbr == "000123"
    assert count(session_routes.calls, "POST", LOGIN) == 2


def test_401_after_fresh_login_is_an_authentication_error(session_routes: responses.RequestsMock) -> None:
    session_routes.add(responses.GET, SHIPMENT_URL, status=401, json={"message": "Unauthorized"})
    with make_client() as acu, pytest.raises(AuthenticationFailed):
        acu.get_shipment("000123")
    assert count(session_routes.calls, "POST", LOGIN) == 2
    assert count(session_routes.calls, "GET", SHIPMENT_URL) == 2


@pytest.mark.parametrize("raised", [RuntimeError("boom"), KeyboardInterrupt()])
def test_logout_also_when_the_block_fails(
    session_routes: responses.RequestsMock, raised: BaseException
) -> None:
    session_routes.add(responses.GET, SHIPMENT_URL, json=shipment_json())
    with pytest.raises(type(raised)), make_client() as acu:
        acu.get_shipment("000123")
        raise raised
    assert count(session_routes.calls, "POST", LOGOUT) == 1


def test_no_logout_when_never_signed_in_and_logout_is_idempotent(
    session_routes: responses.RequestsMock,
) -> None:
    with make_client() as acu:
        pass
    acu.logout()
    assert len(session_routes.calls) == 0


def test_failed_logout_does_not_hide_the_result(mocked: responses.RequestsMock) -> None:
    mocked.add(responses.POST, LOGIN, status=204)
    mocked.add(responses.POST, LOGOUT, status=500, json={"message": "An error has occurred."})
    mocked.add(responses.GET, SHIPMENT_URL, json=shipment_json())
    with make_client() as acu:
        assert acu.get_shipment("000123").status == "Open"
    assert not acu.signed_in


def test_api_login_limit_tells_the_admin_what_to_do(mocked: responses.RequestsMock) -> None:
    mocked.add(
        responses.POST,
        LOGIN,
        status=429,
        json={
            "message": "An error has occurred.",
            "exceptionMessage": "You cannot log in because the API Login Limit has been reached.",
            "exceptionType": "PX.Data.PXException",
        },
    )
    with make_client() as acu, pytest.raises(LoginLimitReached) as caught:
        acu.get_shipment("000123")
    text = str(caught.value)
    assert "All licensed Acumatica API sessions are in use" in text
    assert "10 minutes" in text and "SM604000" in text
    assert count(mocked.calls, "POST", LOGIN) == 1  # not hammered: the limit does not clear in seconds
    assert count(mocked.calls, "GET", ROOT) == 0


def test_bad_password_names_user_and_tenant_never_the_password(
    mocked: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    mocked.add(
        responses.POST,
        LOGIN,
        status=500,
        json={
            "message": "An error has occurred.",
            "exceptionMessage": "Invalid credentials. Please try again.",
            "exceptionType": "PX.Data.PXException",
            "stackTrace": "at PX.Data.Auth ...",
        },
    )
    with make_client() as acu, pytest.raises(AuthenticationFailed) as caught:
        acu.login()
    text = str(caught.value)
    assert "shipdesk" in text and "ACME" in text and "Invalid credentials" in text
    assert PASSWORD not in text and "stackTrace" not in text and "PX.Data.Auth" not in text
    assert PASSWORD not in caplog.text
    assert not isinstance(caught.value, LoginLimitReached)


def test_wrong_version_names_the_tried_one_and_lists_published(
    session_routes: responses.RequestsMock,
) -> None:
    wrong = f"{BASE}/entity/Default/24.300.001/Shipment/000123"
    session_routes.add(responses.GET, wrong, status=404, json={"message": "No HTTP resource was found."})
    session_routes.add(responses.GET, f"{BASE}/entity", json=endpoints_json())
    with make_client(version="24.300.001") as acu, pytest.raises(EndpointVersionNotFound) as caught:
        acu.get_shipment("000123")
    assert str(caught.value) == (
        "Acumatica has no endpoint Default/24.300.001. This instance publishes Default "
        "22.200.001, 23.200.001, 24.200.001: pick one in Settings."
    )
    assert caught.value.available == ["22.200.001", "23.200.001", "24.200.001"]


def test_endpoints_groups_versions_by_name(client, session_routes: responses.RequestsMock) -> None:
    session_routes.add(responses.GET, f"{BASE}/entity", json=endpoints_json())
    assert client.endpoints() == {
        "Default": ["22.200.001", "23.200.001", "24.200.001"],
        "eCommerce": ["23.200.001"],
    }


def test_cookies_and_password_never_logged(
    session_routes: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    session_routes.add(responses.GET, SHIPMENT_URL, status=401, json={"message": "Unauthorized"})
    session_routes.add(responses.GET, SHIPMENT_URL, json=shipment_json())
    with make_client() as acu:
        acu.get_shipment("000123")
    assert (
        PASSWORD not in caplog.text
        and ".ASPXAUTH" not in caplog.text
        and "c00kie-s3ssion-value" not in caplog.text
    )
    assert PASSWORD not in repr(acu.auth)


def test_default_read_timeout_is_long() -> None:
    from shipdesk.acumatica.client import AcumaticaClient

    acu = AcumaticaClient(url=BASE, version="24.200.001", auth=CookieAuth("u", "p", "T"))
    assert acu.transport.timeouts.read >= 300
    acu.close()


def test_wrong_url_is_not_blamed_on_the_password(mocked: responses.RequestsMock) -> None:
    mocked.add(responses.POST, LOGIN, status=404, body="<html>Not Found</html>")
    with make_client() as acu, pytest.raises(AuthenticationFailed) as caught:
        acu.get_shipment("000123")
    text = str(caught.value)
    assert "No Acumatica sign-in page answers at" in text and "tenant URL" in text
    assert "password" not in text
