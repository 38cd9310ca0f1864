"""``pull``, ``list``, ``validate``, ``rate``, ``ship``, ``void``, ``reprint``: the shipping jobs, over ``ShipFlow``."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation

from babel.dates import format_date

from shipdesk.cli.exit_codes import EXIT_INTERRUPTED, EXIT_OK, EXIT_SOME_FAILED
from shipdesk.cli.output import Output, outcome_line, progress_bar
from shipdesk.core.context import AppContext
from shipdesk.core.domain.outcomes import Reason
from shipdesk.core.domain.states import State
from shipdesk.core.settings.config import Notify, Signature
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.shipping.packing import NOTIFICATION_CODES, SIGNATURES, OptionChanges, StationChoice, delivery_date
from shipdesk.core.store import repository
from shipdesk.core.store.charges import label_charges
from shipdesk.errors import ConfigError
from shipdesk.i18n import _, current_locale, ngettext
from shipdesk.i18n.formats import money
from shipdesk.stopping import request_stop

#: outcomes of ``ship --all-ready`` that another station or window took care of (no label bought here)
TAKEN_ELSEWHERE = frozenset({Reason.BUSY_ELSEWHERE, Reason.LABEL_EXISTS, Reason.CLAIMED_ELSEWHERE})


def pull(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    result = ShipFlow(context).pull()
    lines = [ngettext("Pulled {count} shipment from Acumatica ({new} new): {ready} ready to ship, {attention} need "
                      "attention.",
                      "Pulled {count} shipments from Acumatica ({new} new): {ready} ready to ship, {attention} need "
                      "attention.", result.pulled).format(count=result.pulled, new=result.new, ready=result.ready,
                                                           attention=len(result.needs_attention))]
    lines += [f"  {nbr}: {reason}" for nbr, reason in result.needs_attention]
    out.emit(result.to_json(), lines)
    return EXIT_OK


def list_shipments(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    states = states_named(args.state) if args.state else None
    listing = repository.list_shipments(states)
    rows = [row._asdict() for row in listing.rows]
    priced = label_charges()  # the label's service and what UPS charged for it
    for row in rows:
        found = priced.get(str(row["shipment_nbr"]))
        row["service_code"] = found.service_code if found else ""
        row["charges"] = found.to_json() if found else None

    def elsewhere(row: dict[str, object]) -> str:  # a label made at another station says where
        at_another = row["station"] and row["station"] != context.station
        return " " + _("(at {station})").format(station=row["station"]) if at_another else ""

    def charged(row: dict[str, object]) -> str:  # what UPS charged for the label, as the clerk reads it
        found = priced.get(str(row["shipment_nbr"]))
        amount = (found.negotiated or found.published) if found else None
        return f"  {found.service_code} {money(amount, found.currency)}" if found and amount is not None else ""

    lines = [f"{r['shipment_nbr']:<10} {state_words(State(r['state'])):<28} {r['ship_to_name'][:30]:<30} "
             f"{r['tracking_numbers'] or r['attention_reason'][:60]}{elsewhere(r)}{charged(r)}" for r in rows]
    lines.append(ngettext("{count} shipment.", "{count} shipments.", len(rows)).format(count=len(rows)))
    out.emit({"shipments": rows, "counts": listing.counts}, lines)
    return EXIT_OK


def states_named(text: str) -> list[State]:
    """The states ``--state`` names: the internal name (``needs_attention``) or what the table shows
    ("Needs attention"), any case, spaces or ``_``/``-``. "labelled" means both labelled states: the table
    says "Labelled" for a written-back label, and "Labelled, not written back" for one still to write."""
    wanted = _plain(text)
    found = [s for s in State if wanted in (_plain(s.value), _plain(s.label), _plain(state_words(s)))]
    if wanted == _plain(State.LABELLED.value):
        found = [State.LABELLED, State.WRITTEN_BACK]
    if not found:
        raise ConfigError(_("'{text}' is not a state.").format(text=text),
                          hint=_("Use one of: {states}.").format(
                              states=", ".join(f"{s.value} ({state_words(s)})" for s in State)))
    return found


def state_words(state: State) -> str:
    """A state as the list shows it, in the chosen language."""
    return _(state.label)  # i18n: a state's label (marked where the states are defined)


def address_status_words(status: str) -> str:
    """UPS's address check result (``valid``, ``ambiguous``, ``no_candidates``) as the sentence says it."""
    words = {"valid": _("valid"), "ambiguous": _("ambiguous"), "no_candidates": _("no candidates")}
    return words.get(status, status.replace("_", " "))


def classification_words(classification: str) -> str:
    words = {"residential": _("residential"), "commercial": _("commercial"), "unknown": _("type unknown")}
    return words.get(classification, classification)


def short_date(day: date) -> str:
    """``Tue 09 Jun`` (en), ``mar 09 jun`` (es): a delivery date the language's way."""
    return format_date(day, "EEE dd MMM", locale=current_locale())


def _plain(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").replace(",", " ").split())


def validate(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    flow = ShipFlow(context)
    if args.override:
        flow.override_address(args.shipment, args.override)
        out.emit({"shipment": args.shipment, "status": "overridden"},
                 [_("Address check of {shipment} overridden: {reason}").format(shipment=args.shipment,
                                                                                reason=args.override)])
        return EXIT_OK
    if args.choose is not None:  # 0 is a wrong candidate number, not "no choice"
        flow.choose_candidate(args.shipment, args.choose - 1)
        out.emit({"shipment": args.shipment, "status": "chosen", "candidate": args.choose},
                 [_("Candidate {number} will be used for {shipment}.").format(number=args.choose,
                                                                              shipment=args.shipment)])
        return EXIT_OK
    result = flow.validate_address(args.shipment)
    candidates = [{"lines": list(c.address.lines), "city": c.address.city, "state": c.address.state,
                   "postal_code": c.address.postal_code, "country": c.address.country,
                   "classification": c.classification} for c in result.candidates]
    lines = [_("{shipment}: address {status} ({classification}).").format(
        shipment=args.shipment, status=address_status_words(result.status),
        classification=classification_words(result.classification))]
    lines += [f"  {i}. {', '.join(c['lines'])}, {c['city']} {c['state']} {c['postal_code']} {c['country']}"
              for i, c in enumerate(candidates, start=1)]
    if result.status == "ambiguous":
        lines.append(_("Pick one with `shipdesk validate {shipment} --choose N`.").format(shipment=args.shipment))
    out.emit({"shipment": args.shipment, "status": result.status, "classification": result.classification,
              "candidates": candidates}, lines)
    return EXIT_OK if result.status == "valid" else EXIT_SOME_FAILED


def rate(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    quotes = ShipFlow(context).rate(args.shipment, shop=args.shop)
    today = context.now().date()
    data = [{"service_code": q.service_code, "service_name": q.service_name, "total": str(q.total.amount),
             "currency": q.total.currency, "negotiated": str(q.negotiated.amount) if q.negotiated else None,
             "business_days": q.business_days, "delivery_date": delivery_date(today, q.business_days),
             "guaranteed": q.guaranteed} for q in quotes]
    delivery = [delivery_date(today, q.business_days) for q in quotes]
    lines = [f"{q.service_name or q.service_code:<28} {money(q.total.amount, q.total.currency):>14}"
             + ("  " + _("(negotiated {amount})").format(amount=money(q.negotiated.amount, q.negotiated.currency))
                if q.negotiated else "")
             + ("  " + _("delivery {date}").format(date=short_date(day)) if day else "")
             for q, day in zip(quotes, delivery, strict=True)]
    out.emit({"shipment": args.shipment, "quotes": data}, lines)
    return EXIT_OK


def ship(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    if bool(args.shipments) == bool(args.all_ready):
        raise ConfigError(_("Name the shipments to ship, or use --all-ready (not both)."))
    if args.force_new_label and args.all_ready:
        raise ConfigError(_("--force-new-label needs the shipments named one by one, not --all-ready."))
    choice = station_choice(args)
    if choice is not None and len(args.shipments) != 1:
        raise ConfigError(_("--service and the options are for one shipment at a time: name exactly one."))
    flow = ShipFlow(context, correct_confirmed=args.correct_confirmed)
    with flow.session():  # one Acumatica sign-in for the whole command: reconcile, pull and every label
        settled = flow.reconcile_uncertain()  # labels an earlier, interrupted run may have left
        nbrs = list(args.shipments)
        attention: tuple[tuple[str, str], ...] = ()
        if args.all_ready:
            # labels an earlier run bought but could not write back (a crash, an Acumatica outage): "every
            # ready shipment" includes finishing them, or the day ends with boxes Acumatica knows no tracking of
            settled += flow.retry_writebacks()
            attention = flow.pull().needs_attention
            nbrs = flow.ready_shipments()
        cancel = threading.Event()
        progress = progress_bar() if len(nbrs) > 1 and sys.stderr.isatty() and not out.as_json else None
        with _cancel_on_ctrl_c(cancel):
            if choice is not None:
                outcomes = [flow.ship(nbrs[0], print_labels=not args.no_print, accept_ambiguous=args.accept_address,
                                      force_new_label=args.force_new_label, choice=choice)]
            else:
                outcomes = flow.ship_many(nbrs, cancel, progress, print_labels=not args.no_print,
                                          accept_ambiguous=args.accept_address,
                                          force_new_label=args.force_new_label)
    lines = [_("Earlier run: {outcome}").format(outcome=outcome_line(o)) for o in settled]
    lines += [outcome_line(o) for o in outcomes]
    shipped = sum(o.ok for o in outcomes)
    # --all-ready beside other stations: a shipment one of them took meanwhile is theirs, not a failure here
    taken = sum(o.reason in TAKEN_ELSEWHERE for o in outcomes) if args.all_ready else 0
    lines.append(labelled_sentence(shipped, len(nbrs), taken, stopped=cancel.is_set()))
    unfinished = [o for o in settled if not o.ok]  # still labelled and not written back, or still uncertain
    if unfinished and args.all_ready:
        lines.append(ngettext("{count} label of earlier runs not finished yet (the 'Earlier run' lines say why).",
                              "{count} labels of earlier runs not finished yet (the 'Earlier run' lines say why).",
                              len(unfinished)).format(count=len(unfinished)))
    if attention:
        lines.append(ngettext("{count} shipment from Acumatica needs attention before it can ship:",
                              "{count} shipments from Acumatica need attention before they can ship:",
                              len(attention)).format(count=len(attention)))
        lines += [f"  {nbr}: {reason}" for nbr, reason in attention]
    out.emit({"results": [o.to_json() for o in outcomes], "cancelled": cancel.is_set(),
              "earlier_runs": [o.to_json() for o in settled],
              "needs_attention": [{"shipment": n, "reason": r} for n, r in attention]}, lines)
    if cancel.is_set():  # one Ctrl+C: stopped after the current shipment, and said so as every Ctrl+C is
        return EXIT_INTERRUPTED
    all_done = shipped + taken == len(nbrs) and not (args.all_ready and unfinished)
    return EXIT_OK if all_done else EXIT_SOME_FAILED


def labelled_sentence(shipped: int, total: int, taken: int, *, stopped: bool) -> str:
    """``3 of 4 shipments labelled, 1 by another station or window (stopped early).``"""
    if taken and stopped:
        text = ngettext("{shipped} of {total} shipment labelled, {taken} by another station or window (stopped "
                        "early).", "{shipped} of {total} shipments labelled, {taken} by another station or window "
                        "(stopped early).", total)
    elif taken:
        text = ngettext("{shipped} of {total} shipment labelled, {taken} by another station or window.",
                        "{shipped} of {total} shipments labelled, {taken} by another station or window.", total)
    elif stopped:
        text = ngettext("{shipped} of {total} shipment labelled (stopped early).",
                        "{shipped} of {total} shipments labelled (stopped early).", total)
    else:
        text = ngettext("{shipped} of {total} shipment labelled.", "{shipped} of {total} shipments labelled.", total)
    return text.format(shipped=shipped, total=total, taken=taken)


def station_choice(args: argparse.Namespace) -> StationChoice | None:
    """``--service/--reason`` and the option flags as the station's choice (None: none given)."""
    given = (args.service, args.signature, args.saturday, args.notify, args.declared_value)
    if all(value is None for value in given):
        return None
    if args.service and not args.reason.strip():
        raise ConfigError(_("Say why the shipment goes with another service than its Ship Via's (--reason)."),
                          hint=_("The reason is kept in the history and written to the shipment's note."))
    notify = None
    if args.notify is not None:
        events = [e.strip().lower() for e in args.notify.split(",") if e.strip() and e.strip().lower() != "none"]
        unknown = [e for e in events if e not in {n.value for n in Notify}]
        if unknown:
            raise ConfigError(_("--notify takes ship, exception, delivery or none, not {given}.").format(
                given=", ".join(unknown)))
        notify = tuple(NOTIFICATION_CODES[Notify(e)] for e in events)
    declared, send_declared = None, None
    if args.declared_value is not None:
        if args.declared_value.strip().lower() == "none":
            send_declared = False
        else:
            try:
                declared = Decimal(args.declared_value)
            except InvalidOperation:
                raise ConfigError(_("--declared-value takes an amount or none, not {given}.").format(
                    given=repr(args.declared_value))) from None
    changes = OptionChanges(signature=SIGNATURES[Signature(args.signature)] if args.signature else None,  # type: ignore[arg-type]
                            saturday_delivery=args.saturday, notifications=notify,
                            send_declared_value=send_declared, declared_value=declared)
    return StationChoice(service=(args.service or "").strip(), reason=args.reason, changes=changes)


def void(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    outcome = ShipFlow(context).void(args.shipment)
    out.emit(outcome.to_json(), [outcome_line(outcome)])
    return EXIT_OK if outcome.ok else EXIT_SOME_FAILED


def reprint(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    outcome = ShipFlow(context).reprint(args.shipment)
    out.emit(outcome.to_json(), [outcome.message])
    return EXIT_OK


@contextlib.contextmanager
def _cancel_on_ctrl_c(cancel: threading.Event) -> Iterator[None]:
    """First Ctrl+C: finish the current shipment, then stop. Second: stop now (jobs stay safe)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        if cancel.is_set():
            request_stop(KeyboardInterrupt())  # now, but never in the middle of an Acumatica sign-in or sign-out
            return
        cancel.set()
        sys.stderr.write("\n" + _("Stopping after the current shipment (Ctrl+C again to stop now).") + "\n")

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
