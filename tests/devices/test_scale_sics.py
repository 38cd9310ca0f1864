"""Mettler Toledo MT-SICS scales: the real request and answer bytes through a pseudo-terminal."""

from __future__ import annotations

import re
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
from shipdesk.devices.scales.serial_link import SerialLink
from shipdesk.devices.scales.sics import REQUEST_STABLE, SicsScale, parse_sics
from shipdesk.errors import DeviceError


def _settings(port: str, **extra: object) -> ScaleSettings:
    return ScaleSettings(kind=ScaleKind.SICS, port=port, **extra)  # type: ignore[arg-type]


def test_a_box_put_down_is_weighed_once_it_settles(serial_scale) -> None:
    sim = serial_scale("sics")
    sim.put(Decimal("3.42"), settle=3)

    reading = weigh(_settings(sim.port))

    assert (reading.state, reading.weight, reading.unit) == (ScaleState.WEIGHT, Decimal("3.42"), WeightUnit.LB)
    assert reading.raw == b"S S       3.42 lb\r\n"  # the weight right-aligned in 10 characters
    # polled with SI: three answers in motion, then three equal stable ones
    assert sim.requests == [b"SI"] * 6
    assert ups_weight(reading, "LBS") == Decimal("3.42")


def test_each_answer_shows_what_the_scale_shows(serial_scale) -> None:
    sim = serial_scale("sics")
    scale = open_scale(_settings(sim.port))
    try:
        sim.put(Decimal("12.5"), settle=1)
        moving = scale.read()
        assert moving.state is ScaleState.MOTION and moving.raw.startswith(b"S D ")
        assert moving.describe().endswith("lb, in motion")
        assert scale.read().describe() == "12.50 lb, stable"

        sim.overload = True
        assert scale.read().state is ScaleState.OVERLOAD
        sim.overload, sim.underload = False, True
        under = scale.read()
        assert under.state is ScaleState.NEGATIVE and under.describe() == "below zero (under the weighing range)"
        sim.underload = False

        sim.put(Decimal("-0.2"))
        assert scale.read().describe() == "below zero (-0.20 lb)"
        sim.put(Decimal(0))
        assert scale.read().state is ScaleState.ZERO
    finally:
        scale.close()


def test_kilograms_are_converted_for_ups_and_never_rounded_down(serial_scale) -> None:
    sim = serial_scale("sics")
    sim.decimals = 3
    sim.put(Decimal("1.25"), unit=WeightUnit.KG)
    reading = weigh(_settings(sim.port, stable_readings=2))
    assert reading.raw == b"S S      1.250 kg\r\n"
    assert ups_weight(reading, "KGS") == Decimal("1.25")
    assert ups_weight(reading, "LBS") == Decimal("2.76")  # 2.7557... lb, rounded up


def test_the_stable_request_S_gets_the_settled_weight(serial_scale) -> None:
    sim = serial_scale("sics")
    sim.put(Decimal("0.75"), settle=4)
    link = SerialLink(sim.port)
    try:
        reading = SicsScale(link, request=REQUEST_STABLE).read()
        sim.motion = True
        busy = SicsScale(link, request=REQUEST_STABLE).read()
    finally:
        link.close()
    assert reading.describe() == "0.75 lb, stable" and sim.requests == [b"S", b"S"]
    assert busy.state is ScaleState.MOTION and "busy" in busy.describe()


def test_a_scale_that_keeps_moving_times_out_with_the_last_weight(serial_scale, ticking_clock) -> None:
    sim = serial_scale("sics")
    sim.put(Decimal("8.10"))
    sim.motion = True
    scale = open_scale(_settings(sim.port))
    try:
        with pytest.raises(DeviceError) as caught:
            wait_for_stable(scale, timeout=3, clock=ticking_clock, pause=lambda _: None)
    finally:
        scale.close()
    assert str(caught.value) == ("The weight did not settle within 3 seconds (last: 8.10 lb, in motion)."
                                 " Keep the package still on the scale, then try again.")


@pytest.mark.parametrize(("setup", "expected"), [
    ({"overload": True}, "is over capacity: the package is heavier than it can weigh."),
    ({"underload": True}, "shows below zero (under the weighing range). Take everything off the scale"),
    ({}, "shows zero. Put the package on the scale."),
])
def test_zero_negative_and_overload_are_said_as_such(serial_scale, ticking_clock, setup, expected) -> None:
    sim = serial_scale("sics")
    for name, value in setup.items():
        setattr(sim, name, value)
    scale = open_scale(_settings(sim.port))
    try:
        with pytest.raises(DeviceError, match=re.escape(expected)) as caught:
            wait_for_stable(scale, timeout=2, clock=ticking_clock, pause=lambda _: None)
    finally:
        scale.close()
    assert str(caught.value).startswith(f"The scale on {sim.port} ")


def test_the_test_button_reports_a_working_scale_even_when_empty(serial_scale) -> None:
    sim = serial_scale("sics")
    assert str(check_scale(_settings(sim.port))) == "Scale OK: 0.00 lb, stable (nothing on the scale)"
    sim.put(Decimal("3.42"))
    result = check_scale(_settings(sim.port))
    assert result.ok and result.message == "Scale OK: 3.42 lb, stable"


def test_a_silent_scale_names_the_port_and_the_baud_rate(serial_scale) -> None:
    sim = serial_scale("sics")
    sim.silent = True
    result = check_scale(_settings(sim.port, baud_rate=4800))
    assert not result.ok
    assert result.message == f"The scale on {sim.port} does not answer: check the cable and the baud rate (4800)."


def test_noise_on_the_line_points_at_the_line_settings(serial_scale) -> None:
    sim = serial_scale("sics")
    sim.noise = True
    result = check_scale(_settings(sim.port, data_format="7e1"))
    assert not result.ok
    assert "baud rate (9600), the data format (7E1) and the protocol" in result.message


def test_a_port_that_does_not_exist_is_named(tmp_path) -> None:
    result = check_scale(_settings(str(tmp_path / "ttyUSB9")))
    assert not result.ok
    assert result.message.startswith(f"The serial port {tmp_path / 'ttyUSB9'} could not be opened")
    assert "port name" in result.message


@pytest.mark.parametrize(("answer", "state", "weight", "unit"), [
    (b"S S     100.00 g\r\n", ScaleState.WEIGHT, "100.00", WeightUnit.G),  # the manual's own example
    (b"S D      12.34 kg\r\n", ScaleState.MOTION, "12.34", WeightUnit.KG),
    (b"S S      -1.05 lb\r\n", ScaleState.NEGATIVE, "-1.05", WeightUnit.LB),
    (b"S S       0.00 oz\r\n", ScaleState.ZERO, "0.00", WeightUnit.OZ),
    (b"S +\r\n", ScaleState.OVERLOAD, None, None),
    (b"S -\r\n", ScaleState.NEGATIVE, None, None),
    (b"S I\r\n", ScaleState.MOTION, None, None),
    (b"S S      12.00 ozt\r\n", ScaleState.ERROR, "12.00", None),
])
def test_sics_answers(answer: bytes, state: ScaleState, weight: str | None, unit: WeightUnit | None) -> None:
    reading = parse_sics(answer)
    assert (reading.state, reading.weight, reading.unit) == (state, Decimal(weight) if weight else None, unit)


@pytest.mark.parametrize(("answer", "says"), [
    (b"ES\r\n", "set its interface to MT-SICS"),
    (b"ET\r\n", "baud rate or data format differs"),
    (b"EL\r\n", "cannot carry out the weight command"),
    (b"\x81\xfe\r\n", "cannot read"),
])
def test_sics_error_answers_are_sentences(answer: bytes, says: str) -> None:
    with pytest.raises(DeviceError, match=says):
        parse_sics(answer, where="the scale on COM3")
