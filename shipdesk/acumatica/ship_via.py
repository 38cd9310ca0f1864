"""Ship Via codes (``ShipVia``, keyed by ``CarrierID``) and which of them run a carrier plug-in.

The Ship Via screen (CS207500, ``CarrierMaint``) keeps the plug-in outside the Default endpoint's contract:
the header's ``External Plug-in`` box is ``Carrier.IsExternal`` and the plug-in is ``CarrierPluginID`` on the
``CarrierCurrent`` tab (both views are the ``Carrier`` DAC). Acumatica runs a plug-in only when ``IsExternal``
is set (``SOShipmentEntry.UseCarrierService``; docs/evidence/real-services.md 12.9), so that flag decides.
Both are read with ``$custom``; a row that does not show ``IsExternal`` cannot be told, and the caller must
then treat the Ship Via as if it ran one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shipdesk.acumatica.session import AcumaticaSession
from shipdesk.acumatica.values import get_str
from shipdesk.i18n import _

#: ``<View>.<Field>`` as the Ship Via form binds them
IS_EXTERNAL = ("Carrier", "IsExternal")
PLUGIN_ID = ("CarrierCurrent", "CarrierPluginID")
PLUGIN_FIELDS = ",".join(".".join(field) for field in (IS_EXTERNAL, PLUGIN_ID))


@dataclass(frozen=True)
class CarrierPlugins:
    """What Acumatica showed about each Ship Via's plug-in."""

    active: frozenset[str]  # IsExternal set: confirming makes Acumatica buy its own label
    unknown: frozenset[str]  # IsExternal not shown: cannot tell
    plugin_ids: Mapping[str, str]  # the plug-in of each active Ship Via, when Acumatica named one


def ship_via_codes(session: AcumaticaSession) -> list[tuple[str, str]]:
    rows = session.list_records("/ShipVia", {"$select": "CarrierID,Description"}, None,
                                doing=_("list the Ship Via codes"))
    return codes_from_rows(rows)


def codes_from_rows(rows: Any) -> list[tuple[str, str]]:
    """(code, description) of each Ship Via row; rows of another shape are skipped."""
    rows = rows if isinstance(rows, list) else []
    return [(get_str(r, "CarrierID"), get_str(r, "Description")) for r in rows if get_str(r, "CarrierID")]


def plugin_fields_listed(session: AcumaticaSession) -> bool:
    """Does the endpoint's ad-hoc schema (``ShipVia/$adHocSchema``) list ``Carrier.IsExternal`` and
    ``CarrierCurrent.CarrierPluginID`` among the fields ``$custom`` can read?"""
    schema = session.call_json("GET", session.url("/ShipVia/$adHocSchema"),
                               doing=_("read which Ship Via fields can be read"))
    custom = schema.get("custom") if isinstance(schema, Mapping) else None
    return all(_custom(custom, view, name) is not None for view, name in (IS_EXTERNAL, PLUGIN_ID))


def carrier_plugins(session: AcumaticaSession) -> CarrierPlugins:
    """Every Ship Via's plug-in state, from one request."""
    rows = session.list_records("/ShipVia", {"$select": "CarrierID", "$custom": PLUGIN_FIELDS}, None,
                                doing=_("read which Ship Via codes use a carrier plug-in"))
    return plugins_from_rows(rows)


def plugins_from_rows(rows: Any) -> CarrierPlugins:
    """What the ShipVia rows (with the ``custom`` block) say; a row of another shape tells nothing."""
    rows = rows if isinstance(rows, list) else []
    active: set[str] = set()
    unknown: set[str] = set()
    plugin_ids: dict[str, str] = {}
    for row in rows:
        code = get_str(row, "CarrierID")
        if not code:
            continue
        external = _custom(row.get("custom"), *IS_EXTERNAL)
        flag = external.get("value") if external is not None else None
        if not isinstance(flag, bool):
            unknown.add(code)
        elif flag:
            active.add(code)
            plugin = _custom(row.get("custom"), *PLUGIN_ID) or {}
            if str(plugin.get("value") or "").strip():
                plugin_ids[code] = str(plugin["value"]).strip()
    return CarrierPlugins(frozenset(active), frozenset(unknown), plugin_ids)


def _custom(custom: Any, view: str, name: str) -> dict[str, Any] | None:
    """``custom[view][name]`` when it is a custom value object (``{"type": ..., "value": ...}``)."""
    values = custom.get(view) if isinstance(custom, Mapping) else None
    field = values.get(name) if isinstance(values, Mapping) else None
    return field if isinstance(field, dict) else None
