"""Asking UPS for the tracking of many packages at once: worker threads under one token bucket.

Answers are stored as they arrive, a batch at a time (``BATCH`` answers, or what came in ``BATCH_SECONDS``):
what was fetched is kept even when the cycle stops half-way. A batch is stored in transactions that hold the
write lock ``HOLD_SECONDS`` at most (on a busy PC a hundred answers held it over a second): the ship flow's
writes (a label committed while the sync runs) take their turn between two of them (``store.write_turns``)
and wait a moment, not for the whole batch. A number UPS refuses or does not know fails alone and
is asked again at its cadence; an outage or a 429 storm (``RemoteError``) stops the asking at once
(``abort``), slows the bucket down once, and leaves the rest to the next cycle.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed

from shipdesk.core.clock import Clock
from shipdesk.core.context import AppContext
from shipdesk.core.domain.states import State
from shipdesk.core.store import transaction
from shipdesk.core.tracking import poll_schedule, scans
from shipdesk.core.tracking.cycle_report import CycleReport
from shipdesk.core.tracking.outages import CycleHealth
from shipdesk.core.tracking.throttle import TokenBucket
from shipdesk.errors import ApiRefused, ConfigError, NotFound, RateLimited, RemoteError, Service, ShipdeskError
from shipdesk.i18n import _
from shipdesk.ups.models import TrackResult

log = logging.getLogger(__name__)

#: answers stored together in one transaction: this many, or those that came in this long
BATCH = 100
BATCH_SECONDS = 0.5
#: how long one transaction of a batch holds the write lock before it commits and lets a waiting writer in
HOLD_SECONDS = 0.1


class TrackingPoller:
    def __init__(self, context: AppContext, *, bucket: TokenBucket, now: Clock, abort: threading.Event) -> None:
        """``abort`` stops the polling in flight: set here on an outage, by the sync when it stops."""
        self.context = context
        self.bucket = bucket
        self.now = now
        self.abort = abort

    def poll(self, numbers: Sequence[str], report: CycleReport, health: CycleHealth) -> None:
        self.context.ups.on_answer(self.bucket.answered)  # 429s and 5xx slow the rate before retries hide them
        workers = max(1, min(self.context.config.sync.concurrency, len(numbers)))
        outage: RemoteError | None = None
        answered: list[tuple[str, TrackResult]] = []
        stored_at = time.monotonic()
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sync-track") as pool:
            futures: dict[Future[TrackResult | None], str] = {pool.submit(self._fetch, n): n for n in numbers}
            try:
                for future in as_completed(futures):
                    number = futures.pop(future)  # its answer is not held once stored
                    try:
                        result = future.result()
                    except RemoteError as exc:
                        if isinstance(exc, (ApiRefused, NotFound)):  # this number only; asked again at its cadence
                            self._failed_alone(number, exc, report)
                        elif outage is None:  # UPS down or throttling us: stop asking, retry next cycle
                            outage = exc
                            self._stop_asking(exc)
                        continue
                    except ConfigError:
                        self.abort.set()
                        raise
                    except ShipdeskError as exc:  # e.g. an answer that cannot be read: this number only
                        self._failed_alone(number, exc, report)
                        continue
                    if result is not None:
                        self.bucket.succeeded()
                        report.polled += 1
                        answered.append((number, result))
                    if len(answered) >= BATCH or time.monotonic() - stored_at >= BATCH_SECONDS:
                        self._store_batch(answered, report)
                        answered, stored_at = [], time.monotonic()
            finally:
                self._store_batch(answered, report)
        if outage is not None:
            health.failed(outage)
        elif report.polled:
            health.heard_from(Service.UPS)

    def _fetch(self, number: str) -> TrackResult | None:
        if self.abort.is_set() or not self.bucket.acquire(cancel=self.abort):
            return None
        try:
            return self.context.ups.track(number)
        except (ApiRefused, NotFound):
            raise
        except RemoteError:
            self.abort.set()  # at once, so this worker's next package is not tried against the outage
            raise

    def _stop_asking(self, outage: RemoteError) -> None:
        self.abort.set()
        if isinstance(outage, RateLimited):
            self.bucket.slow_down()  # once per storm, not once per request in flight

    def _failed_alone(self, number: str, error: ShipdeskError, report: CycleReport) -> None:
        poll_schedule.mark_polled(number, self.now(), answered=False)
        report.fail(_("UPS tracking for {tracking} failed: {reason}").format(tracking=number, reason=error))

    def _store_batch(self, answered: list[tuple[str, TrackResult]], report: CycleReport) -> None:
        """The answers and their poll times, in transactions of ``HOLD_SECONDS`` at most (an answer is never
        split: its scans, status and poll time go in together)."""
        left = iter(answered)
        pending = next(left, None)
        while pending is not None:
            with transaction.write():
                held_since = time.monotonic()
                while pending is not None:
                    number, result = pending
                    self._store(number, result, report)
                    poll_schedule.mark_polled(number, self.now(), scheduled_delivery=result.scheduled_delivery)
                    pending = next(left, None)
                    if time.monotonic() - held_since >= HOLD_SECONDS:
                        break

    @staticmethod
    def _store(number: str, result: TrackResult, report: CycleReport) -> None:
        if not result.found:
            log.info("UPS has no tracking data for %s yet", number)
            return
        update = scans.record_tracking(
            result.tracking_number or number, result.events, source="poll", delivered_at=result.delivered_at,
            received_by=result.received_by, current_type=result.status_type,
            current_description=result.status_description)
        if update is None:
            return
        report.new_events += update.new_events
        if update.shipment_state == State.DELIVERED:
            report.delivered.append(update.shipment_nbr)
        elif update.shipment_state == State.EXCEPTION:
            report.exceptions.append(update.shipment_nbr)
