"""Stations without a shared store: a claim left on the Acumatica shipment before the Ship call.

Each station then has its own database, so nothing but Acumatica is shared. Before it buys a label, a
station writes one line in the shipment's note (``[shipdesk claim] station=PACK-01; since=...; job=...``),
waits a little longer than a save takes, and reads the shipment back: when another station's fresh claim
is there (before or after its own write), it backs off and says who is labelling the shipment. The note
holds one claim line, so the last save wins and both stations read that same line back. The wait is
what makes it exact: another station's claim that was on its way when this one read the note has landed
by the read-back (a station decides on a read made just before its own save, so for both to go on one
save would have to take longer than the wait; it is 1.5 times this station's own claim save, network
included). The write-back's check (``writeback``) stays the net for the rest: a save slower than that, a
station of an older version, a number typed by hand. The claim is removed with the tracking numbers'
PUT, or when no label was made. It costs 2 Acumatica calls per label (a PUT and a GET) and the wait,
only in this mode; on the shared store the claim lives in the store (``NoClaims``).

The first time a station meets another's claim or label, it says once that the stations should share a
store (``advice_once``).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.errors import RecordChangedElsewhere, RecordRefused
from shipdesk.acumatica.models import Shipment
from shipdesk.acumatica.notes import line_with, merge_status_line, without_line
from shipdesk.core.clock import Clock
from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.store import audit_log, shipments, sync_state
from shipdesk.core.store.audit_log import Entry
from shipdesk.i18n import N_, _

log = logging.getLogger(__name__)

#: never translated, nor the "station=...; since=...; job=..." line after it: _LINE reads them back
MARKER = "[shipdesk claim]"
#: a claim older than this was left by a station that stopped (a label takes seconds): it is ignored
FRESH_FOR = timedelta(minutes=10)
#: the wait between this station's claim and its read-back: this many times its own save took, within bounds
SETTLE_FACTOR = 1.5
SETTLE_BOUNDS = (0.02, 3.0)
ADVISED_KEY = "stations.shared_store_advised"
ADVICE = N_("Several shipdesk stations are labelling the same Acumatica shipments, each with a database of "
            "its own. Give them one shared store (docs/shared-store.md): then a shipment is labelled exactly "
            "once, whichever station presses Ship.")
_LINE = re.compile(r"station=(?P<station>.*?); since=(?P<since>\S+); job=(?P<job>\S*)")


@dataclass(frozen=True)
class Claim:
    station: str
    since: datetime
    job_id: str


def claim_line(station: str, since: datetime, job_id: str) -> str:
    return f"station={station}; since={since.isoformat(timespec='seconds')}; job={job_id}"


def claim_in(note: str) -> Claim | None:
    """The claim written in a shipment's note, if any (an unreadable line counts as none)."""
    text = line_with(note, MARKER)
    found = _LINE.fullmatch(text.strip()) if text else None
    if found is None:
        return None
    try:
        since = datetime.fromisoformat(found["since"])
    except ValueError:
        return None
    return Claim(found["station"].strip(), since, found["job"])


class Claims(Protocol):
    def claim(self, acu: AcumaticaClient, shipment: Shipment, job_id: str) -> ShipOutcome | None:
        """None: go on and buy the label; an outcome: another station is labelling it (nothing sent). The
        audit entry of a claim left (:meth:`claimed`) is the caller's to write, with the job's flip."""
        ...

    def claimed(self, shipment_nbr: str, job_id: str) -> list[Entry]:
        """The audit entry of the claim :meth:`claim` left for the job (none when claims leave nothing)."""
        ...

    def withdraw(self, acu: AcumaticaClient, shipment_nbr: str) -> None:
        """No label was made after all: remove this station's claim."""
        ...

    def note_after_writeback(self, note: str) -> str | None:
        """The note to save with the tracking numbers (the claim removed), or None to leave it."""
        ...

    @property
    def reads_before_writing(self) -> bool:
        """Read the shipment again right before the write-back (another station may have written)."""
        ...


class NoClaims:
    """The shared store: the claim is the store's live job and its lock, so nothing is written to Acumatica."""

    reads_before_writing = False

    def claim(self, acu: AcumaticaClient, shipment: Shipment, job_id: str) -> ShipOutcome | None:
        return None

    def claimed(self, shipment_nbr: str, job_id: str) -> list[Entry]:
        return []

    def withdraw(self, acu: AcumaticaClient, shipment_nbr: str) -> None:
        return None

    def note_after_writeback(self, note: str) -> str | None:
        return None


class NoteClaims:
    """One station's own database: claims in the Acumatica shipment's note (see the module's docstring)."""

    reads_before_writing = True

    def __init__(self, station: str, now: Clock, sleep: Callable[[float], None] = time.sleep) -> None:
        self.station = station
        self.now = now
        self.sleep = sleep
        self.calls = 0  # Acumatica calls the claims cost (the benchmark and the tests count them)
        self.prevented = 0  # claims of other stations seen: a second label not bought
        self.waited = 0.0  # seconds spent waiting for other stations' claims to land

    def claim(self, acu: AcumaticaClient, shipment: Shipment, job_id: str) -> ShipOutcome | None:
        now = self.now()
        other = self._other(shipment.note, now)
        if other is not None:
            return self._back_off(shipment.shipment_nbr, other, job_id)
        note = merge_status_line(shipment.note, claim_line(self.station, now, job_id), marker=MARKER)
        started = time.monotonic()
        try:
            acu.save_shipment_note(shipment, note)
        except RecordChangedElsewhere:  # another save landed at the same moment: the read-back says whose
            log.info("claim on %s met another save; reading it back", shipment.shipment_nbr)
        except RecordRefused as exc:  # Acumatica refuses to save this shipment at all: its tracking numbers too
            self.calls += 1
            return _unsaveable(shipment.shipment_nbr, exc)
        low, high = SETTLE_BOUNDS
        settle = min(max((time.monotonic() - started) * SETTLE_FACTOR, low), high)
        self.sleep(settle)  # a claim another station was saving meanwhile lands before the read-back
        self.waited += settle
        read = acu.get_shipment(shipment.shipment_nbr)
        self.calls += 2
        other = self._other(read.note, now)
        if other is not None:
            return self._back_off(shipment.shipment_nbr, other, job_id)
        if claim_in(read.note) is None:  # our line did not land (the other save won, then left): none is there
            return self._back_off(shipment.shipment_nbr, Claim(_("another station"), now, ""), job_id)
        return None

    def claimed(self, shipment_nbr: str, job_id: str) -> list[Entry]:
        return [Entry(AuditAction.CLAIMED, shipment_nbr, job_id, _("claim left on the Acumatica shipment"))]

    def withdraw(self, acu: AcumaticaClient, shipment_nbr: str) -> None:
        try:
            current = acu.get_shipment(shipment_nbr)
            mine = claim_in(current.note)
            if mine is not None and mine.station == self.station:
                acu.save_shipment_note(current, without_line(current.note, MARKER))
                self.calls += 2
        except Exception as exc:  # a claim left behind goes stale by itself: never fail a shipment over it
            log.info("claim on %s not removed: %s", shipment_nbr, exc)

    def note_after_writeback(self, note: str) -> str | None:
        mine = claim_in(note)
        if mine is None or mine.station != self.station:
            return None
        return without_line(note, MARKER)

    def _other(self, note: str, now: datetime) -> Claim | None:
        """Another station's claim that is still fresh."""
        found = claim_in(note)
        if found is None or found.station == self.station:
            return None
        return found if now - found.since < FRESH_FOR else None

    def _back_off(self, nbr: str, other: Claim, job_id: str) -> ShipOutcome:
        self.prevented += 1
        audit_log.record(AuditAction.CLAIM_SEEN, shipment_nbr=nbr, job_id=job_id,
                         detail=_("{station} claimed it at {time}").format(
                             station=other.station, time=other.since.isoformat(timespec="seconds")))
        since = other.since.astimezone().strftime("%H:%M:%S")
        warnings = tuple(filter(None, [advice_once()]))
        said = _("Shipment {shipment} is being labelled right now at {station} (its claim on the Acumatica shipment "
                 "is from {time}); no label was bought here.").format(shipment=nbr, station=other.station, time=since)
        return ShipOutcome(nbr, False, State.READY, said, warnings=warnings, reason=Reason.CLAIMED_ELSEWHERE)


def _unsaveable(nbr: str, exc: RecordRefused) -> ShipOutcome:
    """No label is bought for a shipment Acumatica will not save: its tracking numbers could not be written."""
    sentence = f"{exc} " + _("No label was bought: Acumatica would refuse its tracking numbers too.")
    if not shipments.settle(nbr, State.NEEDS_ATTENTION, reason=sentence):
        said = _("Shipment {shipment} was labelled meanwhile.").format(shipment=nbr)
        return ShipOutcome(nbr, False, shipments.state_of(nbr), said,
                           reason=Reason.LABEL_EXISTS)
    return ShipOutcome(nbr, False, State.NEEDS_ATTENTION, sentence, problems=(sentence,),
                       reason=Reason.NEEDS_ATTENTION)


def advice_once() -> str | None:
    """The advice to share a store, the first time this station meets another one; None afterwards."""
    if sync_state.get_value(ADVISED_KEY):
        return None
    sync_state.set_value(ADVISED_KEY, "1")
    return _(ADVICE)  # i18n: N_()-marked above
