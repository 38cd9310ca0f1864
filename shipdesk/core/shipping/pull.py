"""Pull: refresh the local list of shipments from Acumatica, incrementally.

Reads the shipments in the ready statuses changed since the ``LastModifiedDateTime`` watermark (minus
a small overlap, so a record saved during the last pull is not missed), plus Confirmed shipments with
a UPS Ship Via and no tracking number (shown as needs attention: their packages are read-only). A
shipment shipdesk already labelled only gets its Acumatica status refreshed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.models import Shipment
from shipdesk.core.domain import audit
from shipdesk.core.domain.outcomes import PullResult
from shipdesk.core.domain.states import LABEL_EXISTS, State
from shipdesk.core.settings.config import Config
from shipdesk.core.shipping import carrier_plugins
from shipdesk.core.shipping.readiness import settle, shipment_problems
from shipdesk.core.store import repository

WATERMARK_OVERLAP = timedelta(minutes=2)
#: Confirmed shipments without tracking are looked for this far back on the first pull
CONFIRMED_LOOKBACK = timedelta(days=3)


def pull_shipments(acu: AcumaticaClient, config: Config, *, correct_confirmed: bool = False) -> PullResult:
    statuses = config.acumatica.ready_statuses
    carrier_plugins.refresh_detected(acu)
    since = repository.get_time(repository.WATERMARK_SHIPMENTS)
    query_since = since - WATERMARK_OVERLAP if since else None
    shipments = acu.ready_shipments(statuses=statuses, modified_since=query_since)
    if "Confirmed" not in statuses:
        lookback = query_since or datetime.now(UTC) - CONFIRMED_LOOKBACK
        shipments += [s for s in acu.ready_shipments(statuses=("Confirmed",), modified_since=lookback)
                      if not s.tracking_numbers and s.ship_via in config.ups.services]
    new = skipped = ready = 0
    attention: list[tuple[str, str]] = []
    for shipment in shipments:
        new += repository.get_shipment(shipment.shipment_nbr) is None
        state, reason = _cache(shipment, config, correct_confirmed)
        skipped += state is None
        ready += state == State.READY
        if state == State.NEEDS_ATTENTION:
            attention.append((shipment.shipment_nbr, reason))
    stamps = [s.last_modified for s in shipments if s.last_modified is not None]
    if stamps:
        repository.set_time(repository.WATERMARK_SHIPMENTS, max([*stamps, *([since] if since else [])]))
    audit.record("pull", detail=f"{len(shipments)} shipment(s), {new} new")
    watermark = repository.get_value(repository.WATERMARK_SHIPMENTS) or ""
    return PullResult(len(shipments), new, ready, tuple(attention), skipped, watermark)


def _cache(shipment: Shipment, config: Config, correct_confirmed: bool) -> tuple[State | None, str]:
    """Store the shipment and say whether it is ready; None when shipdesk already labelled it."""
    repository.upsert_shipment(shipment)
    job = repository.latest_job(shipment.shipment_nbr)
    if job is not None and State(job.state) in LABEL_EXISTS:
        return None, ""
    problems = shipment_problems(shipment, config, correct_confirmed=correct_confirmed)
    if problems:
        settle(shipment.shipment_nbr, State.NEEDS_ATTENTION, " ".join(problems))
        return State.NEEDS_ATTENTION, " ".join(problems)
    settle(shipment.shipment_nbr, State.READY)
    return State.READY, ""
