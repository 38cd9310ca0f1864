"""NCI / Avery Weigh-Tronix scales: W<CR> and the <LF>weight<CR><LF>status<CR><ETX> answer through a pty."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shipdesk.devices.scales import (
    ScaleKind,
    ScaleSettings,
    ScaleState,
    WeightUnit,
    check_scale,
    open_scale,
    ups_weight,
    wait_for_stable,
    weigh,
)
from shipdesk.devices.scales.nci import TERMINATOR, parse_nci
from shipdesk.devices.scales.serial_link import SerialLink
from shipdesk.errors import DeviceError


def _settings(port: str, **extra: object) -> ScaleSettings:
    return ScaleSettings(kind=ScaleKind.NCI, port=port, **extra)  # type: ignore[arg-type]


def test_a_box_put_down_is_weighed_once_it_settles(serial_scale) -> None:
    sim = serial_scale("nci")
    sim.put(Decimal("3.42"), settle=3)

    reading = weigh(_settings(sim.port))

    assert (reading.state, reading.weight, reading.unit) == (ScaleState.WEIGHT, Decimal("3.42"), WeightUnit.LB)
    assert reading.raw == b"\n0003.42lb\r\n00\r\x03"  # status "00": stable, not at zero, in range
    assert sim.requests == [b"W"] * 6


def test_the_status_bytes_decide_what_the_reading_is(serial_scale) -> None:
    sim = serial_scale("nci")
    scale = open_scale(_settings(sim.port))
    try:
        empty = scale.read()
        assert empty.state is ScaleState.ZERO and empty.raw == b"\n0000.00lb\r\n20\r\x03"  # bit 1: at zero

        sim.put(Decimal("5.5"), settle=1)
        moving = scale.read()
        assert moving.state is ScaleState.MOTION and moving.raw.endswith(b"\r\n10\r\x03")  # bit 0: in motion
        assert scale.read().describe() == "5.50 lb, stable"

        sim.overload = True
        over = scale.read()
        assert over.state is ScaleState.OVERLOAD and over.raw == b"\n ^^^^^^ \r\n02\r\x03"
        sim.overload, sim.underload = False, True
        assert scale.read().state is ScaleState.NEGATIVE
        sim.underload = False

        sim.put(Decimal("-1.2"))
        assert scale.read().describe() == "below zero (-1.20 lb)"
    finally:
        scale.close()


def test_grams_come_with_spaces_and_convert_for_ups(serial_scale) -> None:
    sim = serial_scale("nci")
    sim.put(Decimal("850"), unit=WeightUnit.G)
    reading = weigh(_settings(sim.port, stable_readings=2))
    assert reading.raw.startswith(b"\n  850g \r")
    assert (reading.weight, reading.unit) == (Decimal(850), WeightUnit.G)
    assert ups_weight(reading, "KGS") == Decimal("0.85")
    assert ups_weight(reading, "LBS") == Decimal("1.88")  # 1.8739... lb, rounded up


def test_a_scale_set_to_another_protocol_is_told_apart(serial_scale) -> None:
    sim = serial_scale("nci")
    link = SerialLink(sim.port)
    try:
        answer = link.ask(b"P\r", TERMINATOR)  # a command NCI does not have
    finally:
        link.close()
    assert answer == b"\n?\r\x03"
    with pytest.raises(DeviceError, match=r"did not understand the NCI weight request. Set the scale's protocol"):
        parse_nci(answer)


def test_a_silent_scale_and_a_good_one_in_the_test_button(serial_scale) -> None:
    sim = serial_scale("nci")
    sim.put(Decimal("2.00"))
    assert check_scale(_settings(sim.port)).message == "Scale OK: 2.00 lb, stable"
    sim.silent = True
    assert check_scale(_settings(sim.port, baud_rate=19200)).message == (
        f"The scale on {sim.port} does not answer: check the cable and the baud rate (19200).")


def test_overload_that_stays_times_out_with_advice(serial_scale, ticking_clock) -> None:
    sim = serial_scale("nci")
    sim.overload = True
    scale = open_scale(_settings(sim.port))
    try:
        with pytest.raises(DeviceError, match=r"over capacity.*Weigh it on a bigger scale"):
            wait_for_stable(scale, timeout=2, clock=ticking_clock, pause=lambda _: None)
    finally:
        scale.close()


@pytest.mark.parametrize(("answer", "state", "weight", "unit"), [
    (b"\n0012.34lb\r\n00\r\x03", ScaleState.WEIGHT, "12.34", WeightUnit.LB),
    (b"\n0001.50KG\r\n00\r\x03", ScaleState.WEIGHT, "1.50", WeightUnit.KG),  # some scales send upper case
    (b"\n 2lb 5.2oz\r\n00\r\x03", ScaleState.WEIGHT, "37.2", WeightUnit.OZ),  # pounds-and-ounces display
    (b"\n0003.40lb\r\n11\r\x03", ScaleState.NEGATIVE, "3.40", WeightUnit.LB),  # under capacity wins over motion
    (b"\n0000.00oz\r\n20\r\x03", ScaleState.ZERO, "0.00", WeightUnit.OZ),
    (b"\n0003.40lb\r\n0p0\r\x03", ScaleState.WEIGHT, "3.40", WeightUnit.LB),  # byte 2 says a third follows
    (b"\n0003.40lb\r\n\xb0\xb0\r\x03", ScaleState.WEIGHT, "3.40", WeightUnit.LB),  # parity bit set (7E1 read 8N1)
    (b"\n0003.40lb\r\n40\r\x03", ScaleState.ERROR, "3.40", WeightUnit.LB),  # RAM error
    (b"\n0003.40lb\r\n08\r\x03", ScaleState.ERROR, "3.40", WeightUnit.LB),  # faulty calibration
])
def test_nci_answers(answer: bytes, state: ScaleState, weight: str, unit: WeightUnit) -> None:
    reading = parse_nci(answer)
    assert (reading.state, reading.weight, reading.unit) == (state, Decimal(weight), unit)


def test_faults_are_named_as_the_scale_reports_them() -> None:
    reading = parse_nci(b"\n0003.40lb\r\n48\r\x03")
    assert reading.describe() == "the scale reports a RAM error and faulty calibration: it needs service"


def test_an_answer_that_is_not_nci_is_refused() -> None:
    with pytest.raises(DeviceError, match=r"not NCI"):
        parse_nci(b"S S       3.42 lb\r\n\x03", where="the scale on COM4")
