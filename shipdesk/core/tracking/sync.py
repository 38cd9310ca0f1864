"""The background sync: one cycle brings Acumatica and UPS up to date; the loop repeats it.

One cycle (:meth:`SyncService.run_cycle`):
1. pull newly ready shipments (``ShipFlow.pull``, incremental);
2. finish label write-backs that failed before, settle uncertain label jobs (``ShipFlow``);
3. with Track Alert on, (re)subscribe packages (``alerts``); then poll the tracked packages that
   no live subscription covers and that are due (``poll_schedule``: hourly in transit, every 15
   minutes out for delivery, by default), on ``concurrency`` worker threads under one token bucket
   (its rate adapts: ``throttle``), storing each result
   as it arrives (``tracking``): what was fetched is kept even when the cycle stops half-way;
4. write the changed statuses to Acumatica (``status_writeback``): nothing changed, nothing sent.
A service that fails stops only the steps that need it; the rest is retried next cycle. An outage
is reported once (remembered in SyncState: "UPS unreachable since 10:02"), then "reachable again".

The loop (:meth:`SyncService.start` / :meth:`stop`) runs cycles on its own thread every
``interval_minutes`` and, when ``[sync.listener] enabled``, the Track Alert listener beside it.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.core.context import AppContext
from shipdesk.core.domain.states import State
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.store import repository
from shipdesk.core.track_alert import subscriptions
from shipdesk.core.track_alert.auth import ListenerCredentials, PushAuth
from shipdesk.core.track_alert.listener import AlertListener
from shipdesk.core.track_alert.push import PushedEvent
from shipdesk.core.tracking import poll_schedule, scans, status_writeback
from shipdesk.core.tracking.outages import OutageWatch
from shipdesk.core.tracking.throttle import TokenBucket
from shipdesk.demo.clock import SandboxClock
from shipdesk.errors import ApiRefused, ConfigError, NotFound, RateLimited, RemoteError, Service, ShipdeskError
from shipdesk.ups.models import TrackResult

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class CycleReport:
    started_at: datetime
    finished_at: datetime | None = None
    pulled: int = 0
    written_back: int = 0  # label write-backs finished (tracking numbers onto the shipment)
    subscribed: int = 0
    renewed: int = 0
    polled: int = 0  # packages asked from UPS this cycle
    covered: int = 0  # packages left to Track Alert
    waiting: int = 0  # packages tracked but not due for a poll yet
    new_events: int = 0
    delivered: list[str] = field(default_factory=list)  # shipments that became delivered
    exceptions: list[str] = field(default_factory=list)  # shipments that became exceptions
    statuses_written: int = 0  # shipments whose status went to Acumatica
    acumatica_writes: int = 0
    failures: list[str] = field(default_factory=list)  # one sentence each; outages only once
    notices: list[str] = field(default_factory=list)  # "UPS reachable again", uncertain labels
    failed: bool = False  # something did not work this cycle (also during an outage already reported)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.failures

    def fail(self, message: str | None) -> None:
        self.failed = True
        if message:
            self.failures.append(message)

    def summary(self) -> str:
        parts = [f"{self.pulled} pulled", f"{self.polled} tracked"]
        if self.waiting:
            parts.append(f"{self.waiting} not due yet")
        if self.covered:
            parts.append(f"{self.covered} left to Track Alert")
        if self.subscribed or self.renewed:
            parts.append(f"{self.subscribed} subscribed, {self.renewed} renewed")
        parts += [f"{self.new_events} new scans", f"{len(self.delivered)} delivered",
                  f"{len(self.exceptions)} exceptions", f"{self.statuses_written} statuses written"]
        return "Sync: " + ", ".join(parts) + "."

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(ok=self.ok, started_at=self.started_at.isoformat(),
                    finished_at=self.finished_at.isoformat() if self.finished_at else None)
        return data


class SyncService:
    def __init__(self, context: AppContext, *, flow: ShipFlow | None = None, now: Clock | None = None,
                 on_report: Callable[[CycleReport], None] | None = None, bucket: TokenBucket | None = None) -> None:
        """``now`` is the clock for subscriptions, poll cadence and outages: by default the wall clock,
        in demo mode the sandboxes' simulated one (which the demo moves on)."""
        self.context = context
        self.config = context.config.sync
        self.cadence = poll_schedule.Cadence.from_config(self.config)
        self.flow = flow or ShipFlow(context)
        self.now: Clock = now or (SandboxClock(context.config.ups.base_url) if context.demo else utc_now)
        self.on_report = on_report
        self.bucket = bucket or TokenBucket.for_settings(self.config)
        self.watches = {service: OutageWatch(service, self.now) for service in Service}
        self._errors: dict[Service, RemoteError] = {}  # this cycle's first error per service
        self._answered: set[Service] = set()  # services that answered this cycle
        self._stop = threading.Event()
        self._abort = threading.Event()  # stops the current cycle's polling
        self._cycle_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.listener: AlertListener | None = None
        self.last_report: CycleReport | None = None

    @property
    def acumatica_watch(self) -> OutageWatch:
        return self.watches[Service.ACUMATICA]

    @property
    def ups_watch(self) -> OutageWatch:
        return self.watches[Service.UPS]

    # -- one cycle ----------------------------------------------------------------------------------
    def run_cycle(self) -> CycleReport:
        """Run one cycle now (waits for a cycle already running). Raises only ConfigError."""
        with self._cycle_lock:
            self._abort.clear()
            self._errors.clear()
            self._answered.clear()
            started = self.now()
            report = CycleReport(started_at=started)
            with self.flow.session():
                acumatica_up = self._acumatica_steps(report)
            scans.settle_written_back()  # labels written back this cycle may have moved already
            self._tracking_steps(report, started)  # no Acumatica seat is held while polling
            if acumatica_up and scans.pending_status_writebacks():
                with self.flow.session() as acu:
                    self._write_statuses(acu, report)
            self._report_outages(report)
            report.finished_at = self.now()
            self.last_report = report
            log.info("%s", report.summary())
            return report

    def _acumatica_steps(self, report: CycleReport) -> bool:
        """Pull, then finish write-backs; False when Acumatica is unreachable (later steps skip it)."""
        try:
            report.pulled = self.flow.pull().pulled
            self._answered.add(Service.ACUMATICA)
        except ConfigError:
            raise
        except RemoteError as exc:
            self._failed(exc)
            return False
        except ShipdeskError as exc:
            report.fail(f"Pulling shipments from Acumatica failed: {exc}")
        try:
            # Acumatica down during the write-backs is one outage, not one failure per labelled job
            for outcome in self.flow.retry_writebacks(on_outage=self._failed):
                if outcome.ok:
                    report.written_back += 1
                else:
                    report.fail(outcome.message)
            for outcome in self.flow.reconcile_uncertain():
                if not outcome.ok:
                    report.notices.append(outcome.message)  # waits for a person, not a failure of the sync
        except ConfigError:
            raise
        except RemoteError as exc:
            self._failed(exc)
        except ShipdeskError as exc:
            report.fail(str(exc))
        return True

    def _tracking_steps(self, report: CycleReport, started: datetime) -> None:
        """Packages are due by ``started``, the cycle's start: a slow pull does not make them wait a cycle more."""
        tracked = repository.tracked_numbers()
        covered: set[str] = set()
        if self.config.track_alert:
            try:
                alert_subscriptions = subscriptions.AlertSubscriptions(
                    self.context.ups, now=self.now, account_wide=self.config.account_wide_alerts)
                result = alert_subscriptions.refresh(tracked)
                report.subscribed, report.renewed = result.subscribed, result.renewed
            except ConfigError:
                raise
            except RemoteError as exc:  # no new subscriptions this time: those packages are polled
                self._failed(exc)
            covered = subscriptions.covered(self.now())
        candidates = poll_schedule.tracked_packages(exclude=covered)
        to_poll = poll_schedule.due(candidates, started, self.cadence)
        report.covered = len(tracked) - len(candidates)
        report.waiting = len(candidates) - len(to_poll)
        if to_poll:
            self._poll(to_poll, report)

    # -- polling ------------------------------------------------------------------------------------
    def _poll(self, numbers: Sequence[str], report: CycleReport) -> None:
        self.context.ups.on_answer(self.bucket.answered)  # 429s and 5xx slow the rate before retries hide them
        workers = max(1, min(self.config.concurrency, len(numbers)))
        outage: RemoteError | None = None
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sync-track") as pool:
            futures: dict[Future[TrackResult | None], str] = {pool.submit(self._fetch, n): n for n in numbers}
            for future in as_completed(futures):
                number = futures[future]
                try:
                    result = future.result()
                except (ApiRefused, NotFound) as exc:  # this number only; asked again at its cadence
                    poll_schedule.mark_polled(number, self.now(), answered=False)
                    report.fail(f"UPS tracking for {number} failed: {exc}")
                    continue
                except RemoteError as exc:  # UPS down or throttling us: stop asking, retry next cycle
                    if outage is None:
                        outage = exc
                        self._abort.set()
                        if isinstance(exc, RateLimited):
                            self.bucket.slow_down()  # once per storm, not once per request in flight
                    continue
                except ConfigError:
                    self._abort.set()
                    raise
                except ShipdeskError as exc:  # e.g. an answer that cannot be read: this number only
                    poll_schedule.mark_polled(number, self.now(), answered=False)
                    report.fail(f"UPS tracking for {number} failed: {exc}")
                    continue
                if result is None:
                    continue
                self.bucket.succeeded()
                report.polled += 1
                self._store(number, result, report)
                poll_schedule.mark_polled(number, self.now(), scheduled_delivery=result.scheduled_delivery)
        if outage is not None:
            self._failed(outage)
        elif report.polled:
            self._answered.add(Service.UPS)

    def _fetch(self, number: str) -> TrackResult | None:
        if self._abort.is_set() or not self.bucket.acquire(cancel=self._abort):
            return None
        try:
            return self.context.ups.track(number)
        except (ApiRefused, NotFound):
            raise
        except RemoteError:
            self._abort.set()  # at once, so this worker's next package is not tried against the outage
            raise

    def _store(self, number: str, result: TrackResult, report: CycleReport) -> None:
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

    # -- status write-back --------------------------------------------------------------------------
    def _write_statuses(self, acu: AcumaticaClient, report: CycleReport) -> None:
        fields = self.context.config.acumatica.custom_fields
        for nbr, mark in scans.pending_status_writebacks().items():
            if self._stop.is_set():
                return
            try:
                if repository.get_shipment(nbr) is not None:
                    report.acumatica_writes += status_writeback.write_status(
                        acu, status_writeback.compose(nbr, fields))
                    report.statuses_written += 1
                    self._answered.add(Service.ACUMATICA)
                scans.status_written(nbr, mark)
            except (ApiRefused, NotFound) as exc:  # this shipment only; it stays queued
                report.fail(f"The UPS status of shipment {nbr} could not be written to Acumatica: {exc}")
            except RemoteError as exc:
                self._failed(exc)
                return

    # -- Track Alert pushes -------------------------------------------------------------------------
    def receive_push(self, event: PushedEvent) -> bool:
        """Store one pushed event (the listener's sink); False for a number shipdesk does not track."""
        update = scans.record_tracking(event.tracking_number, [event.event], source="push",
                                          delivered_at=event.delivered_at, received_by=event.received_by)
        if update is None:
            return False
        subscriptions.heard_from(update.tracking_number, self.now())
        return True

    def build_listener(self) -> AlertListener:
        settings = self.config.listener
        credentials = ListenerCredentials(
            client_id=settings.client_id or self.context.config.ups.client_id,
            client_secret=self._optional_secret("track_alert.client_secret"),
            credential=self._optional_secret("track_alert.credential"))
        needed = "track_alert.client_secret" if settings.credential_mode == "token" else "track_alert.credential"
        if not (credentials.accepts_tokens if settings.credential_mode == "token" else credentials.credential):
            raise ConfigError(f"The Track Alert listener is enabled but its secret {needed} is not set.",
                              hint=f"Run `shipdesk credentials set {needed}`, or turn the listener off.")
        return AlertListener(auth=PushAuth(credentials), on_event=self._receive_on_listener_thread,
                             host=settings.host, port=settings.port, path=settings.path,
                             token_path=settings.token_url_path)

    def _receive_on_listener_thread(self, event: PushedEvent) -> bool:
        try:
            return self.receive_push(event)
        finally:
            self.context.store.db.close()  # this request's thread ends now: so does its connection

    def _optional_secret(self, name: str) -> str:
        try:
            return self.context.secret(name)
        except (KeyError, ShipdeskError):
            return ""

    # -- the loop -----------------------------------------------------------------------------------
    def start(self, interval_seconds: float | None = None) -> None:
        """Run cycles on a background thread (and the listener, when enabled) until :meth:`stop`."""
        if self._thread is not None:
            return
        if self.config.listener.enabled and self.listener is None:
            self.listener = self.build_listener().start()
        interval = interval_seconds if interval_seconds is not None else self.config.interval_minutes * 60.0
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, args=(interval,), name="shipdesk-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 30.0) -> None:
        """Stop after the current step; polling in flight is abandoned (it is redone next cycle)."""
        self._stop.set()
        self._abort.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self.listener is not None:
            self.listener.stop()
            self.listener = None

    def wait(self) -> None:
        """Block until the loop ends (Ctrl+C interrupts the wait in the main thread)."""
        while self.running and self._thread is not None:
            self._thread.join(1.0)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self, interval: float) -> None:
        while not self._stop.is_set():
            try:
                report = self.run_cycle()
            except Exception as exc:  # the loop must outlive any single cycle
                log.exception("sync cycle failed")
                report = CycleReport(started_at=self.now(), finished_at=self.now())
                report.fail(str(exc) if isinstance(exc, ShipdeskError) else f"The sync failed: {exc!r}")
            if self.on_report is not None:
                self.on_report(report)
            self._stop.wait(interval)

    # -- outages -----------------------------------------------------------------------------------
    def _failed(self, error: RemoteError) -> None:
        self._errors.setdefault(error.service, error)

    def _report_outages(self, report: CycleReport) -> None:
        """Once per outage: its start when a service failed this cycle, its end when it answered
        throughout a cycle again (a cycle that half works does not end the outage)."""
        for service, watch in self.watches.items():
            if service in self._errors:
                report.fail(watch.failed(self._errors[service]))
            elif service in self._answered:
                message = watch.recovered()
                if message:
                    report.notices.append(message)


# -- the command ------------------------------------------------------------------------------------
def run_sync(context: AppContext, *, once: bool, as_json: bool = False,
             write: Callable[[str], None] | None = None) -> int:
    """``shipdesk sync [--once]``: 0 when the (last) cycle went through, 1 when it had failures.

    With ``as_json`` each cycle's report is one JSON object on one line of ``write`` (JSON Lines, so
    a running sync can be piped), and the sentences about starting and stopping go to stderr.
    """
    say = write or _print
    tell = _print_error if as_json else say

    def show(report: CycleReport) -> None:
        if as_json:
            say(json.dumps(report.to_json(), ensure_ascii=False, default=str))
            return
        say(report.summary())
        for line in [*report.notices, *report.failures]:
            say("  " + line)

    service = SyncService(context, on_report=show)
    if once:
        report = service.run_cycle()
        show(report)
        return 0 if report.ok else 1
    service.start()
    tell(f"Syncing every {context.config.sync.interval_minutes} minute(s); Ctrl+C stops."
         + (f" Track Alert listener on {service.listener.url}." if service.listener else ""))
    try:
        service.wait()
    except KeyboardInterrupt:
        tell("Stopping the sync...")
    finally:
        service.stop()
    last = service.last_report
    return 0 if last is None or last.ok else 1


def _print(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _print_error(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
