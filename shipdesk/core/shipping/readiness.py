"""Is a shipment ready to be labelled, and moving its local state there (shared by pull and ship)."""

from __future__ import annotations

from collections.abc import Sequence

from shipdesk.acumatica.models import Shipment
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import State, can_transition
from shipdesk.core.settings.config import INTERNATIONAL_SHIPPER_KEYS, Config
from shipdesk.core.shipping.checks import check_shipment
from shipdesk.core.store import shipments

SHIPPER_KEY_NAMES = {"attention": "attention name", "phone": "phone number"}


def shipment_problems(shipment: Shipment, config: Config, *, correct_confirmed: bool = False,
                      quote: bool = False) -> list[str]:
    """Every reason the shipment cannot be labelled now: its Acumatica status, then its data. ``quote``: for
    a rate quote, which a shipment in any status, labelled or not, may have (only its data counts)."""
    problems = [] if quote else _status_problems(shipment, config, correct_confirmed=correct_confirmed)
    # the problems only: what the label will look like is warned about by the mapping, and a carrier
    # plug-in by the write-back (which does not confirm), so no plug-in lookup is needed here
    result = check_shipment(shipment, services=config.ups.services, shipper_country=config.shipper.country,
                            validates_address=config.ups.address_validation != "never", labelled_ok=quote)
    return problems + list(result.problems) + shipper_problems(shipment, config)


def _status_problems(shipment: Shipment, config: Config, *, correct_confirmed: bool) -> list[str]:
    nbr = shipment.shipment_nbr
    ready_statuses = config.acumatica.ready_statuses
    problems: list[str] = []
    if shipment.status == "Confirmed" and not shipment.tracking_numbers and not correct_confirmed:
        problems.append(
            f"Shipment {nbr} is Confirmed in Acumatica without a tracking number, and a Confirmed "
            "shipment's packages are read-only. Correct it in Acumatica (Correct Shipment) so it is Open "
            f"again, or let shipdesk correct, label and confirm it again: `shipdesk ship {nbr} "
            "--correct-confirmed`.")
    elif shipment.status not in (*ready_statuses, "Confirmed"):
        problems.append(f"Shipment {nbr} is {shipment.status or 'without a status'} in Acumatica; shipdesk "
                        f"labels shipments that are {' or '.join(ready_statuses)}.")
    return problems


def shipper_problems(shipment: Shipment, config: Config) -> list[str]:
    """UPS needs the shipper's attention name and phone for a shipment across a border (Shipping.yaml,
    Shipper.AttentionName and Phone.Number): the settings to fill in, named."""
    country = shipment.ship_to_address.country.strip().upper()
    origin = config.shipper.country.strip().upper()
    if not country or country == origin:
        return []
    missing = [key for key in INTERNATIONAL_SHIPPER_KEYS if not getattr(config.shipper, key).strip()]
    if not missing:
        return []
    settings = " and ".join(f"[shipper] {key}" for key in missing)
    return [f"UPS needs the shipper's {' and '.join(SHIPPER_KEY_NAMES[key] for key in missing)} for shipments "
            f"from {origin} to {country} (shipment {shipment.shipment_nbr}): set {settings} in the shipdesk "
            "settings (Settings › Shipper address)."]


def settle(nbr: str, state: State, reason: str = "") -> None:
    """Move the local shipment to ``state`` (through ``pending`` when there is no direct move)."""
    if not can_transition(shipments.state_of(nbr), state):
        shipments.set_state(nbr, State.PENDING)  # e.g. voided → needs attention
    shipments.set_state(nbr, state, reason=reason)


def needs_attention(nbr: str, problems: Sequence[str], reason: Reason = Reason.NEEDS_ATTENTION) -> ShipOutcome:
    """Stop before anything is sent to UPS: the shipment waits for a person (one sentence per problem)."""
    sentence = " ".join(problems)
    settle(nbr, State.NEEDS_ATTENTION, sentence)
    return ShipOutcome(nbr, False, State.NEEDS_ATTENTION, sentence, problems=tuple(problems), reason=reason)
