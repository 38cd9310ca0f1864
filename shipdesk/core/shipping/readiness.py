"""Is a shipment ready to be labelled, and moving its local state there (shared by pull and ship).

A shipment whose Acumatica packages already carry tracking numbers is not labelled again. What the clerk is
told depends on what the store knows of those numbers: "void that label" only for a label known never to
have been printed (so it is not on a box); a label of another station, or made outside shipdesk, is
never called void-able from here.
"""

from __future__ import annotations

from collections.abc import Sequence

from shipdesk.acumatica.models import Shipment
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.settings.config import INTERNATIONAL_SHIPPER_KEYS, Config
from shipdesk.core.shipping.checks import check_shipment
from shipdesk.core.store import jobs, shipments

SHIPPER_KEY_NAMES = {"attention": "attention name", "phone": "phone number"}


def shipment_problems(shipment: Shipment, config: Config, *, correct_confirmed: bool = False,
                      quote: bool = False) -> list[str]:
    """Every reason the shipment cannot be labelled now: its Acumatica status, then its data. ``quote``: for
    a rate quote, which a shipment in any status, labelled or not, may have (only its data counts)."""
    problems = [] if quote else _status_problems(shipment, config, correct_confirmed=correct_confirmed)
    # the problems only: what the label will look like is warned about by the mapping, and a carrier
    # plug-in by the write-back (which does not confirm), so no plug-in lookup is needed here
    result = check_shipment(shipment, services=config.ups.services, shipper_country=config.shipper.country,
                            validates_address=config.ups.address_validation != "never")
    labelled = ([labelled_before(shipment, shared=bool(config.store.url))]
                if shipment.tracking_numbers and not quote else [])
    return problems + list(result.problems) + shipper_problems(shipment, config) + labelled


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


def labelled_before(shipment: Shipment, *, shared: bool = True) -> str:
    """Why a shipment whose packages carry tracking numbers is not labelled again, and what (if anything)
    a person should do, from what the store knows of those numbers (``shared``: the store is the
    warehouse's shared one, else this station's own)."""
    nbr, numbers = shipment.shipment_nbr, ", ".join(shipment.tracking_numbers)
    owners = jobs.jobs_owning(shipment.tracking_numbers)
    has = f"Shipment {nbr} already has tracking number(s) {numbers} in Acumatica"
    if not owners:
        elsewhere = ("a station without this shared store" if shared
                     else "another station (each station keeps its own database)")
        return (f"{has}: it was labelled at {elsewhere}, or outside shipdesk, so there is nothing to ship "
                "here. shipdesk cannot tell whether that label is on a box: ask whoever made it before voiding "
                "anything.")
    job = owners[-1]
    at = f" at {job.station}" if job.station else ""
    if job.state == State.VOIDED:
        return (f"{has}, of a label shipdesk voided{at}. Clear Packages › Tracking Number in Acumatica, then it "
                "can be labelled again.")
    if job.printed_at is not None:
        return f"{has}: it was labelled{at} and the label was printed, so it is on its box. Nothing to ship here."
    return (f"{has}: it was labelled{at} but that label was never printed. Print it (Reprint), or void that "
            "label if the shipment is to be labelled again.")


def settle(nbr: str, state: State, reason: str = "") -> bool:
    """Move the local shipment to ``state`` (through ``pending`` when there is no direct move); False when
    a label job of it has (or may have) a label, made meanwhile by another worker or station."""
    return shipments.settle(nbr, state, reason=reason)


def needs_attention(nbr: str, problems: Sequence[str], reason: Reason = Reason.NEEDS_ATTENTION) -> ShipOutcome:
    """Stop before anything is sent to UPS: the shipment waits for a person (one sentence per problem)."""
    sentence = " ".join(problems)
    if not settle(nbr, State.NEEDS_ATTENTION, sentence):  # labelled meanwhile: its job's state stands
        state = shipments.state_of(nbr)
        return ShipOutcome(nbr, False, state, f"Shipment {nbr} was labelled meanwhile ({state.label}).",
                           reason=Reason.LABEL_EXISTS)
    return ShipOutcome(nbr, False, State.NEEDS_ATTENTION, sentence, problems=tuple(problems), reason=reason)
