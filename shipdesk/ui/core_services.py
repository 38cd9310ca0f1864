"""``CoreServices``: the ``Services`` protocol over ``shipdesk.core`` (store, ship flow, config, secrets).

The only UI module that touches core: it turns store records (``store_views``) and flow outcomes into
the plain values of ``view_data``, and tells ``ServiceHealth`` whether each service answered (what the
status bar shows). Every method runs on a bridge worker thread, never on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from babel.dates import format_date

from shipdesk.core.context import AppContext
from shipdesk.core.domain.outcomes import ProgressEvent, Reason, ShipOutcome
from shipdesk.core.domain.states import LABEL_EXISTS, State
from shipdesk.core.events import EventBus
from shipdesk.core.region import region_of
from shipdesk.core.settings import secrets
from shipdesk.core.settings.config import Config, load_config, save_config
from shipdesk.core.shipping import address_check
from shipdesk.core.shipping.breaker import ServiceBreakers
from shipdesk.core.shipping.labelling import headless_printer
from shipdesk.core.store import repository as repo
from shipdesk.errors import DeviceError, Service, ShipdeskError
from shipdesk.i18n import N_, _, current_locale, ngettext
from shipdesk.i18n.formats import money
from shipdesk.labels import DecodedLabel, PrinterProfile
from shipdesk.ui import store_views
from shipdesk.ui.packing_view import BoxChoice, PackChoice, PackingView, ServiceQuote, TickedOptions
from shipdesk.ui.service_health import ServiceHealth
from shipdesk.ui.store_views import known, local_time, ship_to
from shipdesk.ui.view_data import (
    ActionResult,
    AddressCheck,
    BatchProgress,
    Candidate,
    ChargeEstimate,
    EstimateLine,
    Listing,
    RateLine,
    Rates,
    RetryAction,
    ShipmentDetail,
    StatusInfo,
)
from shipdesk.ups.models import AddressCandidate
from shipdesk.ups.services import service_name

if TYPE_CHECKING:  # imported on first use: the flow pulls in both API clients
    from shipdesk.core.shipping.flow import ShipFlow
    from shipdesk.core.tracking.sync import SyncService

log = logging.getLogger(__name__)

ACUMATICA, UPS = Service.ACUMATICA, Service.UPS


def desktop_printer(profile: PrinterProfile, labels: Sequence[DecodedLabel], job_name: str) -> None:
    """System printers print through Qt (4x6 page, no margins); raw and folder printers as headless."""
    if profile.kind == "system":
        from shipdesk.labels.qt_printer import print_pdf_or_images

        # painting on a QPrinter is allowed off the GUI thread
        print_pdf_or_images(profile.queue, labels)
    else:
        headless_printer(profile, labels, job_name)


#: what a person does about each outcome that needs one (the batch results list them beside the failures;
#: English, marked: shown with ``_()``)
FIXES: dict[Reason, str] = {
    Reason.NEEDS_ATTENTION: N_("Correct it in Acumatica, press F5, then ship it again."),
    Reason.ADDRESS_AMBIGUOUS: N_("Select it and press Ctrl+Shift+V: pick UPS's address or keep it with a reason."),
    Reason.ADDRESS_UNKNOWN: N_("Correct the address in Acumatica, or keep it as entered with a reason (Ctrl+Shift+V)."),
    Reason.BUSY_ELSEWHERE: N_("Another window or the sync is on it: wait a moment, then press F5."),
    Reason.LABEL_EXISTS: N_("It has a label already: reprint it (Ctrl+P), or void it before labelling it again."),
    Reason.REFUSED: N_("Correct what UPS names, then ship it again."),
    Reason.NOT_SENT: N_("Nothing was bought: ship it again when UPS answers (see the status bar)."),
    Reason.UNCERTAIN: N_("Do not ship it again yet: shipdesk keeps looking for the label at UPS (detail pane)."),
    Reason.PRINT_FAILED: N_("Reprint it (Ctrl+P) when the printer is back."),
    Reason.LABEL_UNREADABLE: N_("Reprint it (Ctrl+P): shipdesk fetches the label again from UPS."),
    Reason.ERROR: N_("Ship it again when the problem above is solved."),
}


def fix_for(reason: Reason) -> str:
    """What to do about an outcome, in the chosen language ("" when nothing is to be done)."""
    return _(FIXES[reason]) if reason in FIXES else ""  # i18n: marked with N_()


def _outcome_result(outcome: ShipOutcome) -> ActionResult:
    message = outcome.message or outcome.state.label
    extra = [*outcome.problems, *outcome.warnings]
    if extra and not all(x in message for x in extra):
        message = " ".join([message, *[x for x in extra if x not in message]])
    fix = fix_for(outcome.reason) if not outcome.ok or outcome.warnings else ""
    charge = ""
    if outcome.ok and outcome.reason in (Reason.LABELLED, Reason.PRINT_FAILED, Reason.LABEL_UNREADABLE,
                                         Reason.WRITEBACK_PENDING):
        charge = store_views.charge_text(repo.latest_job(outcome.shipment_nbr))
    return ActionResult(outcome.shipment_nbr, outcome.ok, message, tuple(outcome.tracking_numbers), fix=fix,
                        charge=charge)


def _error_result(shipment: str, error: ShipdeskError) -> ActionResult:
    return ActionResult(shipment, False, str(error), fix=fix_for(Reason.ERROR))


def delivery_day(business_days: int | None, today: date) -> str:
    """The day a package sent today arrives after ``business_days`` (Monday to Friday), e.g. "Thu 10 Dec"
    ("jue 10 dic" in Spanish: the language's own short day and month names)."""
    if not business_days:
        return ""
    day, left = today, business_days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return format_date(day, "EEE d MMM", locale=current_locale())



def _address_check(shipment: str, status: str, classification: str,
                   candidates: Sequence[AddressCandidate]) -> AddressCheck:
    """The address dialog's view: the address as entered beside UPS's candidates."""
    return AddressCheck(
        shipment=shipment, entered=ship_to(repo.require_shipment(shipment)), status=status,
        classification=known(classification),
        candidates=tuple(Candidate(a.lines, a.city, a.state, a.postal_code, a.country, known(c.classification))
                         for c in candidates for a in (c.address,)))

class CoreServices:
    """Implements :class:`shipdesk.ui.services.Services` over an ``AppContext``."""

    def __init__(self, context: AppContext, *, config_path: Path | None = None,
                 file_config: Config | None = None) -> None:
        self.context = context
        self.demo = context.demo
        self._config_path = config_path
        #: what the settings dialog edits: the config file (in demo mode: not the demo settings)
        self.editable_config = file_config or context.config
        self.events: EventBus = context.events
        self._flow: ShipFlow | None = None
        self._sync: SyncService | None = None  # made on the first sync
        self._flow_lock = threading.RLock()
        #: fail at once while a service is known to be down (fed by the sync's outages and every call's answer)
        self.breakers = ServiceBreakers(self.events, context.now)
        self.health = ServiceHealth(self.events, refused=self.breakers.refused)
        self._last_sync: datetime | None = None
        self._sync_lock = threading.Lock()

    @property
    def config(self) -> Config:
        return self.context.config

    @property
    def data_folder(self) -> Path:
        return self.context.paths.root

    @property
    def flow(self) -> ShipFlow:
        """The ship flow, made on first use (importing it pulls in both API clients)."""
        with self._flow_lock:
            if self._flow is None:
                from shipdesk.core.shipping.flow import ShipFlow

                # one Acumatica session (one sign-in, one seat) for the app while in use, signed out when idle
                idle = self.config.acumatica.idle_sign_out_minutes * 60.0
                self._flow = ShipFlow(self.context, printer=desktop_printer, keep_session=idle,
                                      breakers=self.breakers)
            return self._flow

    # -- reading -----------------------------------------------------------------------------------
    def listing(self) -> Listing:
        return store_views.listing(self.config.ups.services)

    def detail(self, shipment: str) -> ShipmentDetail:
        return store_views.detail(
            shipment, self.config.ups.services, self.context.archive, now=self.context.now,
            offer_new_label_after=timedelta(minutes=self.config.ui.offer_new_label_after_minutes),
            station=self.context.station)

    def status(self) -> StatusInfo:
        pending = len(repo.jobs_in(State.LABELLED))
        interval = timedelta(minutes=self.config.sync.interval_minutes)
        last = self._last_sync
        return StatusInfo(
            acumatica=self.health.shown(ACUMATICA), ups=self.health.shown(UPS),
            last_sync=local_time(last, "%H:%M") if last else "",
            next_sync=local_time(last + interval, "%H:%M") if last else "",
            pending_writebacks=pending, demo=self.demo, sync_runs_at=self._sync_runs_at(),
            **self._automatic_status(),
        )

    def _automatic_status(self) -> dict[str, str]:
        if not self.config.ship.automatic:
            return {}
        from shipdesk.core.automatic import switch
        note = switch.stopped()
        if note is not None:
            return {"automatic": _("stopped"), "automatic_note": note.sentence}
        today = self.context.now().astimezone().date()
        return {"automatic": _("{count}/{cap} today").format(count=switch.labels_on(today),
                                                              cap=self.config.ship.daily_cap)}

    def _sync_runs_at(self) -> str:
        """Who runs the sync for all, when it is not this app: "PACK-02", or "shipdesk sync on this PC"."""
        from shipdesk.core.tracking.lease import who_runs_the_sync

        holder = who_runs_the_sync(self.context.now)
        mine = self._sync.lease.holder if self._sync is not None else ""
        if holder is None or holder.holder == mine:
            return ""
        return holder.station if holder.station != self.context.station else _("another shipdesk on this PC")

    # -- actions -----------------------------------------------------------------------------------
    def pull(self) -> str:
        with self.health.talking_to(ACUMATICA):
            result = self.flow.pull()
        read = ngettext("{count} shipment read from Acumatica, {new} new, {ready} ready.",
                        "{count} shipments read from Acumatica, {new} new, {ready} ready.",
                        result.pulled).format(count=result.pulled, new=result.new, ready=result.ready)
        if not result.needs_attention:
            return read
        attention = len(result.needs_attention)
        return read + " " + ngettext("{count} needs attention.", "{count} need attention.", attention).format(
            count=attention)

    def validate_address(self, shipment: str) -> AddressCheck:
        with self.health.talking_to(UPS):
            validation = self.flow.validate_address(shipment)
        return _address_check(shipment, validation.status, validation.classification, validation.candidates)

    def _address_to_decide(self, shipment: str) -> AddressCheck | None:
        """UPS's candidates when the last check found the address ambiguous, else None.

        The ship that just stopped validated the address and the core kept the candidates with it: reading
        them back spares UPS a second call. Only when they are missing is UPS asked again."""
        record = repo.require_shipment(shipment)
        if record.address_status != "ambiguous":
            return None
        stored = address_check.stored_candidates(shipment)
        if not stored:
            check = self.validate_address(shipment)
            return check if check.status == "ambiguous" and check.candidates else None
        return _address_check(shipment, "ambiguous", record.address_classification or "", stored)

    def choose_candidate(self, shipment: str, index: int) -> None:
        self.flow.choose_candidate(shipment, index)

    def override_address(self, shipment: str, reason: str) -> None:
        self.flow.override_address(shipment, reason)

    def rate(self, shipment: str, *, shop: bool = False) -> Rates:
        with self.health.talking_to(UPS, ACUMATICA):
            quotes = self.flow.rate(shipment, shop=shop)
        mapped = self.config.ups.services.get(repo.require_shipment(shipment).ship_via.strip(), "")
        today = self.context.now().astimezone().date()
        lines = tuple(RateLine(q.service_name or service_name(q.service_code),
                               money(q.total.amount, q.total.currency),
                               money(q.negotiated.amount, q.negotiated.currency) if q.negotiated else "",
                               str(q.business_days or ""), delivery_day(q.business_days, today),
                               mapped=q.service_code == mapped)
                      for q in sorted(quotes, key=lambda q: (q.negotiated or q.total).amount))
        charged = store_views.charge_text(repo.latest_job(shipment))
        note = (_("{shipment} is labelled already: UPS charged {amount}. These are today's quotes, for "
                  "comparison.").format(shipment=shipment, amount=charged) if charged else "")
        return Rates(shipment, lines, shop=shop, note=note)

    def estimate_charges(self, shipments: Sequence[str], *, cancel: threading.Event,
                         progress: Callable[[int], None]) -> ChargeEstimate:
        """A UPS rate quote for each shipment (one Rate call each, one Acumatica session for all)."""
        lines: list[EstimateLine] = []
        totals: dict[str, Decimal] = {}
        with self.health.talking_to(UPS, ACUMATICA), self.flow.session():
            for nbr in shipments:
                if cancel.is_set():
                    break
                try:
                    quotes = self.flow.rate(nbr)
                except ShipdeskError as error:
                    lines.append(EstimateLine(nbr, problem=str(error)))
                else:
                    quote = quotes[0] if quotes else None
                    price = (quote.negotiated or quote.total) if quote else None
                    if quote is None or price is None:
                        lines.append(EstimateLine(nbr, problem=_("UPS gave no rate.")))
                    else:
                        totals[price.currency] = totals.get(price.currency, Decimal(0)) + price.amount
                        lines.append(EstimateLine(nbr, quote.service_name or service_name(quote.service_code),
                                                  money(price.amount, price.currency)))
                progress(len(lines))
        return ChargeEstimate(tuple(lines), tuple(money(amount, currency) for currency, amount in totals.items()),
                              cancelled=cancel.is_set())

    def let_next_through(self, service: Service) -> None:
        """Retry pressed on "X has not been answering": the next call tries X whatever the breaker says."""
        self.breakers.let_next_through(service)

    def ship(self, shipment: str, *, print_labels: bool = True) -> ActionResult:
        with self.health.talking_to(UPS, ACUMATICA):
            outcome = self.flow.ship(shipment, print_labels=print_labels)
        result = _outcome_result(outcome)
        if outcome.state == State.NEEDS_ATTENTION:
            result = replace(result, address=self._address_to_decide(shipment))
        return result

    def ship_many(self, shipments: Sequence[str], *, cancel: threading.Event,
                  progress: Callable[[BatchProgress], None], print_labels: bool = True) -> list[ActionResult]:
        total = len(shipments)

        def report(event: ProgressEvent) -> None:
            progress(BatchProgress(event.done, total, event.shipment_nbr))

        with self.health.talking_to(UPS, ACUMATICA):
            outcomes = self.flow.ship_many(list(shipments), cancel=cancel, progress=report)
        results = [_outcome_result(o) for o in outcomes]
        progress(BatchProgress(len(results), total, "", None))
        return results

    def reprint(self, shipment: str) -> ActionResult:
        return _outcome_result(self.flow.reprint(shipment))

    def print_if_unprinted(self, shipment: str) -> ActionResult | None:
        from shipdesk.core.automatic.labeller import print_when_scanned
        outcome = print_when_scanned(self.flow, shipment)
        return _outcome_result(outcome) if outcome is not None else None

    def set_automatic(self, running: bool) -> str:
        from shipdesk.core.automatic import switch
        if running:
            switch.start()
            return _("Automatic labelling runs again.") if self.config.ship.automatic else \
                _("The switch is on; automatic labelling also needs Settings › Automatic labelling turned on.")
        note = switch.stopped() or switch.stop(_("stopped from the app"), now=self.context.now())
        return note.sentence

    def void(self, shipment: str) -> ActionResult:
        with self.health.talking_to(UPS, ACUMATICA):
            return _outcome_result(self.flow.void(shipment))

    def return_label(self, shipment: str, *, electronic: bool, email: str = "", rma: str = "") -> ActionResult:
        from shipdesk.core.shipping.returns import ReturnOptions  # the core is loaded once the app is up

        options = ReturnOptions(electronic=electronic, email=email, rma=rma)
        with self.health.talking_to(UPS, ACUMATICA):
            return _outcome_result(self.flow.return_label(shipment, options))

    # -- the packing station: packages, service and options, the day's summary ----------------------------
    def packing(self, shipment: str) -> PackingView:
        """The Pack dialog's view: packages as Acumatica has them, boxes, services with price and date."""
        from shipdesk.core.shipping.packing import default_options, delivery_date

        record = repo.get_shipment(shipment)
        if record is None:
            raise ShipdeskError(_("No shipment {shipment} in the list.").format(shipment=shipment),
                                hint=_("Press F5 to fetch it from Acumatica."))
        config = self.config
        labelled = record.state in LABEL_EXISTS
        quotes: list[ServiceQuote] = []
        if not labelled:
            try:
                with self.health.talking_to(UPS):
                    found = self.flow.rate(shipment, shop=True)
                today = datetime.now().date()
                quotes = [ServiceQuote(q.service_code, q.service_name or service_name(q.service_code),
                                       money(q.total.amount, q.total.currency),
                                       money(q.negotiated.amount, q.negotiated.currency) if q.negotiated else "",
                                       format_date(day, "EEE d MMM", locale=current_locale())
                                       if (day := delivery_date(today, q.business_days)) else "")
                          for q in found]
            except ShipdeskError as problem:  # the dialog still packs; the service list says UPS did not answer
                log.info("no quotes for %s: %s", shipment, problem)
        options = default_options(config, record.ship_via, record.customer_id, record.ship_to_email)
        signature = {"": "none", "signature": "required", "adult": "adult"}[options.signature]
        events = {"6": "ship", "7": "exception", "8": "delivery"}
        boxes = tuple(BoxChoice(b.name, Decimal(str(b.length)), Decimal(str(b.width)), Decimal(str(b.height)),
                                Decimal(str(b.tare))) for b in config.packing.boxes)
        packages = store_views.package_lines(shipment)
        scale = config.scale.device() if config.scale.kind != "none" else None
        return PackingView(shipment, record.ship_via, record.weight_unit or region_of(config).weight_unit, packages,
                           boxes,
                           config.ups.services.get(record.ship_via.strip(), ""),
                           TickedOptions(signature, options.saturday_delivery,
                                         tuple(events[c] for c in options.notifications), options.send_declared_value),
                           options.notify_email, scale.where if scale else "", tuple(quotes), labelled)

    def weigh(self, unit: str) -> tuple[Decimal, str]:
        """One stable weight from the station's scale, in ``unit`` (LB, KG), rounded up as UPS takes it."""
        from shipdesk.devices.scales import ups_weight, weigh

        reading = weigh(self.config.scale.device())
        return ups_weight(reading, "KGS" if unit.upper().startswith("KG") else "LBS"), reading.describe()

    def test_scale(self, config: Config) -> str:
        """The settings dialog's Test: what the scale shows, as a sentence."""
        from shipdesk.devices.scales import check_scale

        check = check_scale(config.scale.device())
        if not check.ok:
            raise DeviceError(check.message)
        return check.message

    def pack(self, shipment: str, choice: PackChoice, *, ship: bool) -> ActionResult:
        """Save the packages to Acumatica (read back); then, with ``ship``, buy the label with the choice."""
        from shipdesk.core.settings.config import Notify, Signature
        from shipdesk.core.shipping.packing import (
            NOTIFICATION_CODES,
            SIGNATURES,
            OptionChanges,
            PackageEdit,
            StationChoice,
        )

        edits = [PackageEdit(p.box, p.weight, p.length, p.width, p.height) for p in choice.packages]
        with self.health.talking_to(ACUMATICA):
            self.flow.edit_packages(shipment, edits)
        if not ship:
            return ActionResult(shipment, True, _("Packages of {shipment} saved in Acumatica.").format(
                shipment=shipment))
        ticked = choice.options
        changes = OptionChanges(signature=SIGNATURES[Signature(ticked.signature)],  # type: ignore[arg-type]
                                saturday_delivery=ticked.saturday_delivery,
                                notifications=tuple(NOTIFICATION_CODES[Notify(e)] for e in ticked.notify),
                                send_declared_value=ticked.declared_value)
        with self.health.talking_to(UPS, ACUMATICA):
            outcome = self.flow.ship(shipment, choice=StationChoice(choice.service, choice.reason, changes=changes))
        return _outcome_result(outcome)

    def day_summary(self, day: date, target: Path) -> str:
        """Write the day's summary PDF to ``target``; the sentence to show."""
        from shipdesk.core.day_report import write_day_report

        summary, path = write_day_report(self.context, day, "csv" if target.suffix.lower() == ".csv" else "pdf",
                                         target)
        totals = "; ".join(
            _("{shipments}, {packages}, {amount} negotiated").format(
                shipments=ngettext("{count} shipment", "{count} shipments", t.shipments).format(count=t.shipments),
                packages=ngettext("{count} package", "{count} packages", t.packages).format(count=t.packages),
                amount=money(t.negotiated, t.currency))
            for t in summary.totals) or _("nothing shipped")
        return _("Day summary {day} saved to {path}: {totals}; {voided} voided.").format(
            day=day.isoformat(), path=path, totals=totals, voided=len(summary.voids))

    def retry(self, shipment: str, action: RetryAction) -> ActionResult:
        if action is RetryAction.SHIP:
            return self.ship(shipment)
        if action is RetryAction.FORCE_NEW:  # the user confirmed: a new label although one may exist
            with self.health.talking_to(UPS, ACUMATICA):
                return _outcome_result(self.flow.ship(shipment, force_new_label=True))
        if action is RetryAction.WRITE_BACK:
            with self.health.talking_to(ACUMATICA):
                self.flow.retry_writebacks()
        elif action is RetryAction.RECONCILE:
            with self.health.talking_to(UPS):
                self.flow.reconcile_uncertain()
        else:
            # VALIDATE: the window's address dialog
            raise ValueError(f"{action} is not retried here")  # i18n: a programming error, never shown
        record = repo.require_shipment(shipment)
        state = State(record.state)
        ok = state not in (State.UNCERTAIN, State.FAILED, State.NEEDS_ATTENTION, State.LABELLED)
        said = _("{shipment}: {state}.").format(shipment=shipment, state=state.label)
        return ActionResult(shipment, ok, f"{said} {record.attention_reason}" if record.attention_reason and not ok
                            else said)

    def sync_once(self) -> str:
        if not self._sync_lock.acquire(blocking=False):
            return _("A sync is already running.")
        try:
            summary, ran_here = self._sync_cycle()
            if ran_here:
                self._last_sync = datetime.now().astimezone()
            return summary
        finally:
            self._sync_lock.release()

    def _sync_cycle(self) -> tuple[str, bool]:
        """One cycle of ``core.tracking.sync`` (pull, write-backs, uncertain jobs, tracking, statuses), or a
        word on who runs it when another station holds the sync; and whether it ran here."""
        from shipdesk.core.automatic.labeller import AutoLabeller
        from shipdesk.core.tracking.sync import SyncService

        with self._flow_lock:
            if self._sync is None:
                # automatic mode labels wherever the sync's lease is held: the app's cycle too when it holds it,
                # else a service that lost the lease to an app would leave automatic mode idle
                self._sync = SyncService(self.context, flow=self.flow, labeller=AutoLabeller(self.context))
            service = self._sync
        report = service.run_cycle()  # publishes outages and recoveries itself (heard by self.health)
        if report.runs_elsewhere:
            return report.summary(), False
        if report.pulled or not service.acumatica_watch.since:
            self.health.answered(ACUMATICA)
        if report.polled and not service.ups_watch.since:
            self.health.answered(UPS)
        return " ".join([report.summary(), *report.notices, *report.failures]), True

    # -- settings ----------------------------------------------------------------------------------
    def _context_for(self, config: Config, overrides: Mapping[str, str]) -> AppContext:
        """A context over the edited settings, sharing the open store; secrets typed in the dialog win."""
        fallback = secrets.get_secret if self.demo else self.context.secret

        def lookup(name: str) -> str:
            return overrides[name] if name in overrides else fallback(name)

        return replace(self.context, config=config, secret=lookup,
                       token_store=None if self.demo else self.context.token_store)

    def test_acumatica(self, config: Config, typed_secrets: Mapping[str, str]) -> str:
        ctx = self._context_for(config, typed_secrets)
        a = config.acumatica
        with ctx.acumatica(quick=True) as client:  # a wrong address fails in seconds, not after 30
            client.login()
            codes = client.ship_via_codes()  # proves the endpoint version exists, not only the login
        return _("Signed in to {url} as {user}; endpoint {endpoint} {version} answers ({count} Ship Via codes). "
                 "Signed out again.").format(url=a.url, user=a.username, endpoint=a.endpoint, version=a.version,
                                             count=len(codes))

    def test_ups(self, config: Config, typed_secrets: Mapping[str, str]) -> str:
        ctx = self._context_for(config, typed_secrets)
        client = ctx.ups_client(quick=True)
        try:
            info = client.ping()
        finally:
            client.close()
        return _("UPS accepted client {client} at {url}; the token is valid until {time} ({count} tokens granted "
                 "today).").format(client=config.ups.client_id, url=config.ups.base_url,
                                   time=local_time(info.expires_at, "%H:%M"), count=info.grants_today)

    def test_store(self, config: Config, typed_secrets: Mapping[str, str]) -> str:
        from shipdesk.core.store import probe_shared_store

        if not config.store.url:
            return _("No shared store: this PC keeps its own database ({location}). Several stations labelling the "
                     "same shipments should share one (docs/shared-store.md).").format(
                         location=self.context.store.location)
        password = typed_secrets.get("store.password") or secrets.find_secret("store.password")
        return probe_shared_store(config.store.url, password)

    def ship_via_codes(self, config: Config, typed_secrets: Mapping[str, str]) -> list[str]:
        ctx = self._context_for(config, typed_secrets)
        with ctx.acumatica(quick=True) as client:
            return [code for code, _description in client.ship_via_codes()]

    def save_settings(self, config: Config, new_secrets: dict[str, str]) -> Config:
        path = self._config_path or config.source
        if path is None:
            from shipdesk.core.settings.paths import config_path

            path = config_path()
        save_config(path, config)
        for name, value in new_secrets.items():
            secrets.set_secret(name, value)
        saved = load_config(path)
        self.editable_config = saved
        if not self.demo:  # demo keeps talking to the sandboxes until the app is restarted
            with self._flow_lock:
                self.context.reconfigure(saved)
                if self._flow is not None:
                    self._flow.close()  # its session signs out; the next is made with the new settings
                self._flow = self._sync = None  # made again, over the new settings
        return saved

    def close(self) -> None:
        self.health.close()
        if self._sync is not None:
            self._sync.lease.release()  # another station takes the sync over at once
        self.breakers.close()
        with self._flow_lock:
            if self._flow is not None:
                self._flow.close()  # the app's Acumatica session signs out
        self.context.close()  # this closes UPS and the store
