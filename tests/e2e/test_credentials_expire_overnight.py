"""The clients outlive their credentials: after 40 quiet hours the UPS token and the Acumatica session
have ended on the servers' side; the next call signs in again once and carries on, no error shown."""

from __future__ import annotations

from decimal import Decimal

from shipdesk.acumatica.auth import CookieAuth
from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.ups.client import UpsClient
from shipdesk.ups.models import PackageSpec, Party, ShipmentSpec, UpsAddress

from .conftest import stats

HOME = Party(name="ACME Industrial Supply", phone="4045550100",
             address=UpsAddress(("100 Main St",), "Atlanta", "GA", "30301", "US"))
CUSTOMER = Party(name="Empire Supplies Inc", attention="Dana Whitfield", phone="2125550199",
                 address=UpsAddress(("350 5th Ave",), "New York", "NY", "10118", "US"))


def test_ups_client_gets_a_new_token_when_the_old_one_ended_on_the_server(sandboxes):
    ups = UpsClient(base_url=sandboxes.ups_url, client_id="demo", client_secret="demo",
                    account_number="A1B2C3")
    spec = ShipmentSpec(shipper=HOME, shipper_number="A1B2C3", ship_to=CUSTOMER, service_code="03",
                        packages=(PackageSpec(weight=Decimal("3")),), label_format="ZPL")
    try:
        number = ups.ship(spec, trans_id="overnight-1").tracking_numbers[0]
        sandboxes.advance(hours=40)  # the client's own clock says its token is fresh: only UPS knows
        tracked = ups.track(number)
    finally:
        ups.close()

    assert tracked.found and tracked.delivered and tracked.signature_image
    assert tracked.received_by == "WHITFIELD"
    assert stats(sandboxes.ups_url)["tokens_granted"] == 2


def test_acumatica_client_signs_in_again_after_its_session_timed_out(sandboxes):
    with AcumaticaClient(url=sandboxes.acumatica_url, version="24.200.001",
                         auth=CookieAuth("admin", "demo", "Demo")) as acu:
        before = acu.get_shipment("SH000101")
        sandboxes.advance(hours=40)  # idle sessions end after about 10 minutes
        assert stats(sandboxes.acumatica_url)["sessions_open"] == 0
        after = acu.get_shipment("SH000101")

    assert after.shipment_nbr == before.shipment_nbr == "SH000101"
    acumatica = stats(sandboxes.acumatica_url)
    assert acumatica["logins"] == 2 and acumatica["sessions_open"] == 0 and acumatica["login_limit_hits"] == 0
