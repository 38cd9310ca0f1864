"""Runs karrio's UPS connector against ``shipdesk sandbox``; run by test_third_party_clients.py in its own venv.

Usage: python karrio_steps.py UPS_URL. Prints one JSON object a line: {"step", "ok", ...}. karrio has no
setting for its host (it picks wwwcie or onlinetools), so its ``server_url`` is pointed at the sandbox.
Nothing here changes what karrio sends, except the one step named "ship domestic (ShipmentDate fixed)".
"""

import json
import re
import sys

import karrio.core.models as m
import karrio.core.utils.helpers as helpers
import karrio.lib as lib
import karrio.providers.ups.utils as ups_utils
import karrio.sdk as karrio

URL = sys.argv[1]
ups_utils.Settings.server_url = property(lambda self: URL)

_send = helpers.request
fix_shipment_date = False


def _request(**kwargs):
    # karrio formats ShipmentDate as YYYY-MM-DD (lib.fdate's second argument is the input format, not the
    # output); the Shipping spec asks for YYYYMMDD. Only the steps after the refusal is shown correct it.
    if fix_shipment_date and isinstance(kwargs.get("data"), str):
        kwargs["data"] = re.sub(r'"ShipmentDate": "(\d{4})-(\d{2})-(\d{2})"', r'"ShipmentDate": "\1\2\3"',
                                kwargs["data"])
    return _send(**kwargs)


helpers.request = _request
lib.request = _request


def report(step, ok, **detail):
    print(json.dumps({"step": step, "ok": ok, **detail}, default=str), flush=True)


def messages(found):
    return [{"code": x.code, "message": x.message} for x in found]


gateway = karrio.gateway["ups"].create({"client_id": "demo", "client_secret": "demo", "account_number": "A1B2C3",
                                        "test_mode": True})
shipper = m.Address(company_name="ACME Supply", person_name="Shipping Desk", phone_number="4045550100",
                    address_line1="55 Glenlake Pkwy", city="Atlanta", state_code="GA", postal_code="30328",
                    country_code="US")
recipient = m.Address(company_name="Empire Hardware", person_name="Jane Doe", phone_number="2125550100",
                      address_line1="350 5th Ave", city="New York", state_code="NY", postal_code="10118",
                      country_code="US")
canada = m.Address(company_name="Maple Tools", person_name="Bob Tremblay", phone_number="4165550100",
                   address_line1="100 King St W", city="Toronto", state_code="ON", postal_code="M5X1A9",
                   country_code="CA")
box = m.Parcel(weight=5, weight_unit="LB", length=10, width=8, height=6, dimension_unit="IN")
small = m.Parcel(weight=3, weight_unit="LB", length=12, width=10, height=4, dimension_unit="IN")

try:
    token = gateway.proxy.get_token()
    report("token", bool(token), length=len(token))
except Exception as error:  # the step's failure is the finding
    report("token", False, error=repr(error))

rates, found = karrio.Rating.fetch(m.RateRequest(shipper=shipper, recipient=recipient, parcels=[box],
                                                 services=["ups_ground"])).from_(gateway).parse()
report("rate", bool(rates) and not found, messages=messages(found),
       rates=[{"service": r.service, "total": r.total_charge, "transit_days": r.transit_days,
               "base": [c.amount for c in r.extra_charges if c.name == "BASE CHARGE"]} for r in rates])

rates, found = karrio.Rating.fetch(m.RateRequest(shipper=shipper, recipient=recipient,
                                                 parcels=[box])).from_(gateway).parse()
report("shop", len(rates) > 1 and not found, messages=messages(found),
       rates=[{"service": r.service, "total": r.total_charge, "transit_days": r.transit_days} for r in rates])


def ship(step, to, parcels, **extra):
    shipment, found = karrio.Shipment.create(m.ShipmentRequest(
        service=extra.pop("service", "ups_ground"), shipper=shipper, recipient=to, parcels=parcels,
        **extra)).from_(gateway).parse()
    numbers = (shipment.meta or {}).get("tracking_numbers", []) if shipment else []
    report(step, shipment is not None and not found, messages=messages(found), tracking_numbers=numbers,
           label=bool(shipment and shipment.docs.label))
    return shipment


ship("ship domestic (as karrio sends it)", recipient, [box])
fix_shipment_date = True
domestic = ship("ship domestic (ShipmentDate fixed)", recipient, [box])
ship("ship multi-package", recipient, [box, small])
customs = m.Customs(commodities=[m.Commodity(weight=2, weight_unit="LB", quantity=1, value_amount=150,
                                             value_currency="USD", description="Hand tools", origin_country="US",
                                             hs_code="820559")],
                    content_type="merchandise", incoterm="DDU", invoice="INV-5101", duty=m.Duty(paid_by="sender"))
# karrio fills Shipment/Description from the parcels' description only: without one UPS refuses the border crossing
ship("ship international (no parcel description)", canada, [box], service="ups_worldwide_express", customs=customs)
described = m.Parcel(weight=5, weight_unit="LB", length=10, width=8, height=6, dimension_unit="IN",
                     description="Hand tools")
ship("ship international", canada, [described], service="ups_worldwide_express", customs=customs)

number = domestic.tracking_number if domestic else "1ZA1B2C30300000000"
details, found = karrio.Tracking.fetch(m.TrackingRequest(tracking_numbers=[number])).from_(gateway).parse()
report("track", bool(details) and not found, messages=messages(found),
       events=[e.code for d in details for e in d.events], status=[d.status for d in details])

cancelled, found = karrio.Shipment.cancel(m.ShipmentCancelRequest(shipment_identifier=number)).from_(gateway).parse()
report("void", bool(cancelled and cancelled.success) and not found, messages=messages(found))
