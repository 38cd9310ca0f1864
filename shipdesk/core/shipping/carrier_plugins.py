"""Which Ship Via codes run Acumatica's own carrier plug-in: configured by the admin, and detected.

Confirming a shipment whose Ship Via has a plug-in makes Acumatica buy a second label and overwrite
the tracking numbers shipdesk wrote. The admin can list such codes in
``[acumatica] carrier_plugin_ship_vias``; shipdesk also reads them from Acumatica (at most hourly, one
request: ``Carrier.IsExternal`` and ``CarrierCurrent.CarrierPluginID`` of every Ship Via) so a plug-in
switched on later is not missed. Once per endpoint it checks that the endpoint's ``ShipVia/$adHocSchema``
lists those fields (the answer goes into the sentences below).

"Cannot tell" counts as "has a plug-in": a Ship Via whose ``IsExternal`` Acumatica did not show, or
every Ship Via while Acumatica has never answered, is never confirmed (:func:`undetermined`).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.core.settings.config import Config
from shipdesk.core.store import sync_state
from shipdesk.errors import RemoteError

log = logging.getLogger(__name__)

DETECTED_KEY = "acumatica.carrier_plugin_ship_vias"
UNKNOWN_KEY = "acumatica.carrier_plugin_ship_vias.unknown"
CHECKED_KEY = "acumatica.carrier_plugin_ship_vias.checked_at"
LISTED_KEY = "acumatica.carrier_plugin_fields_listed."  # + endpoint URL: "1" listed, "0" not
RECHECK_AFTER = timedelta(hours=1)
#: stored in UNKNOWN_KEY when no Ship Via can be told (Acumatica never answered)
EVERY = "*"


def refresh_detected(acu: AcumaticaClient, *, now: datetime | None = None,
                     known: datetime | None = None) -> datetime:
    """Ask Acumatica which Ship Vias have a plug-in, unless that was done within the hour; returns when it
    was last done. ``known``: what an earlier call returned (the ship flow keeps it: no store read per label)."""
    now = now or datetime.now(UTC)
    if known is not None and now - known < RECHECK_AFTER:
        return known
    checked = sync_state.get_time(CHECKED_KEY)
    if checked is not None and now - checked < RECHECK_AFTER:
        return checked
    _verify_fields(acu)
    try:
        found = acu.carrier_plugins()
    except RemoteError as exc:
        # Acumatica briefly away, or an instance that refuses the fields: what was found before still applies
        # (forgetting a plug-in would let ConfirmShipment buy a second label); never found: nothing can be told
        log.info("could not read the carrier plug-ins of the Ship Via codes: %s", exc)
        if sync_state.get_value(DETECTED_KEY) is None:
            sync_state.set_value(UNKNOWN_KEY, EVERY)
    else:
        sync_state.set_value(DETECTED_KEY, ",".join(sorted(found.active)))
        sync_state.set_value(UNKNOWN_KEY, ",".join(sorted(found.unknown)))
        if found.unknown:
            log.warning("Acumatica did not show Carrier.IsExternal for Ship Via %s: they are not confirmed",
                        ", ".join(sorted(found.unknown)))
    sync_state.set_time(CHECKED_KEY, now)
    return now


def _verify_fields(acu: AcumaticaClient) -> None:
    """Once per endpoint: does its ad-hoc schema list the fields read? (A failed check is tried again.)"""
    key = LISTED_KEY + acu.entity_url
    if sync_state.get_value(key):
        return
    try:
        listed = acu.carrier_plugin_fields_listed()
    except RemoteError as exc:
        log.info("could not read the Ship Via ad-hoc schema: %s", exc)
        return
    sync_state.set_value(key, "1" if listed else "0")
    if not listed:
        log.warning("%s/ShipVia/$adHocSchema does not list Carrier.IsExternal and CarrierCurrent.CarrierPluginID; "
                    "a Ship Via whose values Acumatica does not show is never confirmed", acu.entity_url)


def plugin_ship_vias(config: Config) -> tuple[str, ...]:
    """The configured codes plus the ones Acumatica reported last time."""
    return tuple(sorted(set(config.acumatica.carrier_plugin_ship_vias) | _codes(DETECTED_KEY)))


def undetermined(ship_via: str) -> bool:
    """True when shipdesk cannot tell whether ``ship_via`` runs a plug-in (so it must not confirm)."""
    stored = sync_state.get_value(UNKNOWN_KEY)
    if sync_state.get_value(DETECTED_KEY) is None:
        return True  # Acumatica has never answered
    return stored == EVERY or ship_via.strip() in _codes(UNKNOWN_KEY)


def fields_listed(entity_url: str) -> bool | None:
    """What the endpoint's ad-hoc schema said about the plug-in fields (None: not checked yet)."""
    stored = sync_state.get_value(LISTED_KEY + entity_url)
    return None if not stored else stored == "1"


def _codes(key: str) -> set[str]:
    return {code for code in (sync_state.get_value(key) or "").split(",") if code and code != EVERY}
