"""The seeded warehouse day both sandboxes serve: shipments, their sales orders, Ship Via codes.

Plain data in a neutral form (Acumatica's field names, values unwrapped: str, float, int, bool,
datetime) so the Acumatica sandbox loads it and tests and the UPS sandbox's users can read it.
Each call returns fresh copies dated "today" by the clock passed in.

SEED_NOTES — which shipment tests what (ShipmentNbr → purpose):

========  =========================================================================
SH000101  plain Open, commercial, NY, UPSGROUND, one package
SH000102  residential (Lane) in NY, one package
SH000103  three packages with dimensions, commercial, CA, UPS2DAY
SH000104  residential (Drive), CA, UPSNEXTDAY
SH000105  commercial, TX, UPSSAVER
SH000106  international Canada, two packages, UPSWWEXP
SH000107  international Germany, non-ASCII "Müller Präzisionstechnik GmbH", weights in KG
SH000108  international Great Britain, UPSWWEXP
SH000109  international Mexico, UPSWWEXP, Spanish accents
SH000110  Puerto Rico (country PR), UPSGROUND
SH000111  Ship Via FEDEXGROUND: not mapped to a UPS service
SH000112  Ship Via UPSPLUGIN: has an Acumatica carrier plug-in (confirm overwrites tracking)
SH000113  On Hold, NY
SH000114  On Hold, CA
SH000115  Confirmed without tracking numbers: needs CorrectShipment before labelling
SH000116  Open but already labelled (TrackingNbr set, label file attached)
SH000117  Completed (delivered earlier, tracking set)
SH000118  four packages with dimensions, IL
SH000119  bad address: "Nowhere" (UPS: no candidates)
SH000120  ambiguous address: "Main St", Springfield, no state (UPS: ambiguous)
SH000121  a package with zero weight
SH000122  missing postal code, TX
SH000123  business name longer than 35 characters
SH000124  non-ASCII "Café Olé", IL
SH000125  non-ASCII "Søren Ærø", residential (Court)
SH000126  attention contains "EXCEPTION" (UPS sandbox tracks it into an exception)
SH000127  linked to two sales orders, two packages
SH000128  residential (Circle), GA
SH000129  residential (Apt in line 2), TX
SH000130  two packages with dimensions, CA, UPSNEXTDAY
SH000131  residential (Unit in line 2), CA
SH000132  plain Open, commercial, NY, UPS2DAY
RM005117  an RMA order (type RM) for SH000117: a return label's tracking number can go there
SH000134  a person in Canada, no business name (UPS needs an attention name across a border)
SH000135  street line of 45 characters (Acumatica allows 50, UPS 35 per line)
SH000136/B  a "/" in the shipment and order numbers (a key path would name two keys: read by id)
========  =========================================================================

Every shipment has lines (``Details``) and its order prices them in the order's currency: see
``seed_goods.GOODS_NOTES`` for what the four international shipments carry.
"""

from __future__ import annotations

import copy
import uuid
from datetime import datetime, timedelta
from typing import Any

from shipdesk.sandbox import seed_goods

SEED_NAMESPACE = uuid.UUID("5f0c1c8e-3d3b-4c61-9b55-7a0c2a9e5d21")
UPS_ACCOUNT = "A1B2C3"
WAREHOUSE = "WHOLESALE"
PLUGIN_SHIP_VIAS = frozenset({"UPSPLUGIN"})  # IsExternal set
#: the return authorisation (RMA order, type RM) seeded for the delivered shipment SH000117
RMA_FOR, RMA_ORDER = "SH000117", "RM005117"

SHIP_VIAS: list[dict[str, Any]] = [
    {"CarrierID": "UPSGROUND", "Description": "UPS Ground", "CalculationMethod": "Manual",
     "CommonCarrier": True, "CarrierPluginID": None, "IsExternal": False},
    {"CarrierID": "UPS2DAY", "Description": "UPS 2nd Day Air", "CalculationMethod": "Manual",
     "CommonCarrier": True, "CarrierPluginID": None, "IsExternal": False},
    {"CarrierID": "UPSNEXTDAY", "Description": "UPS Next Day Air", "CalculationMethod": "Manual",
     "CommonCarrier": True, "CarrierPluginID": None, "IsExternal": False},
    {"CarrierID": "UPSSAVER", "Description": "UPS Next Day Air Saver", "CalculationMethod": "Manual",
     "CommonCarrier": True, "CarrierPluginID": None, "IsExternal": False},
    {"CarrierID": "UPSWWEXP", "Description": "UPS Worldwide Express", "CalculationMethod": "Manual",
     "CommonCarrier": True, "CarrierPluginID": None, "IsExternal": False},
    {"CarrierID": "FEDEXGROUND", "Description": "FedEx Ground", "CalculationMethod": "Manual",
     "CommonCarrier": True, "CarrierPluginID": None, "IsExternal": False},
    {"CarrierID": "UPSPLUGIN", "Description": "UPS Ground (carrier plug-in)", "CalculationMethod": "Net",
     "CommonCarrier": True, "CarrierPluginID": "UPS", "IsExternal": True},
    # a plug-in chosen on the Carrier tab but External Plug-in unticked: Acumatica does not run it
    {"CarrierID": "UPSPLUGOFF", "Description": "UPS Ground (plug-in switched off)", "CalculationMethod": "Manual",
     "CommonCarrier": True, "CarrierPluginID": "UPS", "IsExternal": False},
    {"CarrierID": "WILLCALL", "Description": "Customer pick-up", "CalculationMethod": "Manual",
     "CommonCarrier": False, "CarrierPluginID": None, "IsExternal": False},
]


def ups_tracking_number(account: str, service: str, reference: int) -> str:
    """A 1Z number with a correct check digit (the algorithm in FACTS.md)."""
    body = f"{account}{service}{reference:07d}"
    total = 0
    for index, char in enumerate(body):
        digit = int(char) if char.isdigit() else (ord(char) - 63) % 10
        total += digit * 2 if index % 2 else digit
    return f"1Z{body}{(10 - total % 10) % 10}"


# Ship-to rows: (nbr, ship via, status, customer, business name, attention, line1, line2, city, state,
#                postal, country, phone, email, packages [(weight, box, (L, W, H) or None)], uom, residential)
_Row = tuple[Any, ...]
_ROWS: list[_Row] = [
    ("SH000101", "UPSGROUND", "Open", "HUDSONHW", "Hudson Valley Hardware", "Receiving Dept",
     "1271 Avenue of the Americas", "Floor 12", "New York", "NY", "10020", "US", "2125550134",
     "receiving@hudsonvalleyhw.example", [(12.5, "MEDIUM", None)], "LB", False),
    ("SH000102", "UPSGROUND", "Open", "KLIU", "", "Karen Liu",
     "12 Maple Ln", "", "Rye", "NY", "10580", "US", "9145550187", "karen.liu@example.com",
     [(4.2, "SMALL", None)], "LB", True),
    ("SH000103", "UPS2DAY", "Open", "PACFAST", "Pacific Coast Fasteners", "Dock 3",
     "2400 E Katella Ave", "", "Anaheim", "CA", "92806", "US", "7145550112", "shipping@pacfast.example",
     [(22.0, "LARGE", (18, 14, 12)), (18.5, "LARGE", (18, 14, 12)), (9.75, "MEDIUM", (12, 10, 8))],
     "LB", False),
    ("SH000104", "UPSNEXTDAY", "Open", "DPATEL", "", "Dev Patel",
     "845 Sunset Dr", "", "Palo Alto", "CA", "94301", "US", "6505550199", "dev.patel@example.com",
     [(3.0, "SMALL", (10, 8, 4))], "LB", True),
    ("SH000105", "UPSSAVER", "Open", "LONESTAR", "Lone Star Packaging", "Accounts Payable",
     "1500 Marilla St", "", "Dallas", "TX", "75201", "US", "2145550166", "ap@lonestarpack.example",
     [(15.0, "MEDIUM", None)], "LB", False),
    ("SH000106", "UPSWWEXP", "Open", "MAPLELEAF", "Maple Leaf Tools Ltd", "Import Desk",
     "220 Yonge St", "Suite 400", "Toronto", "ON", "M5B 2H1", "CA", "4165550143",
     "imports@mapleleaftools.example",
     [(11.0, "MEDIUM", (14, 12, 10)), (7.5, "SMALL", (10, 8, 6))], "LB", False),
    ("SH000107", "UPSWWEXP", "Open", "MUELLERPT", "Müller Präzisionstechnik GmbH", "Jürgen Weiß",
     "Industriestraße 12", "", "Stuttgart", "BW", "70565", "DE", "+49711555010",
     "wareneingang@mueller-pt.example",
     [(8.4, "MEDIUM", (40, 30, 25)), (5.1, "SMALL", (30, 20, 15))], "KG", False),
    ("SH000108", "UPSWWEXP", "Open", "THAMESVI", "Thames Valley Instruments Ltd", "Goods In",
     "14 Kings Road", "", "Reading", "", "RG1 3AR", "GB", "+441185550170", "goodsin@tvinstruments.example",
     [(6.0, "SMALL", None)], "LB", False),
    ("SH000109", "UPSWWEXP", "Open", "FERRENORTE", "Ferretería del Norte S.A. de C.V.", "José Peña",
     "Av. Constitución 444", "Col. Centro", "Monterrey", "NL", "64000", "MX", "+528155550123",
     "compras@ferrenorte.example", [(13.2, "MEDIUM", None)], "LB", False),
    ("SH000110", "UPSGROUND", "Open", "ISLASUP", "Isla Supply Co", "Marisol Rivera",
     "1250 Av Ponce de León", "", "San Juan", "PR", "00907", "PR", "7875550148", "orders@islasupply.example",
     [(10.0, "MEDIUM", None)], "LB", False),
    ("SH000111", "FEDEXGROUND", "Open", "PEACHTECH", "Peachtree Technical Supply", "Receiving",
     "191 Peachtree St NE", "", "Atlanta", "GA", "30303", "US", "4045550177", "receiving@peachtech.example",
     [(19.0, "LARGE", None)], "LB", False),
    ("SH000112", "UPSPLUGIN", "Open", "WINDYCITY", "Windy City Electrical", "Dock 1",
     "233 S Wacker Dr", "", "Chicago", "IL", "60606", "US", "3125550155", "dock@windycityelectric.example",
     [(14.0, "MEDIUM", None)], "LB", False),
    ("SH000113", "UPSGROUND", "On Hold", "BKLYNBREW", "Brooklyn Brewing Supply", "Tom Reyes",
     "79 N 11th St", "", "Brooklyn", "NY", "11249", "US", "7185550121", "tom@bklynbrewsupply.example",
     [(31.0, "LARGE", None)], "LB", False),
    ("SH000114", "UPS2DAY", "On Hold", "BAYMED", "Bay Area Medical Devices", "Purchasing",
     "1 Market St", "Spear Tower", "San Francisco", "CA", "94105", "US", "4155550108",
     "purchasing@baymed.example",
     [(5.5, "SMALL", None)], "LB", False),
    ("SH000115", "UPSGROUND", "Confirmed", "SOCALHVAC", "SoCal HVAC Parts", "Receiving",
     "3500 W Olive Ave", "", "Burbank", "CA", "91505", "US", "8185550190", "parts@socalhvac.example",
     [(27.0, "LARGE", None)], "LB", False),
    ("SH000116", "UPSGROUND", "Open", "EMPIREOFF", "Empire Office Furniture", "Loading Dock",
     "350 5th Ave", "", "New York", "NY", "10118", "US", "2125550176", "dock@empireoffice.example",
     [(40.0, "LARGE", (24, 18, 18))], "LB", False),
    ("SH000117", "UPSGROUND", "Completed", "GEORGIAGRN", "Georgia Green Landscaping", "Office",
     "1100 Spring St NW", "", "Atlanta", "GA", "30309", "US", "4045550132", "office@georgiagreen.example",
     [(16.0, "MEDIUM", None)], "LB", False),
    ("SH000118", "UPSGROUND", "Open", "MIDWESTMRO", "Midwest MRO Supply", "Receiving",
     "600 W Chicago Ave", "", "Chicago", "IL", "60654", "US", "3125550117", "mro@midwestmro.example",
     [(20.0, "LARGE", (20, 16, 14)), (20.0, "LARGE", (20, 16, 14)), (12.0, "MEDIUM", (14, 12, 10)),
      (3.5, "SMALL", (10, 8, 4))], "LB", False),
    ("SH000119", "UPSGROUND", "Open", "GHOSTCO", "Ghost Town Traders", "",
     "404 Nowhere Rd", "", "Gotebo", "OK", "73041", "US", "5805550100", "",
     [(6.0, "SMALL", None)], "LB", False),
    ("SH000120", "UPSGROUND", "Open", "SPRINGTOY", "Springfield Toy Co", "Marge S.",
     "742 Main St", "", "Springfield", "", "62701", "US", "2175550142", "marge@springfieldtoy.example",
     [(7.0, "SMALL", None)], "LB", False),
    ("SH000121", "UPSNEXTDAY", "Open", "SILICONPT", "Silicon Parts Depot", "Receiving",
     "2855 Stevens Creek Blvd", "", "Santa Clara", "CA", "95050", "US", "4085550160",
     "rx@siliconparts.example",
     [(6.5, "SMALL", None), (0.0, "SMALL", None)], "LB", False),
    ("SH000122", "UPSGROUND", "Open", "HOUSTONIND", "Houston Industrial Supply", "Warehouse",
     "1001 Texas Ave", "", "Houston", "TX", "", "US", "7135550138", "warehouse@houstonind.example",
     [(25.0, "LARGE", None)], "LB", False),
    ("SH000123", "UPS2DAY", "Open", "NERMSD", "Northeastern Regional Medical Supply Distributors Inc",
     "Central Receiving", "80 State St", "", "Albany", "NY", "12207", "US", "5185550115",
     "receiving@nermsd.example", [(9.0, "MEDIUM", None)], "LB", False),
    ("SH000124", "UPSGROUND", "Open", "CAFEOLE", "Café Olé", "Inés Martínez",
     "1559 N Milwaukee Ave", "", "Chicago", "IL", "60622", "US", "7735550181", "ines@cafeole.example",
     [(11.0, "MEDIUM", None)], "LB", False),
    ("SH000125", "UPSSAVER", "Open", "SAERO", "", "Søren Ærø",
     "417 Willow Court", "", "Ithaca", "NY", "14850", "US", "6075550127", "soren.aero@example.com",
     [(2.5, "SMALL", None)], "LB", True),
    ("SH000126", "UPSGROUND", "Open", "SJELECTRO", "San Jose Electronics", "Receiving EXCEPTION TEST",
     "150 W San Carlos St", "", "San Jose", "CA", "95113", "US", "4085550171", "rx@sjelectronics.example",
     [(8.0, "MEDIUM", None)], "LB", False),
    ("SH000127", "UPSGROUND", "Open", "BUFFALOFAB", "Buffalo Fabrication Works", "Shipping & Receiving",
     "275 Oak St", "", "Buffalo", "NY", "14203", "US", "7165550153", "sr@buffalofab.example",
     [(17.0, "MEDIUM", None), (21.0, "LARGE", None)], "LB", False),
    ("SH000128", "UPS2DAY", "Open", "AWASHING", "", "Alicia Washington",
     "58 Peachtree Circle NE", "", "Atlanta", "GA", "30309", "US", "4045550196", "alicia.w@example.com",
     [(4.0, "SMALL", None)], "LB", True),
    ("SH000129", "UPSGROUND", "Open", "MGARZA", "", "Miguel Garza",
     "2201 S Lamar Blvd", "Apt 4B", "Austin", "TX", "78704", "US", "5125550102", "m.garza@example.com",
     [(3.2, "SMALL", None)], "LB", True),
    ("SH000130", "UPSNEXTDAY", "Open", "LAFILMEQ", "LA Film Equipment Rentals", "Stage 4 Receiving",
     "5555 Melrose Ave", "", "Los Angeles", "CA", "90038", "US", "3235550145", "stage4@lafilmeq.example",
     [(28.0, "LARGE", (30, 20, 16)), (14.0, "MEDIUM", (16, 12, 12))], "LB", False),
    ("SH000131", "UPSGROUND", "Open", "JNGUYEN", "", "Jenny Nguyen",
     "3710 Ray St", "Unit 12", "San Diego", "CA", "92104", "US", "6195550164", "jenny.nguyen@example.com",
     [(5.0, "SMALL", None)], "LB", True),
    ("SH000132", "UPS2DAY", "Open", "QUEENSLAB", "Queens Lab Supply", "Lab Manager",
     "47-10 Austell Pl", "", "Long Island City", "NY", "11101", "US", "7185550159", "lab@queenslab.example",
     [(6.8, "SMALL", (12, 10, 6))], "LB", False),
    # SH000133 is skipped: its sales order number is SH000127's second order
    ("SH000134", "UPSWWEXP", "Open", "MTREMBLAY", "", "Marie Tremblay",
     "1250 Rue Sainte-Catherine O", "App 12", "Montréal", "QC", "H3G 1P1", "CA", "5145550172",
     "marie.tremblay@example.com", [(2.2, "SMALL", None)], "LB", True),
    ("SH000136/B", "UPSGROUND", "Open", "BRONXBOLT", "Bronx Bolt & Nut", "Receiving",
     "890 E 138th St", "", "Bronx", "NY", "10454", "US", "7185550177", "rx@bronxbolt.example",
     [(9.5, "MEDIUM", None)], "LB", False),
    ("SH000135", "UPSGROUND", "Open", "MIDTOWNLAW", "Midtown Legal Partners LLP", "Mailroom",
     "1271 Avenue of the Americas, Suite 4500 Fl 45", "", "New York", "NY", "10020", "US", "2125550188",
     "mailroom@midtownlegal.example", [(3.0, "SMALL", None)], "LB", False),
]

# Sales orders per shipment (SH000127 ships two orders); SO numbers follow the shipment numbers.
_EXTRA_ORDERS = {"SH000127": ["SO005127", "SO005133"], "SH000136/B": ["SO005136/B"]}
_LABELLED = {"SH000116": ups_tracking_number(UPS_ACCOUNT, "03", 4_000_116),
             "SH000117": ups_tracking_number(UPS_ACCOUNT, "03", 4_000_117)}


def _seed_id(*parts: str) -> str:
    return str(uuid.uuid5(SEED_NAMESPACE, "/".join(parts)))


def _orders_of(nbr: str) -> list[str]:
    return _EXTRA_ORDERS.get(nbr, [f"SO005{nbr[-3:]}"])


def _packages(nbr: str, rows: list[tuple[float, str, Any]], uom: str, *, declared: float = 0.0
              ) -> list[dict[str, Any]]:
    packages = []
    for line, (weight, box, dims) in enumerate(rows, start=1):
        length, width, height = (float(d) for d in dims) if dims else (None, None, None)
        packages.append({
            "id": _seed_id("Shipment", nbr, "Packages", str(line)), "LineNbr": line, "BoxID": box,
            "Type": "Manual", "Weight": weight, "UOM": uom, "Length": length, "Width": width,
            "Height": height, "DeclaredValue": declared, "CODAmount": 0.0,
            "TrackingNbr": _LABELLED.get(nbr, "") if line == 1 else "",
            "Description": f"Carton {line} of {len(rows)}", "Confirmed": False,
            "CustomRefNbr1": None, "CustomRefNbr2": None,
        })
    return packages


def seed_shipments(now: datetime) -> list[dict[str, Any]]:
    """The day's shipments, ShipmentDate today, LastModifiedDateTime spread over the last hours."""
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    shipments = []
    for index, row in enumerate(_ROWS):
        (nbr, ship_via, status, customer, business, attention, line1, line2, city, state, postal, country,
         phone, email, package_rows, uom, residential) = row
        # goods leaving the US carry a customs value, as the warehouse's Acumatica boxes would
        packages = _packages(nbr, package_rows, uom, declared=0.0 if country == "US" else 150.0)
        shipments.append({
            "id": _seed_id("Shipment", nbr), "ShipmentNbr": nbr, "Type": "Shipment", "Status": status,
            "Hold": status == "On Hold", "Operation": "Issue", "CustomerID": customer, "ShipVia": ship_via,
            "ShipmentDate": today, "WarehouseID": WAREHOUSE, "PackageCount": len(packages),
            "PackageWeight": round(sum(p["Weight"] for p in packages), 2), "ResidentialDelivery": residential,
            "SaturdayDelivery": False, "Insurance": False, "FreightCost": 0.0, "Description": "",
            "UnlimitedPackages": False,
            "CreatedDateTime": now - timedelta(hours=6, minutes=index * 3),
            "LastModifiedDateTime": now - timedelta(minutes=10 + (len(_ROWS) - index) * 7),
            "ShippingSettings": {
                "id": _seed_id("Shipment", nbr, "ShippingSettings"),
                "ShipToAddressOverride": False, "ShipToContactOverride": False,
                "ShipToAddress": {"id": _seed_id("Shipment", nbr, "ShipToAddress"), "AddressLine1": line1,
                                  "AddressLine2": line2, "City": city, "State": state, "PostalCode": postal,
                                  "Country": country, "Validated": False},
                "ShipToContact": {"id": _seed_id("Shipment", nbr, "ShipToContact"), "Attention": attention,
                                  "BusinessName": business, "Email": email, "Phone1": phone},
            },
            "Packages": packages,
            "Details": seed_goods.shipment_details(nbr, "SO", _orders_of(nbr)[0], index),
            "Orders": [{"id": _seed_id("Shipment", nbr, "Orders", so), "OrderType": "SO", "OrderNbr": so,
                        "ShipmentNbr": nbr, "ShipmentType": "Shipment",
                        "InvoiceNbr": f"INV{so[-6:]}" if status == "Completed" else None}
                       for so in _orders_of(nbr)],
            "note": "Deliver to the rear dock." if nbr == "SH000101" else "",
            "custom": {}, "files": [],
        })
    return shipments


def seed_sales_orders(now: datetime) -> list[dict[str, Any]]:
    """One SO per shipment (two for SH000127); status follows the shipment."""
    orders = []
    for index, shipment in enumerate(seed_shipments(now)):
        for so in _orders_of(shipment["ShipmentNbr"]):
            status = "Completed" if shipment["Status"] == "Completed" else "Open"
            currency, details = seed_goods.order_details(shipment["ShipmentNbr"], so, index)
            orders.append({
                "id": _seed_id("SalesOrder", "SO", so), "OrderType": "SO", "OrderNbr": so, "Status": status,
                "Hold": False, "CustomerID": shipment["CustomerID"],
                "CustomerOrder": f"PO-{48_210 + index * 17}",
                "Date": shipment["ShipmentDate"] - timedelta(days=2), "ShipVia": shipment["ShipVia"],
                "Description": "", "OrderTotal": round(sum(d["Amount"] for d in details), 2),
                "CurrencyID": currency, "Details": details,
                "LastModified": shipment["LastModifiedDateTime"] - timedelta(minutes=30),
                "ShipToAddress": {"id": _seed_id("SalesOrder", so, "ShipToAddress"),
                                  **{k: v for k, v in shipment["ShippingSettings"]["ShipToAddress"].items()
                                     if k != "id"}},
                "ShipToContact": {"id": _seed_id("SalesOrder", so, "ShipToContact"),
                                  **{k: v for k, v in shipment["ShippingSettings"]["ShipToContact"].items()
                                     if k != "id"}},
                "note": "", "custom": {}, "files": [],
            })
    return orders


def seed_return_orders(now: datetime) -> list[dict[str, Any]]:
    """An RMA (order type RM) for the delivered shipment SH000117: where a return's tracking number may go."""
    shipment = next(s for s in seed_shipments(now) if s["ShipmentNbr"] == RMA_FOR)
    return [{"id": _seed_id("SalesOrder", "RM", RMA_ORDER), "OrderType": "RM", "OrderNbr": RMA_ORDER, "Status": "Open",
             "Hold": False, "CustomerID": shipment["CustomerID"], "CustomerOrder": "RETURN-117",
             "Date": shipment["ShipmentDate"], "ShipVia": shipment["ShipVia"], "Description": "Return of SH000117",
             "OrderTotal": 0.0, "CurrencyID": "USD", "Details": [], "LastModified": now - timedelta(hours=1),
             "ShipToAddress": {"id": _seed_id("SalesOrder", RMA_ORDER, "ShipToAddress"),
                               **{k: v for k, v in shipment["ShippingSettings"]["ShipToAddress"].items() if k != "id"}},
             "ShipToContact": {"id": _seed_id("SalesOrder", RMA_ORDER, "ShipToContact"),
                               **{k: v for k, v in shipment["ShippingSettings"]["ShipToContact"].items() if k != "id"}},
             "note": "", "custom": {}, "files": []}]


#: the Boxes screen (CS207600): every BoxID a package row may name (inches and pounds, as the seed's company)
BOXES = (("SMALL", "Small carton", 10, 8, 6, 0.3, 20), ("MEDIUM", "Medium carton", 14, 12, 10, 0.6, 50),
         ("LARGE", "Large carton", 20, 16, 14, 1.1, 70), ("FLAT", "Document mailer", 15, 12, 1, 0.1, 2))


def seed_boxes() -> list[dict[str, Any]]:
    return [{"id": _seed_id("ShippingBox", box), "BoxID": box, "Description": text, "Length": float(length),
             "Width": float(width), "Height": float(height), "BoxWeight": tare, "MaxWeight": float(most),
             "WeightUOM": "LB", "LinearUOM": "IN", "ActiveByDefault": True, "note": "", "custom": {}, "files": []}
            for box, text, length, width, height, tare, most in BOXES]


def seed_ship_vias() -> list[dict[str, Any]]:
    """The Ship Via codes; Acumatica runs its carrier plug-in (``CarrierPluginID``) only when ``IsExternal``."""
    return [{"id": _seed_id("ShipVia", v["CarrierID"]), **copy.deepcopy(v), "note": "", "custom": {},
             "files": []} for v in SHIP_VIAS]
