"""Pull: refresh the local list of shipments from Acumatica, incrementally.

Reads the shipments in the ready statuses changed since the ``LastModifiedDateTime`` watermark (minus
a small overlap, so a record saved during the last pull is not missed), plus Confirmed shipments with
a UPS Ship Via and no tracking number (shown as needs attention: their packages are read-only). A
shipment shipdesk already labelled only gets its Acumatica status refreshed. The Confirmed ones are read a
page at a time (after a busy day they are thousands, nearly all labelled), and the watermark moves over every
record read, also those dropped, so they are not read again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.models import Shipment
from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.outcomes import PullResult
from shipdesk.core.domain.states import LABEL_EXISTS, State
from shipdesk.core.settings.config import Config
from shipdesk.core.shipping import carrier_plugins
from shipdesk.core.shipping.readiness import settle, shipment_problems
from shipdesk.core.store import audit_log, jobs, shipments, sync_state
from shipdesk.i18n import _

WATERMARK_OVERLAP = timedelta(minutes=2)
#: Confirmed shipments without tracking are looked for this far back on the first pull
CONFIRMED_LOOKBACK = timedelta(days=3)
CONFIRMED_PAGE = 200


def pull_shipments(acu: AcumaticaClient, config: Config, *, correct_confirmed: bool = False) -> PullResult:
    statuses = config.acumatica.ready_statuses
    carrier_plugins.refresh_detected(acu)
    since = sync_state.get_time(sync_state.WATERMARK_SHIPMENTS)
    query_since = since - WATERMARK_OVERLAP if since else None
    pulled = acu.ready_shipments(statuses=statuses, modified_since=query_since)
    # the watermark moves over every record read, also those dropped below: not read again next time
    stamps = [s.last_modified for s in pulled if s.last_modified is not None]
    if "Confirmed" not in statuses:
        lookback = query_since or datetime.now(UTC) - CONFIRMED_LOOKBACK
        # every Confirmed shipment changed since (after a busy day: thousands, most labelled by shipdesk): a page
        # at a time, keeping only those without tracking
        for page in acu.shipment_pages(statuses=("Confirmed",), modified_since=lookback, top=CONFIRMED_PAGE):
            stamps += [s.last_modified for s in page if s.last_modified is not None]
            pulled += [s for s in page if not s.tracking_numbers and s.ship_via in config.ups.services]
    new, skipped, ready, attention = _store_all(pulled, config, correct_confirmed)
    if stamps:
        sync_state.set_time(sync_state.WATERMARK_SHIPMENTS, max([*stamps, *([since] if since else [])]))
    audit_log.record(AuditAction.PULL, detail=_("{count} shipment(s), {new} new").format(count=len(pulled), new=new))
    watermark = sync_state.get_value(sync_state.WATERMARK_SHIPMENTS) or ""
    return PullResult(len(pulled), new, ready, tuple(attention), skipped, watermark,
                      shipment_nbrs=tuple(dict.fromkeys(s.shipment_nbr for s in pulled)))


def pull_named_shipments(acu: AcumaticaClient, config: Config, numbers: Sequence[str], *,
                         correct_confirmed: bool = False) -> PullResult:
    """The shipments a push notification named, read from Acumatica at once (one request for up to 30) and
    stored like the pull stores them: a push is a hint, this read is the truth. Whatever their status: one
    that left the ready statuses (put on hold, confirmed elsewhere) is refreshed and no longer shown as ready.
    The watermark is not moved: the incremental pull stays the safety net for pushes that never came."""
    pulled = acu.shipments_by_number(numbers)
    new, skipped, ready, attention = _store_all(pulled, config, correct_confirmed)
    audit_log.record(AuditAction.PULL,
                     detail=_("{count} pushed shipment(s), {new} new").format(count=len(pulled), new=new))
    return PullResult(len(pulled), new, ready, tuple(attention), skipped,
                      sync_state.get_value(sync_state.WATERMARK_SHIPMENTS) or "",
                      shipment_nbrs=tuple(dict.fromkeys(s.shipment_nbr for s in pulled)))


def _store_all(pulled: Sequence[Shipment], config: Config,
               correct_confirmed: bool) -> tuple[int, int, int, list[tuple[str, str]]]:
    """Store each shipment read; (new, skipped as labelled already, ready, [(number, why) needing attention])."""
    new = skipped = ready = 0
    attention: list[tuple[str, str]] = []
    for shipment in pulled:
        was_new, state, reason = _cache(shipment, config, correct_confirmed)
        new += was_new
        skipped += state is None
        ready += state == State.READY
        if state == State.NEEDS_ATTENTION:
            attention.append((shipment.shipment_nbr, reason))
    return new, skipped, ready, attention


def _cache(shipment: Shipment, config: Config, correct_confirmed: bool) -> tuple[bool, State | None, str]:
    """Store the shipment and say whether it was new and is ready (None: shipdesk already labelled it)."""
    new = shipments.upsert_shipment(shipment)
    job = None if new else jobs.latest_job(shipment.shipment_nbr)
    if job is not None and job.state in LABEL_EXISTS:
        return new, None, ""
    problems = shipment_problems(shipment, config, correct_confirmed=correct_confirmed)
    wanted, reason = (State.NEEDS_ATTENTION, " ".join(problems)) if problems else (State.READY, "")
    if not settle(shipment.shipment_nbr, wanted, reason):  # another worker or station labelled it meanwhile
        return new, None, ""
    return new, wanted, reason
