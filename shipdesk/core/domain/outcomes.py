"""What the ship flow hands back to its callers (CLI, desktop app, sync): plain, typed, JSON-ready.

Every ``ShipOutcome`` carries a ``reason`` for code to branch on and a ``message`` for a person to read;
code never looks for words in the message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from shipdesk.core.domain.states import LABELS, State


class Reason(StrEnum):
    """Why a shipment's outcome is what it is."""

    # the label exists
    LABELLED = "labelled"  # labelled (or the label found at UPS), printed if asked, written back
    ALREADY_LABELLED = "already_labelled"  # done by an earlier run: reported as it is, nothing sent
    PRINT_FAILED = "print_failed"  # labelled and written back, but the printer failed: reprint it
    LABEL_UNREADABLE = "label_unreadable"  # UPS's label data is unusable: nothing printed, Reprint recovers it
    WRITEBACK_PENDING = "writeback_pending"  # labelled, but Acumatica does not have it yet: the sync retries
    REPRINTED = "reprinted"
    # nothing was sent to UPS
    NEEDS_ATTENTION = "needs_attention"  # data missing or wrong in Acumatica: ``problems`` says what to fix
    ADDRESS_AMBIGUOUS = "address_ambiguous"  # UPS has several candidates: a person picks one
    ADDRESS_UNKNOWN = "address_unknown"  # UPS does not know the address: fix it, or override with a reason
    BUSY_ELSEWHERE = "busy_elsewhere"  # another window, command, station or the sync is working on this label now
    LABEL_EXISTS = "label_exists"  # another job of the shipment has (or may have) a label
    CLAIMED_ELSEWHERE = "claimed_elsewhere"  # (no shared store) another station's claim is on the Acumatica shipment
    # UPS was asked
    REFUSED = "refused"  # UPS refused the request: fix what it says, then ship again
    NOT_SENT = "not_sent"  # the request never reached UPS (unreachable, throttling, credentials): ship again
    UNCERTAIN = "uncertain"  # the answer was lost and UPS lists no label yet: wait, or force a new label
    LABELLED_TWICE = "labelled_twice"  # (no shared store) Acumatica had another station's label: ours not written
    # voiding
    VOIDED = "voided"
    VOID_NOT_CLEARED = "void_not_cleared"  # voided at UPS; Acumatica still shows the tracking numbers
    # anything else that stopped this shipment (configuration, a service down): the message says what
    ERROR = "error"


@dataclass(frozen=True)
class ShipOutcome:
    """One shipment's result. ``ok`` is False when a person must act (the message says what to do)."""

    shipment_nbr: str
    ok: bool
    state: State
    message: str = ""
    tracking_numbers: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # missing data, one sentence each
    warnings: tuple[str, ...] = ()  # label made, but something to know (e.g. printing failed)
    job_id: str = ""
    printed: bool = False
    written_back: bool = False
    reason: Reason = field(kw_only=True)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["state"] = self.state.value
        data["state_label"] = LABELS[self.state]  # machine output: the English label, whatever the language
        data["reason"] = self.reason.value
        return data


@dataclass(frozen=True)
class PullResult:
    pulled: int  # shipments read from Acumatica this time
    new: int
    ready: int  # of those pulled, ready to ship
    needs_attention: tuple[tuple[str, str], ...] = ()  # (shipment number, reason)
    skipped: int = 0  # already labelled by shipdesk: only Acumatica's status was refreshed
    watermark: str = ""
    shipment_nbrs: tuple[str, ...] = field(default=(), repr=False)  # the shipments pulled (not in the JSON)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("shipment_nbrs")
        data["needs_attention"] = [{"shipment": n, "reason": r} for n, r in self.needs_attention]
        return data


@dataclass(frozen=True)
class ProgressEvent:
    shipment_nbr: str
    step: str  # checking, validating, labelling, printing, writing_back, done
    done: int = 0  # shipments finished so far (multi-shipment runs)
    total: int = 1


Progress = Callable[[ProgressEvent], None]
