"""The demo's packing day: ten seeded shipments packed at a station with a scale, boxes chosen and one service
changed. One plan for the picture in the docs (``docs/make_packing_day.py``) and the test that checks its
summary against the sandbox (``tests/packing/test_packing_day.py``), so the page shows the day the test proves."""

from __future__ import annotations

from decimal import Decimal as D

from shipdesk.core.packing_run import Packed
from shipdesk.core.shipping.packing import StationChoice

PLAN = [
    Packed("SH000101", (("SMALL", D("3.42")),),
           StationChoice(service="02", reason="customer needs it Wednesday")),  # Ship Via UPSGROUND
    Packed("SH000102", (("SMALL", D("1.9")),)),
    Packed("SH000103", (("LARGE", D("21.7")), ("LARGE", D("18.25")), ("MEDIUM", D("9.6")))),
    Packed("SH000104", (("MEDIUM", D("6.05")),)),
    Packed("SH000105", (("MEDIUM", D("12.4")),)),
    Packed("SH000118", (("LARGE", D("19.5")), ("LARGE", D("20.1")), ("MEDIUM", D("11")), ("SMALL", D("3.3")))),
    Packed("SH000124", (("SMALL", D("4.75")),)),
    Packed("SH000127", (("MEDIUM", D("8.8")), ("SMALL", D("2.2")))),
    Packed("SH000128", (("SMALL", D("0.6")),)),
    Packed("SH000132", (("LARGE", D("27.35")),)),
]
