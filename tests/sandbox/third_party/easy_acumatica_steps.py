"""Runs easy-acumatica against ``shipdesk sandbox``; run by test_third_party_clients.py in its own venv.

Usage: python easy_acumatica_steps.py TENANT_URL CONTROL_URL. Prints one JSON object a line: {"step", "ok", ...}.
CONTROL_URL is the sandbox's /_sandbox/clock, used once to let simulated time pass.
"""

import json
import sys
from urllib.parse import urljoin

import requests
from easy_acumatica import AcumaticaClient
from easy_acumatica.odata import F, QueryOptions

TENANT_URL, CLOCK_URL = sys.argv[1], sys.argv[2]


def report(step, ok, **detail):
    print(json.dumps({"step": step, "ok": ok, **detail}, default=str), flush=True)


def value(record, name):
    return (record.get(name) or {}).get("value")


try:
    client = AcumaticaClient(base_url=TENANT_URL, username="admin", password="demo", tenant="Demo",
                             endpoint_name="Default", endpoint_version="24.200.001", cache_methods=False,
                             persistent_login=True)
except Exception as error:
    report("sign in", False, error=repr(error)[:500])
    sys.exit(0)
report("sign in", True, services=len(client.list_services()), inquiries=client.list_inquiries())
shipments = client.shipment

record = shipments.get_by_keys(ShipmentNbr="SH000103", options=QueryOptions(expand=["Packages"]))
report("read", value(record, "ShipmentNbr") == "SH000103", packages=len(record.get("Packages", [])))

listed = shipments.get_list(options=QueryOptions(filter=F.Status == "Open",
                                                 expand=["Packages", "ShippingSettings/ShipToAddress"], top=5))
report("filter/expand", bool(listed) and all(value(r, "Status") == "Open" for r in listed)
       and all("ShipToAddress" in r.get("ShippingSettings", {}) for r in listed), count=len(listed))

row = record["Packages"][1]["id"]
shipments.put_entity({"id": record["id"], "Packages": [{"id": row, "TrackingNbr": {"value": "1ZA1B2C30399999990"}}]})
again = shipments.get_by_id(record["id"], options=QueryOptions(expand=["Packages"]))
tracking = {p["id"]: value(p, "TrackingNbr") for p in again["Packages"]}
report("update package by row id", tracking.get(row) == "1ZA1B2C30399999990"
       and sum(1 for t in tracking.values() if t) == 1, tracking=tracking)

link = again["_links"]["files:put"]
try:
    shipments.put_file(record["id"], "Label 1ZA1B2C30399999990.gif", b"GIF89a sandbox")
    report("attach through put_file", True, link=link)
except Exception as error:  # easy-acumatica prefixes base_url (which holds the instance path) to the link
    report("attach through put_file", False, link=link, error=repr(error)[:300])
# The record's link, resolved as a path on the server (the instance path is already in it).
stored = client.session.put(urljoin(TENANT_URL, link.replace("{filename}", "Label 1ZA1B2C30399999990.gif")),
                            data=b"GIF89a sandbox", headers={"Content-Type": "application/octet-stream"})
files = shipments.get_files(record["id"])
report("attach through the record's link", stored.status_code == 204 and len(files) == 1,
       status=stored.status_code, files=[f.get("filename") for f in files])

answer = shipments.invoke_action_confirm_shipment(
    client.models.ConfirmShipment(entity=client.models.Shipment(ShipmentNbr="SH000103")))
before = value(shipments.get_by_keys(ShipmentNbr="SH000103"), "Status")
requests.post(CLOCK_URL, json={"advance_minutes": 1}, timeout=10)  # easy-acumatica never polls the Location
after = value(shipments.get_by_keys(ShipmentNbr="SH000103"), "Status")
report("confirm", after == "Confirmed", answer=answer, before=before, after=after)

schema = shipments.get_ad_hoc_schema()
report("ad-hoc schema", "UsrUpsStatus" in (schema.get("custom") or {}).get("Document", {}),
       custom=schema.get("custom"))

client.logout()
probe = client.session.get(f"{TENANT_URL}/entity/Default/24.200.001/Shipment/SH000103")
report("sign out", probe.status_code == 401, status=probe.status_code)
