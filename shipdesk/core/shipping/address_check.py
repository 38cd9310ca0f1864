"""UPS address validation for a shipment, and what shipdesk remembers about it.

Policy (``[ups] address_validation``): ``never`` ships the address as typed in Acumatica; ``always`` and
``ask`` validate before the label (street level exists for the US and Puerto Rico only, so other
countries are not sent). Valid → the residential flag comes from UPS's classification. Ambiguous →
the clerk picks a candidate, overrides with a reason (audited), or ships anyway when asked to
(``accept_ambiguous``). No candidates → needs attention.

The outcome is kept per shipment with a fingerprint of the Acumatica address, so the next label
reuses it and any edit of the address in Acumatica makes shipdesk ask UPS again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from shipdesk.acumatica.models import Shipment
from shipdesk.core.domain.address import AddressClass, AddressStatus
from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.shipping.checks import STREET_VALIDATION_COUNTRIES, ship_to_name
from shipdesk.core.store import audit_log, shipments, transaction
from shipdesk.core.store.models import ShipmentRecord
from shipdesk.errors import AddressNeedsAttention, ShipdeskError
from shipdesk.i18n import _, ngettext
from shipdesk.ups.errors import ProductNotEnabled
from shipdesk.ups.models import AddressCandidate, AddressValidation, UpsAddress

Validate = Callable[[UpsAddress, str], AddressValidation]


@dataclass(frozen=True)
class AddressDecision:
    residential: bool | None = None  # None: UPS did not say; use Acumatica's flag
    address: UpsAddress | None = None  # a UPS candidate chosen by the clerk replaces Acumatica's
    warning: str = ""  # said on the label's outcome (the address was not validated)


def ups_address(shipment: Shipment) -> UpsAddress:
    a = shipment.ship_to_address
    return UpsAddress(lines=tuple(x.strip() for x in (a.line1, a.line2) if x.strip()), city=a.city.strip(),
                      state=a.state.strip().upper(), postal_code=a.postal_code.strip(),
                      country=a.country.strip().upper())


def fingerprint(shipment: Shipment) -> str:
    return hashlib.sha256(json.dumps(asdict(ups_address(shipment))).encode()).hexdigest()[:16]


def remembered(shipment: Shipment, stored: ShipmentRecord | None = None) -> dict[str, Any] | None:
    """What was decided for this exact address, or None (never checked, or the address changed).
    ``stored``: the shipment's row as this label read it (none read again)."""
    if stored is not None:
        memory = stored.address_memory if isinstance(stored.address_memory, dict) else None
    else:
        memory = shipments.address_memory(shipment.shipment_nbr)
    if memory is not None and memory.get("fingerprint") == fingerprint(shipment):
        return memory
    return None


def remember(shipment: Shipment, **data: Any) -> None:
    shipments.remember_address(shipment.shipment_nbr, {"fingerprint": fingerprint(shipment), **data})


def validate(validate_call: Validate, shipment: Shipment) -> AddressValidation:
    """Ask UPS, keep the outcome (and the candidates, for :func:`choose`)."""
    return _validate(validate_call, shipment)[0]


#: store writes handed to the caller, to run in the transaction that comes next (see ``decide``)
Later = list[Callable[[], None]]


@dataclass(frozen=True)
class AddressOutcome:
    """UPS's outcome for a shipment's address, to keep: call it (one UPDATE and its audit entry), or hand
    ``values`` to the statement that changes the shipment's row anyway (the label job's flip) and keep ``entry``."""

    shipment_nbr: str
    values: dict[str, Any]  # the shipment's columns
    entry: audit_log.Entry

    def __call__(self) -> None:
        with transaction.joined():  # one UPDATE and the audit row (inserted with the transaction's others)
            shipments.update_columns(self.shipment_nbr, self.values)
            audit_log.record_all([self.entry])


def run_later(later: Later) -> None:
    """Run the writes ``decide`` handed over, in one transaction (a savepoint inside the caller's)."""
    if later:
        with transaction.write():
            for write in later:
                write()
        later.clear()


def _validate(validate_call: Validate, shipment: Shipment,
              later: Later | None = None) -> tuple[AddressValidation, dict[str, Any]]:
    """:func:`validate`, and what it remembered: the outcome, the memory and the audit entry in one commit
    (``later``: handed over instead, for the caller's next transaction)."""
    result = validate_call(ups_address(shipment), ship_to_name(shipment))
    classification = AddressClass(result.classification)
    memory = {"fingerprint": fingerprint(shipment), "status": result.status,
              "residential": classification.residential,
              "candidates": [_candidate_json(c) for c in result.candidates]}

    keep = AddressOutcome(shipment.shipment_nbr, shipments.address_check_values(
        status=AddressStatus(result.status), classification=classification, residential=classification.residential,
        memory=memory), audit_log.Entry(AuditAction.ADDRESS_VALIDATED, shipment.shipment_nbr, detail=ngettext(
            "{status}, {classification}, {count} candidate", "{status}, {classification}, {count} candidates",
            len(result.candidates)).format(status=_(AddressStatus(result.status).label),
                                           classification=_(classification.label), count=len(result.candidates))))
    if later is None:
        keep()
    else:
        later.append(keep)
    return result, memory


def decide(validate_call: Validate, shipment: Shipment, policy: str, *, accept_ambiguous: bool,
           stored: ShipmentRecord | None = None, later: Later | None = None) -> AddressDecision:
    """The address and residential flag to ship with, validating when the policy asks for it (``stored``: the
    shipment's row as this label read it). ``later``: UPS's outcome is not written here but handed over, for
    the caller to write in its next transaction (the label job's, or the one saying what needs attention),
    or with :func:`run_later` whatever happens."""
    country = shipment.ship_to_address.country.strip().upper()
    if policy == "never" or country not in STREET_VALIDATION_COUNTRIES:
        return AddressDecision()
    memory = remembered(shipment, stored)
    if memory is None:
        try:
            memory = _validate(validate_call, shipment, later)[1]
        except ProductNotEnabled as exc:  # the label goes on: the address is marked "not validated"
            return not_validated(shipment, exc)
    settled = _settled(shipment, memory)
    if settled is not None:
        return settled
    nbr = shipment.shipment_nbr
    if memory.get("status") == AddressStatus.AMBIGUOUS:
        if accept_ambiguous:
            audit_log.record(AuditAction.ADDRESS_ACCEPTED, shipment_nbr=nbr,
                         detail=_("shipped as typed although UPS found it ambiguous"))
            return AddressDecision()
        count = len(memory.get("candidates") or [])
        # read in the app and on the command line alike: name both ways to choose
        raise AddressNeedsAttention(
            ngettext("UPS is not sure about the ship-to address of shipment {shipment} ({count} candidate).",
                     "UPS is not sure about the ship-to address of shipment {shipment} ({count} candidates).",
                     count).format(shipment=nbr, count=count),
            hint=_("Pick the right one (Check address in the app, or `shipdesk validate {shipment} --choose N`), "
                   "fix the address in Acumatica, or keep it as entered with a reason.").format(shipment=nbr),
            ambiguous=True)
    raise AddressNeedsAttention(
        _("UPS does not know the ship-to address of shipment {shipment}.").format(shipment=nbr),
        hint=_("Check Shipping Settings › Ship-To Address in Acumatica (street, city, postal code), or "
               "override the check with a reason if you know the address is right."))


def not_validated(shipment: Shipment, refused: ProductNotEnabled) -> AddressDecision:
    """UPS Address Validation is not enabled for the app: ship as typed, marked "not validated" (not remembered,
    so the address is checked once the product is added). The full sentence comes with the call that found out;
    the shipments after it say it short."""
    shipments.record_address_check(shipment.shipment_nbr, status=AddressStatus.NOT_VALIDATED)
    audit_log.record(AuditAction.ADDRESS_VALIDATED, shipment_nbr=shipment.shipment_nbr,
                     detail=_("not validated: UPS Address Validation is not enabled for the app"))
    if refused.first:
        return AddressDecision(warning=_("Address not validated: {reason}").format(reason=refused))
    return AddressDecision(warning=_("Address not validated: UPS Address Validation is not enabled for this app "
                                     "(see the first shipment's warning)."))


def for_quote(shipment: Shipment, policy: str) -> AddressDecision:
    """The address a label would go to, for a rate quote: the clerk's choice or UPS's correction when
    one was made, else the address as typed (with UPS's classification when known). Never asks UPS
    and never raises: a quote is information, not a decision."""
    country = shipment.ship_to_address.country.strip().upper()
    memory = remembered(shipment)
    if policy == "never" or country not in STREET_VALIDATION_COUNTRIES or memory is None:
        return AddressDecision()
    try:
        settled = _settled(shipment, memory)
    except AddressNeedsAttention:
        settled = None
    return settled if settled is not None else AddressDecision(memory.get("residential"))


def _settled(shipment: Shipment, memory: dict[str, Any]) -> AddressDecision | None:
    """The decision already taken for this address; None while UPS's doubt is not resolved."""
    status = memory.get("status")
    if status == AddressStatus.OVERRIDDEN:
        return AddressDecision()
    if memory.get("chosen") is not None:
        chosen = memory["candidates"][memory["chosen"]]
        return AddressDecision(AddressClass(chosen["classification"]).residential,
                               _address_from_json(chosen["address"]))
    if status == AddressStatus.VALID:
        if not shipment.ship_to_address.state.strip():  # UPS's normalised address carries the state
            candidates = memory.get("candidates") or []
            if not candidates:
                raise AddressNeedsAttention(
                    _("Ship-to state is empty on shipment {shipment} and UPS did not supply it.").format(
                        shipment=shipment.shipment_nbr),
                    hint=_("Fill in Shipping Settings › Ship-To Address › State in Acumatica."))
            return AddressDecision(memory.get("residential"), _address_from_json(candidates[0]["address"]))
        return AddressDecision(memory.get("residential"))
    return None


def choose(shipment: Shipment, index: int) -> UpsAddress:
    """The clerk picks UPS candidate ``index`` (0-based) from the last validation of this address."""
    memory = remembered(shipment)
    candidates = (memory or {}).get("candidates") or []
    if not 0 <= index < len(candidates):
        raise ShipdeskError(_("Shipment {shipment} has no address candidate {number}.").format(
            shipment=shipment.shipment_nbr, number=index + 1),
            hint=_("Validate the address again to see the current candidates."))
    remember(shipment, **{**(memory or {}), "chosen": index})
    chosen = candidates[index]
    classification = AddressClass(chosen["classification"])
    shipments.record_address_check(shipment.shipment_nbr, status=AddressStatus.VALID,
                                   classification=classification, residential=classification.residential)
    audit_log.record(AuditAction.ADDRESS_CHOSEN, shipment_nbr=shipment.shipment_nbr,
                     detail=json.dumps(chosen["address"]))
    return _address_from_json(chosen["address"])


def override(shipment: Shipment, reason: str) -> None:
    if not reason.strip():
        raise ShipdeskError(_("Say why the address is right although UPS cannot confirm it."),
                            hint=_("The reason is kept in the audit log."))
    remember(shipment, status=AddressStatus.OVERRIDDEN, reason=reason.strip())
    shipments.record_address_check(shipment.shipment_nbr, status=AddressStatus.OVERRIDDEN,
                                   override_reason=reason.strip())
    audit_log.record(AuditAction.ADDRESS_OVERRIDDEN, shipment_nbr=shipment.shipment_nbr, detail=reason.strip())


def stored_candidates(shipment_nbr: str) -> tuple[AddressCandidate, ...]:
    """UPS's candidates from the last validation of this shipment's address (empty when none were kept).

    The app reads them back after a ship stopped on an ambiguous address, sparing UPS a second call;
    :func:`choose` refuses an index when the address changed since."""
    memory = shipments.address_memory(shipment_nbr)
    stored = memory.get("candidates") if memory is not None else None
    return tuple(AddressCandidate(_address_from_json(c["address"]), c.get("classification", "unknown"))
                 for c in stored or ())


def _candidate_json(candidate: AddressCandidate) -> dict[str, Any]:
    return {"address": asdict(candidate.address), "classification": candidate.classification}


def _address_from_json(data: dict[str, Any]) -> UpsAddress:
    return UpsAddress(lines=tuple(data["lines"]), city=data["city"], state=data["state"],
                      postal_code=data["postal_code"], country=data["country"])
