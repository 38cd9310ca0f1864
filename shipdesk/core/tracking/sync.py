"""The background sync: one cycle brings Acumatica and UPS up to date; the loop repeats it.

One cycle (:meth:`SyncService.run_cycle`):
1. pull newly ready shipments (``ShipFlow.pull``, incremental);
2. finish label write-backs that failed before, settle uncertain label jobs (``ShipFlow``);
3. with Track Alert on, (re)subscribe packages (``track_alert.subscriptions``); then poll the tracked
   packages that no live subscription covers and that are due (``poll_schedule``: hourly in transit,
   every 15 minutes out for delivery, by default) with ``polling.TrackingPoller``, storing each result
   as it arrives: what was fetched is kept even when the cycle stops half-way;
4. write the changed statuses to Acumatica (``status_writeback.write_queued``): nothing changed, nothing sent.
A service that fails stops only the steps that need it; the rest is retried next cycle. What each
service did this cycle is kept in ``outages.CycleHealth``; an outage is reported once (remembered in
SyncState: "UPS unreachable since 10:02"), then "reachable again" (:meth:`SyncService._report_outages`).

One sync for everyone sharing the store: a cycle runs only while this service holds the ``sync`` lease
(``lease``), which it keeps alive between cycles; otherwise the cycle's report says which station runs
the sync, and the loop asks again every ``lease.ttl`` so it takes over soon after the holder dies.

With a labeller (``core/automatic``, ``[ship] automatic``: every sync has one; the lease picks who runs), the
cycle then labels every ready shipment (:meth:`SyncService._label_automatically`, the one seam: on a shared
store only the cycle holding the sync's lease gets there).

The loop (:meth:`SyncService.start` / :meth:`stop`) runs cycles on its own thread every
``interval_minutes`` and, when ``[sync.listener] enabled`` or ``[acumatica.push] enabled``, the listener beside
it (``track_alert.wiring``; Acumatica's endpoint from ``acumatica_push.wiring``). Between cycles the loop waits
on the push inbox: the shipments a push names are pulled at once (one request, :meth:`run_pushed`) and labelled
when automatic mode is on, while the cycles keep their interval (polling stays the safety net).
Times come from the context's clock (``AppContext.now``) unless one is given.
The sync prints nothing: each report goes to ``on_report`` (the command line prints it).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from shipdesk.core.acumatica_push import wiring as push_wiring
from shipdesk.core.acumatica_push.inbox import PushInbox
from shipdesk.core.automatic.labeller import AutoLabeller, AutomaticRun
from shipdesk.core.clock import Clock
from shipdesk.core.context import AppContext
from shipdesk.core.domain.outcomes import PullResult
from shipdesk.core.events import ServiceStatusChanged, SyncFinished
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.store import repository
from shipdesk.core.track_alert import subscriptions, wiring
from shipdesk.core.track_alert.listener import AlertListener
from shipdesk.core.track_alert.push import PushedEvent
from shipdesk.core.tracking import poll_schedule, scans, status_writeback
from shipdesk.core.tracking.cycle_report import CycleReport
from shipdesk.core.tracking.lease import TTL, sync_lease
from shipdesk.core.tracking.outages import CycleHealth, OutageWatch
from shipdesk.core.tracking.polling import TrackingPoller
from shipdesk.core.tracking.throttle import TokenBucket
from shipdesk.errors import ConfigError, RemoteError, Service, ShipdeskError
from shipdesk.i18n import _, ngettext

log = logging.getLogger(__name__)

#: how long a stop waits for the cycle's current Acumatica request before signing its session out
STOP_GRACE_SECONDS = 5.0


class SyncService:
    def __init__(self, context: AppContext, *, flow: ShipFlow | None = None, now: Clock | None = None,
                 on_report: Callable[[CycleReport], None] | None = None, bucket: TokenBucket | None = None,
                 labeller: AutoLabeller | None = None, lease_ttl: timedelta = TTL) -> None:
        """``now`` is the clock for subscriptions, poll cadence, outages and the lease: by default the
        context's. ``labeller``: automatic mode runs in this sync (it still does nothing while ``[ship] automatic``
        is off). ``lease_ttl``: how long the sync lease lasts unless renewed (a dead holder's is taken over
        after it)."""
        self.context = context
        self.config = context.config.sync
        self.cadence = poll_schedule.Cadence.from_config(self.config)
        self.flow = flow or ShipFlow(context)
        self.now: Clock = now or context.now
        self.on_report = on_report
        self.bucket = bucket or TokenBucket.for_settings(self.config)
        self.watches = {service: OutageWatch(service, self.now) for service in Service}
        self.health = CycleHealth()
        self._stop = threading.Event()
        self._abort = threading.Event()  # stops the current cycle's polling
        self._finished = threading.Event()  # set when the loop's thread has ended
        self.poller = TrackingPoller(context, bucket=self.bucket, now=self.now, abort=self._abort)
        self._cycle_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.listener: AlertListener | None = None
        self.last_report: CycleReport | None = None
        self.labeller = labeller
        self.pushes = PushInbox()  # shipment numbers Acumatica pushed, waiting for :meth:`run_pushed`
        self.lease = sync_lease(context.station, self.now, store=context.store, ttl=lease_ttl)

    @property
    def acumatica_watch(self) -> OutageWatch:
        return self.watches[Service.ACUMATICA]

    @property
    def ups_watch(self) -> OutageWatch:
        return self.watches[Service.UPS]

    # -- one cycle ----------------------------------------------------------------------------------
    def run_cycle(self) -> CycleReport:
        """Run one cycle now (waits for a cycle already running) when this service holds the sync lease, else
        report who runs the sync. Raises only ConfigError."""
        with self._cycle_lock:
            if not self.lease.take():
                return self._runs_elsewhere()
            self._abort.clear()
            self.health.clear()
            started = self.now()
            report = CycleReport(started_at=started)
            # one session for the cycle, so one sign-in: it stays open (idle) while UPS is asked, well under
            # Acumatica's session timeout; should it expire all the same, the next call signs in again
            with self.flow.session() as acu:
                acumatica_up = self._acumatica_steps(report)
                if acumatica_up:
                    self._label_automatically(report)
                scans.settle_written_back()  # labels written back this cycle may have moved already
                self._tracking_steps(report, started)
                if acumatica_up and scans.pending_status_writebacks() and not self._stop.is_set():
                    status_writeback.write_queued(acu, self.context.config.acumatica.custom_fields, report,
                                                  self.health, stop=self._stop,
                                                  workers=self.config.acumatica_concurrency)
            self._report_outages(report)
            report.finished_at = self.now()
            self.last_report = report
            log.info("%s", report.summary())
            self.context.events.publish(SyncFinished(started_at=report.started_at, finished_at=report.finished_at,
                                                     ok=report.ok, summary=report.summary(), report=report))
            return report

    def _runs_elsewhere(self) -> CycleReport:
        """Another station (or ``shipdesk sync``) holds the lease: nothing is done here this time."""
        now = self.now()
        report = CycleReport(started_at=now, finished_at=now, runs_elsewhere=self.lease.held_elsewhere_by)
        self.last_report = report
        log.info("%s", report.summary())
        self.context.events.publish(SyncFinished(started_at=now, finished_at=now, ok=True,
                                                 summary=report.summary(), report=report))
        return report

    def _acumatica_steps(self, report: CycleReport) -> bool:
        """Pull, then finish write-backs; False when Acumatica is unreachable (later steps skip it)."""
        try:
            report.pulled = self.flow.pull().pulled
            self.health.heard_from(Service.ACUMATICA)
        except ConfigError:
            raise
        except RemoteError as exc:
            self.health.failed(exc)
            return False
        except ShipdeskError as exc:
            report.fail(_("Pulling shipments from Acumatica failed: {reason}").format(reason=exc))
        try:
            # Acumatica down during the write-backs is one outage, not one failure per labelled job
            for outcome in self.flow.retry_writebacks(on_outage=self.health.failed):
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
            self.health.failed(exc)
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
                    self.context.ups, now=self.now, account_wide=self.config.account_wide_alerts,
                    subscription_id=self.config.alert_subscription_id,
                    client_subscription_id=self.config.alert_client_subscription_id)
                result = alert_subscriptions.refresh(tracked)
                report.subscribed, report.renewed = result.subscribed, result.renewed
            except ConfigError:
                raise
            except RemoteError as exc:  # no new subscriptions this time: those packages are polled
                self.health.failed(exc)
            covered = subscriptions.covered(self.now())
        candidates = poll_schedule.tracked_packages(exclude=covered)
        to_poll = poll_schedule.due(candidates, started, self.cadence)
        report.covered = len(tracked) - len(candidates)
        report.waiting = len(candidates) - len(to_poll)
        if to_poll:
            self.poller.poll(to_poll, report, self.health)

    def _report_outages(self, report: CycleReport) -> None:
        """Once per outage: its start when a service failed this cycle, its end when it answered
        throughout a cycle again (a cycle that half works does not end the outage)."""
        for service, watch in self.watches.items():
            if service in self.health.errors:
                message = watch.failed(self.health.errors[service])
                report.fail(message)
                if message:  # told once per outage, like the report
                    self.context.events.publish(ServiceStatusChanged(service, reachable=False, sentence=message))
            elif service in self.health.answered:
                message = watch.recovered()
                if message:
                    report.notices.append(message)
                    self.context.events.publish(ServiceStatusChanged(service, reachable=True, sentence=message))

    # -- automatic labelling and Acumatica pushes ----------------------------------------------------
    def _label_automatically(self, report: CycleReport, only: list[str] | None = None) -> AutomaticRun | None:
        """The seam of automatic mode: label what is ready (``only``: of those), into ``report``."""
        if self.labeller is None or self._stop.is_set():
            return None
        try:
            run = self.labeller.run(self._stop, only=only)
        except ConfigError:
            raise
        except ShipdeskError as exc:
            report.fail(_("Automatic labelling failed: {reason}").format(reason=exc))
            return None
        report.labelled += len(run.labelled)
        for sentence in run.failures:
            report.fail(sentence)
        if run.attention:
            report.notices.append(ngettext("{count} shipment waits in Needs attention: {shipments}.",
                                           "{count} shipments wait in Needs attention: {shipments}.",
                                           len(run.attention)).format(count=len(run.attention),
                                                                      shipments=", ".join(run.attention)))
        if run.stopped:
            report.notices.append(run.stopped)
        return run

    def run_pushed(self) -> PullResult | None:
        """Pull the shipments pushes named since the last time (one request for up to 30), then label them
        in automatic mode. A failure is logged: the next cycle's pull catches up."""
        names = self.pushes.take()
        if not names:
            return None
        with self._cycle_lock:
            report = CycleReport(started_at=self.now())
            try:
                result = self.flow.pull_named(names)
                self.health.heard_from(Service.ACUMATICA)
            except ConfigError:
                raise
            except ShipdeskError as exc:
                log.warning("pulling %d pushed shipment(s) failed (the next cycle pulls them): %s", len(names), exc)
                return None
            if self.lease.take():  # the pull is a hint anyone may take; labels only where the sync runs
                self._label_automatically(report, only=list(result.shipment_nbrs))
            report.pulled = result.pulled
            report.finished_at = self.now()
            log.info("pushed: %d pulled, %d ready, %d labelled%s", result.pulled, result.ready, report.labelled,
                     "".join(f"; {line}" for line in [*report.notices, *report.failures]))
            return result

    # -- Track Alert pushes -------------------------------------------------------------------------
    def receive_push(self, event: PushedEvent) -> bool:
        """Store one pushed event (the listener's sink); False for a number shipdesk does not track."""
        return wiring.store_push(event, self.now)

    def build_listener(self) -> AlertListener:
        """The Track Alert listener of the settings, storing each push with :meth:`receive_push`."""
        route = push_wiring.push_route(self.context, self.pushes)
        return wiring.build_listener(self.context, self.receive_push, self.now, routes=[route] if route else [])

    # -- the loop -----------------------------------------------------------------------------------
    def start(self, interval_seconds: float | None = None) -> None:
        """Run cycles on a background thread (and the listener, when enabled) until :meth:`stop`."""
        if self._thread is not None:
            return
        wanted = self.config.listener.enabled or self.context.config.acumatica.push.enabled
        if wanted and self.listener is None:
            self.listener = self.build_listener().start()
        interval = interval_seconds if interval_seconds is not None else self.config.interval_minutes * 60.0
        self._stop.clear()
        self._finished.clear()
        self._thread = threading.Thread(target=self._loop, args=(interval,), name="shipdesk-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 30.0, *, grace: float = STOP_GRACE_SECONDS) -> None:
        """Stop after the current step; polling in flight is abandoned (it is redone next cycle). The sync
        lease is given up, so another station takes the sync over at once.

        A cycle still inside an Acumatica request after ``grace`` seconds (Acumatica can take minutes to answer)
        has its session signed out from here, so the API seat is freed even when the process ends before the
        request does; the cycle's next Acumatica call then fails, and it stops."""
        self._stop.set()
        self._abort.set()
        self.pushes.wake()
        thread = self._thread
        if thread is not None:
            # waited on an Event, never Thread.join: a Ctrl+C interrupting join() on Python 3.11 marks the live
            # worker as stopped (threading's bpo-45274 handling), so the stop would not wait, nor sign it out
            if not self._finished.wait(grace if timeout is None else min(grace, timeout)):
                if self.flow.parts.abandon_session(thread):
                    log.info("the sync cycle's Acumatica session was signed out to stop now")
                    self._finished.wait(1.0)  # its request may go on for minutes: the seat is free
                else:
                    self._finished.wait(None if timeout is None else max(0.0, timeout - grace))
            self._thread = None
        if self.listener is not None:
            self.listener.stop()
            self.listener = None
        self.lease.release()

    def wait(self) -> None:
        """Block until the loop ends (Ctrl+C interrupts the wait in the main thread, harmlessly: an Event wait,
        not a join)."""
        while self.running:
            self._finished.wait(1.0)

    @property
    def running(self) -> bool:
        return self._thread is not None and not self._finished.is_set()

    def _loop(self, interval: float) -> None:
        told_elsewhere = ""  # standing by: said once per holder, not every time the lease is asked for
        try:
            while not self._stop.is_set():
                try:
                    report = self.run_cycle()
                except Exception as exc:  # the loop must outlive any single cycle
                    log.exception("sync cycle failed")
                    report = CycleReport(started_at=self.now(), finished_at=self.now())
                    report.fail(str(exc) if isinstance(exc, ShipdeskError)
                                else _("The sync failed: {reason!r}").format(reason=exc))
                if self.on_report is not None and (not report.runs_elsewhere
                                                   or report.runs_elsewhere != told_elsewhere):
                    self.on_report(report)
                told_elsewhere = report.runs_elsewhere
                # standing by for another station's sync: ask again soon, to take over when it stops
                standby = report.runs_elsewhere and interval > self.lease.ttl.total_seconds()
                self._wait_for_next_cycle(self.lease.ttl.total_seconds() if standby else interval)
        finally:
            self._finished.set()

    def _wait_for_next_cycle(self, interval: float) -> None:
        """Until the next cycle is due (or a stop); what pushes name meanwhile is pulled as it arrives."""
        deadline = time.monotonic() + interval
        while not self._stop.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            if self.pushes.wait(remaining) and not self._stop.is_set():
                try:
                    self.run_pushed()
                except Exception:  # the loop must outlive any push
                    log.exception("pulling pushed shipments failed")
