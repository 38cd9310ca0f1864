"""Which Ship Via codes run Acumatica's own carrier plug-in: configured by the admin, and detected.

Confirming a shipment whose Ship Via has a plug-in makes Acumatica buy a second label and overwrite
the tracking numbers shipdesk wrote. The admin can list such codes in
``[acumatica] carrier_plugin_ship_vias``; shipdesk also reads them from Acumatica (at most hourly,
one request) so a plug-in switched on later is not missed.
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
CHECKED_KEY = "acumatica.carrier_plugin_ship_vias.checked_at"
RECHECK_AFTER = timedelta(hours=1)


def refresh_detected(acu: AcumaticaClient, *, now: datetime | None = None) -> None:
    """Ask Acumatica which Ship Vias have a plug-in, unless that was done within the hour."""
    now = now or datetime.now(UTC)
    checked = sync_state.get_time(CHECKED_KEY)
    if checked is not None and now - checked < RECHECK_AFTER:
        return
    try:
        detected = acu.carrier_plugin_ship_vias()
    except RemoteError as exc:
        # an instance that hides the field, or Acumatica briefly away: the configured list and the codes
        # found before still apply (forgetting one would let ConfirmShipment buy a second label)
        log.info("could not read the carrier plug-ins of the Ship Via codes: %s", exc)
    else:
        sync_state.set_value(DETECTED_KEY, ",".join(sorted(detected)))
    sync_state.set_time(CHECKED_KEY, now)


def plugin_ship_vias(config: Config) -> tuple[str, ...]:
    """The configured codes plus the ones Acumatica reported last time."""
    stored = sync_state.get_value(DETECTED_KEY) or ""
    detected = {code for code in stored.split(",") if code}
    return tuple(sorted(set(config.acumatica.carrier_plugin_ship_vias) | detected))
