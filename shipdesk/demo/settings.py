"""The settings demo mode runs with: the built-in sandboxes' addresses and the demo warehouse.

The sandbox password and UPS secret (``demo``) are handed over in memory by the launcher, never stored.
"""

from __future__ import annotations

from shipdesk.core.settings.config import (
    AcumaticaConfig,
    BoxSize,
    Config,
    CustomFields,
    PackingConfig,
    PrinterProfile,
    PrintingConfig,
    ShipperConfig,
    UpsConfig,
)
from shipdesk.labels.printers import LabelFormat, PrinterKind

#: UPSPLUGIN is mapped so the demo shows the carrier plug-in warning (labelled, never confirmed)
DEMO_SERVICES = {"UPSGROUND": "03", "UPS2DAY": "02", "UPSNEXTDAY": "01", "UPSSAVER": "13", "UPSWWEXP": "07",
                 "UPSPLUGIN": "03"}


def demo_config(acumatica_url: str, ups_url: str) -> Config:
    """Settings that talk to the sandboxes at these addresses."""
    return Config(
        acumatica=AcumaticaConfig(
            url=acumatica_url, version="24.200.001", company="Demo", username="admin",
            # no custom fields: Acumatica drops every header field of a Confirmed shipment, Usr... ones included
            # (FACTS.md 12.8; the sandbox does the same), and most sites confirm a shipment before UPS delivers it
            # (the sync benchmark's are all Confirmed): every cycle would tell of fields that cannot be written.
            # The status goes in the shipment's note and the outcomes in the sales order's, which Acumatica keeps.
            custom_fields=CustomFields(),
        ),
        ups=UpsConfig(base_url=ups_url, client_id="demo", account_number="A1B2C3", label_format=LabelFormat.GIF,
                      services=dict(DEMO_SERVICES)),
        shipper=ShipperConfig(
            name="ACME Industrial Supply", attention="Shipping Dept", address_lines=("100 Main St",),
            city="Atlanta", state="GA", postal_code="30301", country="US", phone="4045550100",
            email="shipping@acme.example",
        ),
        printing=PrintingConfig(profiles=(PrinterProfile(name="Save PDF", kind=PrinterKind.FILE),),
                                default_profile="Save PDF"),
        # the sandbox's Boxes screen (sandbox/seed.py BOXES)
        packing=PackingConfig(boxes=(BoxSize("SMALL", 10, 8, 6, 0.3), BoxSize("MEDIUM", 14, 12, 10, 0.6),
                                     BoxSize("LARGE", 20, 16, 14, 1.1))),
    )
