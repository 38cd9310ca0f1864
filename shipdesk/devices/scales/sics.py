"""Mettler Toledo scales and balances over serial: the MT-SICS command set (level 0: ``S``, ``SI``).

Sources: the MT-SICS reference manuals (11780711 "MT-SICS for Excellence/NewClassic balances", the
weigh-module manual) and Mettler Toledo operating instructions, e.g. the AL/AT balances' "S – Send
stable weight value" page.

- A command is ASCII, upper case, ended by CR LF; so is each answer.
- ``S`` asks for a stable weight; the balance waits for stability (or answers ``S I`` when it cannot
  reach it in time). ``SI`` asks for the weight now, stable or not; shipdesk polls with ``SI`` and
  judges stability itself (`stable.wait_for_stable`), so the clerk sees the weight move.
- An answer with a weight is ``<id> <status> <weight> <unit>``: ``S S      12.34 kg`` (the weight is
  right-aligned in 10 characters, a minus sign in front when negative). Status ``S`` = stable,
  ``D`` = dynamic (in motion).
- ``S I`` = understood but not executable now (busy zeroing or taring, or no stability in time);
  ``S +`` = overload; ``S -`` = underload (below the weighing range: pan missing).
- ``ES`` syntax error (the command is not known: not a SICS device), ``ET`` transmission error
  (parity/framing: line settings differ), ``EL`` logical error.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from shipdesk.devices.scales.reading import ScaleReading, ScaleState, WeightUnit
from shipdesk.devices.scales.scale import capitalised
from shipdesk.devices.scales.serial_link import SerialLink
from shipdesk.errors import DeviceError
from shipdesk.i18n import N_, _

REQUEST_IMMEDIATE = b"SI\r\n"
REQUEST_STABLE = b"S\r\n"
TERMINATOR = b"\r\n"

_UNITS = {"g": WeightUnit.G, "kg": WeightUnit.KG, "lb": WeightUnit.LB, "oz": WeightUnit.OZ}
_ERRORS = {
    "ES": N_("{scale} does not know the SICS weight command: set its interface to MT-SICS."),
    "ET": N_("{scale} received the request garbled: the baud rate or data format differs from the scale's."),
    "EL": N_("{scale} cannot carry out the weight command right now."),
}


def parse_sics(answer: bytes, *, where: str = "") -> ScaleReading:
    where = where or _("the scale")
    """The reading in one SICS answer (``S S      12.34 kg``). Raises `DeviceError` for ES/ET/EL and noise."""
    text = bytes(b & 0x7F for b in answer).decode("ascii", "replace").strip()
    tokens = text.split()
    if len(tokens) == 1 and tokens[0] in _ERRORS:
        said = _(_ERRORS[tokens[0]])  # i18n: N_()-marked above
        raise DeviceError(said.format(scale=capitalised(where)))
    if len(tokens) < 2 or tokens[0] not in ("S", "SI"):
        raise DeviceError(_("{scale} sent an answer shipdesk cannot read ({text!r}).").format(
                              scale=capitalised(where), text=text[:30]),
                          hint=_("Check that the scale's interface is set to MT-SICS."))
    status = tokens[1]
    if status == "+":
        return ScaleReading(ScaleState.OVERLOAD, raw=answer)
    if status == "-":
        return ScaleReading(ScaleState.NEGATIVE, detail=_("under the weighing range"), raw=answer)
    if status == "I":
        return ScaleReading(ScaleState.MOTION, detail=_("the scale is busy (zeroing, taring or settling)"),
                            raw=answer)
    if status not in ("S", "D") or len(tokens) < 4:
        raise DeviceError(_("{scale} sent an answer shipdesk cannot read ({text!r}).").format(
                              scale=capitalised(where), text=text[:30]))
    try:
        weight = Decimal(tokens[2])
    except InvalidOperation:
        raise DeviceError(_("{scale} sent a weight shipdesk cannot read ({tokens!r}).").format(
                              scale=capitalised(where), tokens=tokens[2])) from None
    unit = _UNITS.get(tokens[3])
    if unit is None:
        return ScaleReading(ScaleState.ERROR, weight, None, raw=answer,
                            detail=_("the scale weighs in {unit}: set it to lb, oz, kg or g").format(unit=tokens[3]))
    if status == "D":
        return ScaleReading(ScaleState.MOTION, weight, unit, raw=answer)
    state = ScaleState.ZERO if weight == 0 else ScaleState.NEGATIVE if weight < 0 else ScaleState.WEIGHT
    return ScaleReading(state, weight, unit, raw=answer)


class SicsScale:
    """A MT-SICS scale on a serial port, polled with ``SI``."""

    poll_interval = 0.1  # SICS balances update their display about 10 times a second

    def __init__(self, link: SerialLink, *, request: bytes = REQUEST_IMMEDIATE) -> None:
        self.link, self.request = link, request

    @property
    def name(self) -> str:
        return _("the scale on {port}").format(port=self.link.port)

    def read(self) -> ScaleReading:
        return parse_sics(self.link.ask(self.request, TERMINATOR), where=self.name)

    def close(self) -> None:
        self.link.close()
