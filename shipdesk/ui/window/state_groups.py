"""The state groups in the window's left-hand list: which job states each one shows. No Qt."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shipdesk.core.domain.states import State
from shipdesk.i18n import N_


@dataclass(frozen=True)
class StateGroup:
    """``title`` and ``hint`` are the English (marked ``N_``): show them with ``_()``."""

    key: str
    title: str
    states: frozenset[str] | None  # None = every state
    hint: str = ""


def _g(key: str, title: str, hint: str, *states: State) -> StateGroup:
    return StateGroup(key, title, frozenset(s.value for s in states), hint)


ALL = StateGroup("all", N_("All"), None, N_("Every shipment known on this PC"))

#: in the order the list shows them; every State belongs to exactly one group besides "All"
GROUPS: tuple[StateGroup, ...] = (
    ALL,
    # shipments still to ship, including one whose label is being created right now
    _g("ready", N_("Ready"), N_("Released in Acumatica, waiting for a label"),
       State.PENDING, State.VALIDATING, State.READY, State.REQUESTING),
    _g("attention", N_("Needs attention"), N_("Something must be fixed first: the reason is in the detail pane"),
       State.NEEDS_ATTENTION, State.LABELLED_TWICE),
    _g("labelled", N_("Awaiting write-back"),
       N_("Label made, tracking numbers not yet in Acumatica (retried by the sync)"), State.LABELLED),
    _g("written_back", N_("Labelled"), N_("Label made and tracking numbers in Acumatica"), State.WRITTEN_BACK),
    _g("in_transit", N_("In transit"), N_("UPS has scanned the package"), State.IN_TRANSIT),
    _g("exception", N_("Exception"), N_("UPS reports a delivery exception"), State.EXCEPTION),
    _g("delivered", N_("Delivered"), N_("UPS delivered it"), State.DELIVERED),
    _g("voided", N_("Voided"), N_("The UPS label was cancelled"), State.VOIDED),
    _g("problem", N_("Uncertain / Failed"), N_("UPS refused the label, or may have made one: check before "
                                             "shipping again"), State.UNCERTAIN, State.FAILED),
)

_GROUP_OF_STATE = {s: g.key for g in GROUPS if g.states for s in g.states}


def group_of(state: str) -> str:
    """The group key a state value belongs to ("all" for an unknown value)."""
    return _GROUP_OF_STATE.get(state, "all")


def group_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """State value → count, folded into group key → count (with "all" the total)."""
    out = {g.key: 0 for g in GROUPS}
    for state, n in counts.items():
        out["all"] += n
        key = group_of(state)
        if key != "all":
            out[key] += n
    return out
