"""Is a shipment ready to be labelled, and moving its local state there (shared by pull and ship)."""

from __future__ import annotations

from shipdesk.acumatica.models import Shipment
from shipdesk.core.domain.states import State, can_transition
from shipdesk.core.settings.config import Config
from shipdesk.core.shipping.carrier_plugins import plugin_ship_vias
from shipdesk.core.shipping.checks import check_shipment
from shipdesk.core.store import repository


def shipment_problems(shipment: Shipment, config: Config, *, correct_confirmed: bool = False) -> list[str]:
    """Every reason the shipment cannot be labelled now: its Acumatica status, then its data."""
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
    result = check_shipment(shipment, services=config.ups.services, shipper_country=config.shipper.country,
                            carrier_plugin_ship_vias=plugin_ship_vias(config),
                            validates_address=config.ups.address_validation != "never")
    return problems + list(result.problems)


def settle(nbr: str, state: State, reason: str = "") -> None:
    """Move the local shipment to ``state`` (through ``pending`` when there is no direct move)."""
    record = repository.require_shipment(nbr)
    if not can_transition(record.state, state):
        repository.set_state(nbr, State.PENDING)  # e.g. voided → needs attention
    repository.set_state(nbr, state, reason=reason)
