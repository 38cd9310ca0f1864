"""Ship Via codes (``ShipVia``, keyed by ``CarrierID``) and which of them run a carrier plug-in."""

from __future__ import annotations

from shipdesk.acumatica.session import AcumaticaSession
from shipdesk.acumatica.values import get_str


def ship_via_codes(session: AcumaticaSession) -> list[tuple[str, str]]:
    rows = session.list_records("/ShipVia", {"$select": "CarrierID,Description"}, None,
                                doing="list the Ship Via codes")
    return [(get_str(r, "CarrierID"), get_str(r, "Description")) for r in rows if get_str(r, "CarrierID")]


def carrier_plugin_ship_vias(session: AcumaticaSession) -> set[str]:
    """The field is outside the contract: read through ``$custom`` (``Carrier.CarrierPluginID``)."""
    rows = session.list_records("/ShipVia", {"$select": "CarrierID", "$custom": "Carrier.CarrierPluginID"}, None,
                                doing="read which Ship Via codes use a carrier plug-in")
    found = set()
    for row in rows:
        plugin = ((row.get("custom") or {}).get("Carrier") or {}).get("CarrierPluginID") or {}
        if isinstance(plugin, dict) and str(plugin.get("value") or "").strip():
            found.add(get_str(row, "CarrierID"))
    return found - {""}
