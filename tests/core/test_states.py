from __future__ import annotations

import pytest

from shipdesk.core.domain.states import LABEL_EXISTS, LABELS, TRANSITIONS, State, can_transition


def test_every_state_has_a_label_and_a_row_in_the_table():
    assert set(LABELS) == set(State) == set(TRANSITIONS)
    assert State.LABELLED.label == "Labelled, not written back"
    assert State("needs_attention") is State.NEEDS_ATTENTION
    assert State.IN_TRANSIT == "in_transit"  # stored and compared as plain text


@pytest.mark.parametrize(
    ("a", "b", "allowed"),
    [
        ("pending", "validating", True),
        ("ready", "requesting", True),
        ("requesting", "uncertain", True),
        ("requesting", "ready", False),  # an answer lost after sending is never "not sent"
        ("uncertain", "requesting", False),  # reconcile first, never call Ship blindly again
        ("labelled", "written_back", True),
        ("labelled", "ready", False),  # a write-back failure never leads to a second label
        ("written_back", "exception", True),
        ("exception", "delivered", True),
        ("delivered", "in_transit", False),
        ("failed", "ready", True),
        ("voided", "ready", True),
        ("in_transit", "in_transit", True),
    ],
)
def test_transitions(a, b, allowed):
    assert can_transition(a, b) is allowed


def test_a_label_may_exist_in_every_state_after_the_request():
    assert State.UNCERTAIN in LABEL_EXISTS and State.REQUESTING in LABEL_EXISTS
    assert State.FAILED not in LABEL_EXISTS and State.VOIDED not in LABEL_EXISTS
