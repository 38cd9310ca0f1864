"""The seeded warehouse day holds every case the rest of shipdesk is tested against."""

from __future__ import annotations

from datetime import UTC, datetime

from shipdesk.sandbox.seed import seed_sales_orders, seed_ship_vias, seed_shipments, ups_tracking_number

NOW = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)


def by_nbr() -> dict[str, dict]:
    return {s["ShipmentNbr"]: s for s in seed_shipments(NOW)}


def test_a_full_day_dated_today_in_every_status():
    shipments = seed_shipments(NOW)
    assert len(shipments) >= 28
    assert {s["ShipmentDate"].date() for s in shipments} == {NOW.date()}
    assert all(s["LastModifiedDateTime"] < NOW for s in shipments)
    statuses = [s["Status"] for s in shipments]
    assert statuses.count("Open") > len(shipments) // 2
    assert {"On Hold", "Confirmed", "Completed"} <= set(statuses)


def test_every_ship_via_used_is_listed_and_the_plugin_is_marked():
    vias = {v["CarrierID"]: v for v in seed_ship_vias()}
    assert {s["ShipVia"] for s in seed_shipments(NOW)} <= set(vias)
    assert [code for code, v in vias.items() if v["IsExternal"]] == ["UPSPLUGIN"]  # the plug-in Acumatica runs
    assert [code for code, v in vias.items() if v["CarrierPluginID"]] == ["UPSPLUGIN", "UPSPLUGOFF"]


def test_the_awkward_cases_are_there():
    day = by_nbr()
    contacts = {n: s["ShippingSettings"]["ShipToContact"] for n, s in day.items()}
    addresses = {n: s["ShippingSettings"]["ShipToAddress"] for n, s in day.items()}
    assert any("Nowhere" in a["AddressLine1"] for a in addresses.values())
    assert any("Main St" in a["AddressLine1"] and a["City"] == "Springfield" and not a["State"]
               for a in addresses.values())
    assert any(not a["PostalCode"] for a in addresses.values())
    assert any(len(c["BusinessName"]) > 35 for c in contacts.values())
    assert any("EXCEPTION" in c["Attention"] for c in contacts.values())
    assert {"CA", "DE", "GB", "MX", "PR"} <= {a["Country"] for a in addresses.values()}
    assert any(p["Weight"] == 0 for s in day.values() for p in s["Packages"])
    assert any(p["UOM"] == "KG" for s in day.values() for p in s["Packages"])
    assert max(len(s["Packages"]) for s in day.values()) == 4
    assert "Müller Präzisionstechnik GmbH" in {c["BusinessName"] for c in contacts.values()}
    labelled = [s for s in day.values() if s["Status"] == "Open" and any(p["TrackingNbr"] for p in s["Packages"])]
    assert len(labelled) == 1


def test_each_shipment_links_to_existing_sales_orders():
    orders = {(o["OrderType"], o["OrderNbr"]) for o in seed_sales_orders(NOW)}
    links = [(link["OrderType"], link["OrderNbr"]) for s in seed_shipments(NOW) for link in s["Orders"]]
    assert set(links) == orders
    assert max(len(s["Orders"]) for s in seed_shipments(NOW)) == 2


def test_fresh_copies_each_call():
    first = seed_shipments(NOW)
    first[0]["Packages"][0]["TrackingNbr"] = "changed"
    assert seed_shipments(NOW)[0]["Packages"][0]["TrackingNbr"] == ""


def test_seeded_tracking_numbers_carry_a_valid_check_digit():
    assert ups_tracking_number("999AA1", "01", 2345678) == "1Z999AA10123456784"
