"""Is a shipment ready to be labelled, and moving its local state there (shared by pull and ship).

A shipment whose Acumatica packages already carry tracking numbers is not labelled again. What the clerk is
told depends on what the store knows of those numbers: "void that label" only for a label known never to
have been printed (so it is not on a box); a label of another station, or made outside shipdesk, is
never called void-able from here.
"""

from __future__ import annotations

from collections.abc import Sequence

from babel.lists import format_list

from shipdesk.acumatica.models import Shipment
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.settings.config import INTERNATIONAL_SHIPPER_KEYS, Config
from shipdesk.core.shipping.checks import check_shipment
from shipdesk.core.store import jobs, shipments
from shipdesk.i18n import N_, _, current_locale

#: the sentence for each set of missing [shipper] keys (INTERNATIONAL_SHIPPER_KEYS)
SHIPPER_KEYS_MISSING = {
    ("attention",): N_("UPS needs the shipper's attention name for shipments from {origin} to {country} (shipment "
                       "{shipment}): set {settings} in the shipdesk settings (Settings › Shipper address)."),
    ("phone",): N_("UPS needs the shipper's phone number for shipments from {origin} to {country} (shipment "
                   "{shipment}): set {settings} in the shipdesk settings (Settings › Shipper address)."),
    ("attention", "phone"): N_("UPS needs the shipper's attention name and phone number for shipments from {origin} "
                               "to {country} (shipment {shipment}): set {settings} in the shipdesk settings "
                               "(Settings › Shipper address)."),
}


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
            _("Shipment {shipment} is Confirmed in Acumatica without a tracking number, and a Confirmed "
              "shipment's packages are read-only. Correct it in Acumatica (Correct Shipment) so it is Open "
              "again, or let shipdesk correct, label and confirm it again: `shipdesk ship {shipment} "
              "--correct-confirmed`.").format(shipment=nbr))
    elif shipment.status not in (*ready_statuses, "Confirmed"):
        problems.append(_("Shipment {shipment} is {status} in Acumatica; shipdesk labels shipments that are "
                          "{statuses}.").format(shipment=nbr, status=shipment.status or "—",
                                                statuses=format_list(list(ready_statuses), style="or",
                                                                     locale=current_locale())))
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
    settings = format_list([f"[shipper] {key}" for key in missing], locale=current_locale())
    sentence = _(SHIPPER_KEYS_MISSING[tuple(missing)])  # i18n: N_()-marked above
    return [sentence.format(origin=origin, country=country,
                                                            shipment=shipment.shipment_nbr, settings=settings)]


def labelled_before(shipment: Shipment, *, shared: bool = True) -> str:
    """Why a shipment whose packages carry tracking numbers is not labelled again, and what (if anything)
    a person should do, from what the store knows of those numbers (``shared``: the store is the
    warehouse's shared one, else this station's own)."""
    nbr, numbers = shipment.shipment_nbr, ", ".join(shipment.tracking_numbers)
    owners = jobs.jobs_owning(shipment.tracking_numbers)
    has = _("Shipment {shipment} already has tracking number(s) {tracking} in Acumatica.").format(
        shipment=nbr, tracking=numbers)
    if not owners:
        if shared:
            why = _("It was labelled at a station without this shared store, or outside shipdesk, so there is "
                    "nothing to ship here.")
        else:
            why = _("It was labelled at another station (each station keeps its own database), or outside shipdesk, "
                    "so there is nothing to ship here.")
        return f"{has} {why} " + _("shipdesk cannot tell whether that label is on a box: ask whoever made it "
                                   "before voiding anything.")
    job = owners[-1]
    if job.state == State.VOIDED:
        said = (_("They are of a label shipdesk voided at {station}.") if job.station
                else _("They are of a label shipdesk voided."))
        todo = _("Clear Packages › Tracking Number in Acumatica, then it can be labelled again.")
    elif job.printed_at is not None:
        said = (_("It was labelled at {station} and the label was printed, so it is on its box.") if job.station
                else _("It was labelled and the label was printed, so it is on its box."))
        todo = _("Nothing to ship here.")
    else:
        said = (_("It was labelled at {station} but that label was never printed.") if job.station
                else _("It was labelled but that label was never printed."))
        todo = _("Print it (Reprint), or void that label if the shipment is to be labelled again.")
    return f"{has} {said.format(station=job.station)} {todo}"


def busy_sentence(nbr: str, station: str = "", *, here: str = "") -> str:
    """Another worker is labelling the shipment now: at ``station`` when that is not this one (``here``)."""
    if station and station != here:
        return _("Shipment {shipment} is being labelled right now at {station}.").format(shipment=nbr, station=station)
    return _("Shipment {shipment} is being labelled right now by another shipdesk window or command.").format(
        shipment=nbr)


def labelled_meanwhile_sentence(nbr: str, state: State, station: str = "", *, here: str = "") -> str:
    """Another worker labelled the shipment while this one checked it (at ``station`` when not ``here``)."""
    if station and station != here:
        return _("Shipment {shipment} was labelled at {station} meanwhile ({state}).").format(
            shipment=nbr, station=station, state=state.label)
    return _("Shipment {shipment} was labelled meanwhile ({state}).").format(shipment=nbr, state=state.label)


def settle(nbr: str, state: State, reason: str = "") -> bool:
    """Move the local shipment to ``state`` (through ``pending`` when there is no direct move); False when
    a label job of it has (or may have) a label, made meanwhile by another worker or station."""
    return shipments.settle(nbr, state, reason=reason)


def needs_attention(nbr: str, problems: Sequence[str], reason: Reason = Reason.NEEDS_ATTENTION) -> ShipOutcome:
    """Stop before anything is sent to UPS: the shipment waits for a person (one sentence per problem)."""
    sentence = " ".join(problems)
    if not settle(nbr, State.NEEDS_ATTENTION, sentence):  # labelled meanwhile: its job's state stands
        state = shipments.state_of(nbr)
        return ShipOutcome(nbr, False, state, labelled_meanwhile_sentence(nbr, state),
                           reason=Reason.LABEL_EXISTS)
    return ShipOutcome(nbr, False, State.NEEDS_ATTENTION, sentence, problems=tuple(problems), reason=reason)
