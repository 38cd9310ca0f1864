"""A serial scale on a pseudo-terminal that answers MT-SICS or NCI requests byte for byte.

For tests, demos and trying the settings dialog without a scale (POSIX only: ``os.openpty``)::

    with SerialScaleSimulator("nci") as sim:        # sim.port is /dev/pts/N
        sim.put(Decimal("3.42"), settle=3)           # the next 3 answers are "in motion", then stable
        settings = ScaleSettings(kind="nci", port=sim.port)

A client opens ``sim.port`` with pyserial as it would a COM port. The simulator answers each request
with the bytes the protocol modules' docstrings describe (`sics`, `nci`). ``motion``, ``overload``,
``underload`` (SICS "S -", NCI "under capacity"), ``silent`` (a scale that never answers: wrong baud
rate or cable) and ``noise`` (what a wrong baud rate looks like) can be switched at any time;
``requests`` keeps every request received.

What it does not do: wait. A real SICS balance holds its answer to ``S`` until the weight is stable;
this one answers at once (``S I`` while ``motion`` is on, else the settled weight). Line speed,
parity and framing are not simulated: a pty carries bytes whatever the baud rate.
"""

from __future__ import annotations

import os
import select
import threading
import tty
from decimal import Decimal
from typing import Literal, Self

from shipdesk.devices.scales.nci import ALWAYS_SET, AT_ZERO, MOTION, OVER_CAPACITY, UNDER_CAPACITY
from shipdesk.devices.scales.reading import WeightUnit

Protocol = Literal["sics", "nci"]
_NOISE = b"\xf8\x80\x1e\xfe\x00\x98\xe0"  # bytes sent at 9600 baud and read at 2400 come out like this


class SerialScaleSimulator:
    def __init__(self, protocol: Protocol, *, weight: Decimal = Decimal("0.00"), unit: WeightUnit = WeightUnit.LB,
                 decimals: int = 2) -> None:
        self.protocol = protocol
        self.weight, self.unit, self.decimals = Decimal(weight), unit, decimals
        self.motion = self.overload = self.underload = self.silent = self.noise = False
        self.requests: list[bytes] = []
        self._settling: list[Decimal] = []  # weights still to show in motion before the weight stands
        self._lock = threading.Lock()
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no CR/LF translation: bytes pass as they are
        self.port = os.ttyname(self._slave)
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._serve, name=f"{protocol}-scale-simulator", daemon=True)

    # -- control -----------------------------------------------------------------------------------
    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            os.write(self._wake_w, b"x")
            self._thread.join(timeout=5)
        for fd in (self._master, self._slave, self._wake_r, self._wake_w):
            try:
                os.close(fd)
            except OSError:
                pass

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def put(self, weight: Decimal | str, *, unit: WeightUnit | None = None, settle: int = 0) -> None:
        """A package is put down: the next ``settle`` weight answers are in motion, rising towards
        ``weight``; then the weight stands."""
        target = Decimal(weight)
        with self._lock:
            self.weight, self.unit = target, unit or self.unit
            self._settling = [target * (1 - Decimal(n) / (2 * settle)) for n in range(settle, 0, -1)]

    # -- serving -----------------------------------------------------------------------------------
    def _serve(self) -> None:
        pending = b""
        separator = b"\n" if self.protocol == "sics" else b"\r"
        while True:
            ready, _, _ = select.select([self._master, self._wake_r], [], [])
            if self._wake_r in ready:
                return
            try:
                pending += os.read(self._master, 1024)
            except OSError:
                return
            while separator in pending:
                line, pending = pending.split(separator, 1)
                command = line.strip(b"\r\n")
                with self._lock:
                    self.requests.append(command)
                    answer = self._answer(command)
                if answer:
                    os.write(self._master, answer)

    def _answer(self, command: bytes) -> bytes:
        if self.silent:
            return b""
        if self.noise:
            return _NOISE
        return self._sics(command) if self.protocol == "sics" else self._nci(command)

    def _next_weight(self, *, wait_for_stable: bool = False) -> tuple[Decimal, bool]:
        """The weight to show now and whether it is moving (each answer moves the settling on)."""
        if wait_for_stable:
            self._settling.clear()
        if self._settling:
            return self._settling.pop(0), True
        return self.weight, self.motion

    def _shown(self, weight: Decimal) -> str:
        if self.unit is WeightUnit.G:
            return format(weight.quantize(Decimal(1)), "f")
        return format(weight.quantize(Decimal(1).scaleb(-self.decimals)), "f")

    def _sics(self, command: bytes) -> bytes:
        if command in (b"S", b"SI"):
            if self.overload:
                return b"S +\r\n"
            if self.underload:
                return b"S -\r\n"
            weight, moving = self._next_weight(wait_for_stable=command == b"S" and not self.motion)
            if command == b"S" and moving:
                return b"S I\r\n"  # a real balance would first wait for stability, then give up
            status = b"D" if moving else b"S"
            return b"S " + status + b" " + f"{self._shown(weight):>10} {self.unit.value}".encode() + b"\r\n"
        if command == b"Z":
            self.weight, self._settling = Decimal(0), []
            return b"Z A\r\n"
        if command == b"@":
            return b'I4 A "SIM0001"\r\n'
        return b"ES\r\n"

    def _nci(self, command: bytes) -> bytes:
        if command == b"W":
            weight, moving = self._next_weight()
            if self.overload or self.underload:
                shown = " ^^^^^^ " if self.overload else " ______ "  # out-of-range characters, not digits
            elif self.unit is WeightUnit.G:
                shown = f"{self._shown(weight):>5}g "
            else:
                shown = f"{format(weight, f'0{5 + self.decimals}.{self.decimals}f')}{self.unit.value}"
            return b"\n" + shown.encode() + b"\r" + self._nci_status(weight, moving)
        if command == b"S":
            return self._nci_status(self.weight, self.motion)
        if command == b"Z":
            self.weight, self._settling = Decimal(0), []
            return self._nci_status(self.weight, False)
        return b"\n?\r\x03"

    def _nci_status(self, weight: Decimal, moving: bool) -> bytes:
        first = ALWAYS_SET | (MOTION if moving else 0) | (AT_ZERO if weight == 0 and not moving else 0)
        second = ALWAYS_SET | (OVER_CAPACITY if self.overload else 0) | (UNDER_CAPACITY if self.underload else 0)
        return b"\n" + bytes([first, second]) + b"\r\x03"
