"""Address validation decisions: policy, ambiguous candidates, overrides, and re-checking an edited address."""

from __future__ import annotations

import pytest

from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.shipping import address_check
from shipdesk.core.store import audit_log, open_store, repository
from shipdesk.errors import AddressNeedsAttention
from shipdesk.ups.models import AddressCandidate, AddressValidation, UpsAddress

from .factories import address, shipment

CANDIDATES = (
    AddressCandidate(UpsAddress(("100 MAIN ST",), "SPRINGFIELD", "IL", "62701", "US"), "commercial"),
    AddressCandidate(UpsAddress(("100 MAIN ST",), "SPRINGFIELD", "MA", "01103", "US"), "residential"),
)


@pytest.fixture
def store(tmp_path):
    opened = open_store(tmp_path / "data")
    yield opened
    opened.close()


class FakeUps:
    def __init__(self, answer: AddressValidation) -> None:
        self.answer = answer
        self.calls: list[UpsAddress] = []

    def __call__(self, addr: UpsAddress, name: str) -> AddressValidation:
        self.calls.append(addr)
        return self.answer


def stored(s):
    repository.upsert_shipment(s)
    return s


def test_valid_address_sets_residential_from_ups_and_is_not_asked_twice(store):
    ups = FakeUps(AddressValidation("valid", "residential"))
    s = stored(shipment())
    assert address_check.decide(ups, s, "always", accept_ambiguous=False) == address_check.AddressDecision(True)
    assert address_check.decide(ups, s, "always", accept_ambiguous=False).residential is True
    assert len(ups.calls) == 1
    record = repository.get_shipment("SH000123")
    assert (record.address_status, record.residential) == ("valid", True)


def test_missing_state_comes_from_the_address_ups_confirmed(store):
    confirmed = AddressCandidate(UpsAddress(("350 5TH AVE",), "NEW YORK", "NY", "10118-0110", "US"), "commercial")
    ups = FakeUps(AddressValidation("valid", "commercial", (confirmed,)))
    decision = address_check.decide(ups, stored(shipment(ship_to_address=address(state=""))), "always",
                                    accept_ambiguous=False)
    assert decision == address_check.AddressDecision(False, confirmed.address)


def test_an_edited_address_is_validated_again(store):
    ups = FakeUps(AddressValidation("valid", "commercial"))
    address_check.decide(ups, stored(shipment()), "ask", accept_ambiguous=False)
    address_check.decide(ups, stored(shipment(ship_to_address=address(line1="1 Other St"))), "ask",
                         accept_ambiguous=False)
    assert [a.lines for a in ups.calls] == [("350 5th Ave",), ("1 Other St",)]


@pytest.mark.parametrize("country", ["DE", "CA"])
def test_never_policy_and_non_us_addresses_are_not_sent(store, country):
    ups = FakeUps(AddressValidation("valid"))
    assert address_check.decide(ups, stored(shipment()), "never", accept_ambiguous=False).address is None
    s = stored(shipment(ship_to_address=address(country=country)))
    assert address_check.decide(ups, s, "always", accept_ambiguous=False) == address_check.AddressDecision()
    assert ups.calls == []


def test_ambiguous_address_needs_a_choice_and_ships_to_the_chosen_candidate(store):
    ups = FakeUps(AddressValidation("ambiguous", "unknown", CANDIDATES))
    s = stored(shipment(ship_to_address=address(line1="100 Main St", city="Springfield", state="IL")))
    with pytest.raises(AddressNeedsAttention, match=r"not sure about .* \(2 candidates\)") as raised:
        address_check.decide(ups, s, "ask", accept_ambiguous=False)
    assert raised.value.ambiguous
    # the same sentence reaches the app and the command line: it names both ways, no CLI-only flag
    assert "Check address in the app" in raised.value.hint and "--choose N" in raised.value.hint
    assert "--accept-address" not in raised.value.hint

    chosen = address_check.choose(s, 1)
    decision = address_check.decide(ups, s, "ask", accept_ambiguous=False)
    assert chosen == CANDIDATES[1].address
    assert decision == address_check.AddressDecision(True, CANDIDATES[1].address)
    assert len(ups.calls) == 1
    assert audit_log.entries("SH000123")[0].action == AuditAction.ADDRESS_CHOSEN


def test_accepting_an_ambiguous_address_is_audited(store):
    ups = FakeUps(AddressValidation("ambiguous", "unknown", CANDIDATES))
    s = stored(shipment())
    assert address_check.decide(ups, s, "always", accept_ambiguous=True) == address_check.AddressDecision()
    assert AuditAction.ADDRESS_ACCEPTED in [e.action for e in audit_log.entries("SH000123")]


def test_unknown_address_needs_attention_until_overridden_with_a_reason(store):
    ups = FakeUps(AddressValidation("no_candidates"))
    s = stored(shipment())
    with pytest.raises(AddressNeedsAttention, match="UPS does not know the ship-to address") as raised:
        address_check.decide(ups, s, "always", accept_ambiguous=False)
    assert not raised.value.ambiguous
    with pytest.raises(Exception, match="Say why"):
        address_check.override(s, "  ")

    address_check.override(s, "New building, customer confirmed by phone")
    assert address_check.decide(ups, s, "always", accept_ambiguous=False) == address_check.AddressDecision()
    entry = audit_log.entries("SH000123")[0]
    assert (entry.action, entry.detail) == (AuditAction.ADDRESS_OVERRIDDEN, "New building, customer confirmed by phone")
    assert repository.get_shipment("SH000123").address_override_reason.startswith("New building")


def test_choosing_a_candidate_that_does_not_exist_is_refused(store):
    with pytest.raises(Exception, match="has no address candidate 3"):
        address_check.choose(stored(shipment()), 2)
