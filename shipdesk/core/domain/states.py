"""The states a shipment's label job moves through, which moves are allowed, and how the UI names them.

    pending → validating → ready → requesting → labelled → written_back → in_transit → delivered
plus needs_attention (a human must act), uncertain (UPS may or may not have made a label), voided,
failed (UPS refused), exception (UPS reported a delivery exception while tracking) and labelled_twice
(another station's label reached Acumatica first: this station's label is not written back).
"""

from __future__ import annotations

from enum import StrEnum

from shipdesk.i18n import N_, _


class State(StrEnum):
    PENDING = "pending"
    VALIDATING = "validating"
    READY = "ready"
    REQUESTING = "requesting"
    LABELLED = "labelled"
    WRITTEN_BACK = "written_back"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    NEEDS_ATTENTION = "needs_attention"
    UNCERTAIN = "uncertain"
    VOIDED = "voided"
    FAILED = "failed"
    EXCEPTION = "exception"
    LABELLED_TWICE = "labelled_twice"

    @property
    def label(self) -> str:
        """What the UI shows for this state, in the chosen language (``LABELS`` holds the English)."""
        return _(LABELS[self])  # i18n: marked with N_()


S = State

LABELS: dict[State, str] = {
    S.PENDING: N_("Waiting"),
    S.VALIDATING: N_("Checking address"),
    S.READY: N_("Ready to ship"),
    S.REQUESTING: N_("Creating label"),
    S.LABELLED: N_("Labelled, not written back"),
    S.WRITTEN_BACK: N_("Labelled"),
    S.IN_TRANSIT: N_("In transit"),
    S.DELIVERED: N_("Delivered"),
    S.NEEDS_ATTENTION: N_("Needs attention"),
    S.UNCERTAIN: N_("Label uncertain, check before shipping again"),
    S.VOIDED: N_("Voided"),
    S.FAILED: N_("UPS refused"),
    S.EXCEPTION: N_("Delivery exception"),
    S.LABELLED_TWICE: N_("Labelled twice"),
}

#: Allowed moves. Staying in the same state is always allowed (e.g. a re-pull of a pending shipment).
TRANSITIONS: dict[State, frozenset[State]] = {
    S.PENDING: frozenset({S.VALIDATING, S.READY, S.NEEDS_ATTENTION}),
    S.VALIDATING: frozenset({S.READY, S.NEEDS_ATTENTION, S.PENDING, S.FAILED}),
    S.READY: frozenset({S.REQUESTING, S.VALIDATING, S.NEEDS_ATTENTION, S.PENDING}),
    # a lost answer after sending makes the job uncertain, never "not sent"
    S.REQUESTING: frozenset({S.LABELLED, S.UNCERTAIN, S.FAILED, S.NEEDS_ATTENTION}),
    # a failed write-back stays labelled (last_error says why) and is retried by the sync
    S.LABELLED: frozenset({S.WRITTEN_BACK, S.VOIDED, S.LABELLED_TWICE}),
    # the write-back found another station's tracking numbers: void this label, or (once Acumatica's
    # numbers were cleared by a person) write it back after all
    S.LABELLED_TWICE: frozenset({S.VOIDED, S.LABELLED}),
    S.WRITTEN_BACK: frozenset({S.IN_TRANSIT, S.DELIVERED, S.EXCEPTION, S.VOIDED}),
    S.IN_TRANSIT: frozenset({S.DELIVERED, S.EXCEPTION, S.VOIDED}),
    S.EXCEPTION: frozenset({S.IN_TRANSIT, S.DELIVERED, S.VOIDED}),
    S.DELIVERED: frozenset(),
    S.NEEDS_ATTENTION: frozenset({S.PENDING, S.VALIDATING, S.READY, S.VOIDED}),
    # resolved by reconciliation: label found → labelled; none found → the user may ship again
    S.UNCERTAIN: frozenset({S.LABELLED, S.READY, S.NEEDS_ATTENTION, S.FAILED, S.VOIDED}),
    S.VOIDED: frozenset({S.PENDING, S.READY}),
    S.FAILED: frozenset({S.PENDING, S.VALIDATING, S.READY, S.NEEDS_ATTENTION}),
}

#: A UPS label exists, or may exist: shipping again needs an explicit user decision.
LABEL_EXISTS: frozenset[State] = frozenset(
    {S.REQUESTING, S.LABELLED, S.WRITTEN_BACK, S.IN_TRANSIT, S.EXCEPTION, S.DELIVERED, S.UNCERTAIN,
     S.LABELLED_TWICE}
)
#: Packages in these states are tracked by the sync.
TRACKED: frozenset[State] = frozenset({S.LABELLED, S.WRITTEN_BACK, S.IN_TRANSIT, S.EXCEPTION})
#: A label can be requested from these states.
SHIPPABLE: frozenset[State] = frozenset({S.PENDING, S.VALIDATING, S.READY, S.FAILED, S.VOIDED})


def can_transition(current: State | str, wanted: State | str) -> bool:
    a, b = State(current), State(wanted)
    return a == b or b in TRANSITIONS[a]
