"""What the ship flow hands back to its callers (CLI, desktop app, sync): plain, typed, JSON-ready."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from shipdesk.core.domain.states import State


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

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["state"] = self.state.value
        data["state_label"] = self.state.label
        return data


@dataclass(frozen=True)
class PullResult:
    pulled: int  # shipments read from Acumatica this time
    new: int
    ready: int  # of those pulled, ready to ship
    needs_attention: tuple[tuple[str, str], ...] = ()  # (shipment number, reason)
    skipped: int = 0  # already labelled by shipdesk: only Acumatica's status was refreshed
    watermark: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["needs_attention"] = [{"shipment": n, "reason": r} for n, r in self.needs_attention]
        return data


@dataclass(frozen=True)
class ProgressEvent:
    shipment_nbr: str
    step: str  # checking, validating, labelling, printing, writing_back, done
    done: int = 0  # shipments finished so far (multi-shipment runs)
    total: int = 1


Progress = Callable[[ProgressEvent], None]
