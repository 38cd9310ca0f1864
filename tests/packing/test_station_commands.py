"""``shipdesk pack`` and ``ship --service/--signature/--notify`` as a clerk at a terminal uses them (demo)."""

from __future__ import annotations

import json

from shipdesk import cli
from shipdesk.acumatica.auth import CookieAuth
from shipdesk.acumatica.client import AcumaticaClient
from tests.cli.conftest import demo_env  # noqa: F401  (the fixture)
from tests.devices.conftest import serial_scale  # noqa: F401  (the fixture)


def run(capsys, *argv: str) -> tuple[int, dict]:
    code = cli.main(["--demo", "--json", *argv])
    return code, json.loads(capsys.readouterr().out)


def test_pack_then_ship_with_another_service_and_options(demo_env, isolated_dirs, capsys):  # noqa: F811
    code, packed = run(capsys, "pack", "SH000102", "--box", "small", "--weight", "2.8")
    assert code == 0 and packed["packages"][0] == {"line": 1, "box": "SMALL", "weight": "2.8", "uom": "LB",
                                                   "length": "10", "width": "8", "height": "6"}

    code, quoted = run(capsys, "rate", "SH000102", "--shop")
    assert code == 0 and len(quoted["quotes"]) > 3 and all(q["delivery_date"] for q in quoted["quotes"])

    assert cli.main(["--demo", "ship", "SH000102", "--service", "01"]) == 2
    assert "Say why" in capsys.readouterr().err

    code, shipped = run(capsys, "ship", "SH000102", "--no-print", "--service", "01", "--reason",
                        "customer pays for next day", "--signature", "adult", "--notify", "ship,delivery")
    assert code == 0, shipped
    (result,) = shipped["results"]
    assert result["tracking_numbers"][0][8:10] == "01"  # a Next Day Air 1Z number (Ship Via says Ground)

    with AcumaticaClient(url=demo_env.acumatica_url, version="24.200.001",
                         auth=CookieAuth("admin", "demo", "Demo")) as acu:
        note = acu.read_record("Shipment", ("ShipmentNbr",), ["SH000102"], doing="test")["note"]["value"]
    assert "Shipped UPS Next Day Air instead of UPS Ground (Ship Via UPSGROUND): customer pays for next day" in note

    code, listed = run(capsys, "list")
    row = next(r for r in listed["shipments"] if r["shipment_nbr"] == "SH000102")
    assert row["service_code"] == "01" and row["charges"]["negotiated"] and row["charges"]["published"]


def test_pack_asks_for_one_weight_per_box(demo_env, isolated_dirs, capsys):  # noqa: F811
    assert cli.main(["--demo", "pack", "SH000101", "--box", "SMALL", "--box", "LARGE", "--weight", "3"]) == 2
    assert "one weight per --box" in capsys.readouterr().err


def test_pack_weigh_reads_each_package_from_the_configured_scale(sandboxes, isolated_dirs, serial_scale,  # noqa: F811
                                                                 monkeypatch, capsys):
    from dataclasses import replace
    from decimal import Decimal
    from io import StringIO

    from shipdesk.core.settings.config import ScaleConfig, save_config
    from shipdesk.demo.settings import demo_config
    from shipdesk.devices.scales import ScaleKind

    simulator = serial_scale("nci")
    config = replace(demo_config(sandboxes.acumatica_url, sandboxes.ups_url),
                     scale=ScaleConfig(kind=ScaleKind.NCI, port=simulator.port))
    save_config(isolated_dirs / "config.toml", config)
    monkeypatch.setenv("SHIPDESK_ACUMATICA_PASSWORD", "demo")
    monkeypatch.setenv("SHIPDESK_UPS_CLIENT_SECRET", "demo")
    weights = iter([Decimal("21.4"), Decimal("9.85")])

    class Clerk(StringIO):  # puts each package on the scale, then presses Enter
        def readline(self, *args):
            simulator.put(next(weights), settle=2)
            return "\n"

    monkeypatch.setattr("sys.stdin", Clerk())
    code = cli.main(["--json", "pack", "SH000127", "--box", "LARGE", "--box", "MEDIUM", "--weigh"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    packed = json.loads(captured.out)["packages"]
    assert [(p["box"], p["weight"]) for p in packed] == [("LARGE", "21.4"), ("MEDIUM", "9.85")]
    assert "Put package 1 of 2 on the scale" in captured.err and "Package 2: 9.85 lb, stable" in captured.err
