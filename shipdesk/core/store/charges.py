"""What each shipment's label cost, as UPS charged it: the service, published and negotiated charges (and with
taxes where UPS adds them), from the shipment's live label job. For ``shipdesk list --json``, the table and
the detail pane."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shipdesk.core.domain.states import LABEL_EXISTS
from shipdesk.core.store.models import LabelJob, ShipmentRecord
from shipdesk.core.store.transaction import tuples


@dataclass(frozen=True)
class LabelCharges:
    service_code: str
    currency: str
    published: Decimal | None  # TotalCharges, before taxes
    negotiated: Decimal | None  # NegotiatedRateCharges.TotalCharge, before taxes (None: account not eligible)
    published_with_taxes: Decimal | None = None
    negotiated_with_taxes: Decimal | None = None

    def to_json(self) -> dict[str, Any]:
        def text(value: Decimal | None) -> str | None:
            return None if value is None else str(value)
        return {"service_code": self.service_code, "currency": self.currency, "published": text(self.published),
                "negotiated": text(self.negotiated), "published_with_taxes": text(self.published_with_taxes),
                "negotiated_with_taxes": text(self.negotiated_with_taxes)}


def service_of(request: Any) -> str:
    """The UPS service the job asked for (its committed Ship request)."""
    shipment = request.get("ShipmentRequest", {}).get("Shipment", {}) if isinstance(request, dict) else {}
    service = shipment.get("Service") if isinstance(shipment, dict) else None
    return str(service.get("Code", "")) if isinstance(service, dict) else ""


def label_charges(shipment_nbrs: Collection[str] | None = None) -> dict[str, LabelCharges]:
    """Shipment number → the charges of its label (shipments with no live label are not in it)."""
    job, s = LabelJob, ShipmentRecord
    query = (job.select(s.shipment_nbr, job.request, job.currency, job.charges, job.negotiated_charges,
                        job.charges_with_taxes, job.negotiated_with_taxes)
             .join(s, on=(job.shipment == s.id))
             .where(job.state.in_(list(LABEL_EXISTS)))
             .order_by(job.id))
    if shipment_nbrs is not None:
        query = query.where(s.shipment_nbr.in_(list(shipment_nbrs)))
    found = {}
    for nbr, request, currency, published, negotiated, published_taxed, negotiated_taxed in tuples(query):
        found[nbr] = LabelCharges(service_of(_loaded(request)), currency or "", _dec(published), _dec(negotiated),
                                  _dec(published_taxed), _dec(negotiated_taxed))  # the latest job wins
    return found


def _loaded(value: Any) -> Any:
    if isinstance(value, str):
        import json

        return json.loads(value)
    return value


def _dec(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))
