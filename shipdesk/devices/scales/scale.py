"""The one interface every scale back-end offers: :class:`Scale` (``read()``, ``close()``)."""

from __future__ import annotations

from typing import Protocol

from shipdesk.devices.scales.reading import ScaleReading


class Scale(Protocol):
    @property
    def name(self) -> str:
        """How a sentence names it: ``the scale on COM3``, ``the USB scale DYMO M25``."""

    @property
    def poll_interval(self) -> float:
        """Seconds between two reads while waiting for a stable weight (0: ``read`` waits for the scale)."""

    def read(self) -> ScaleReading:
        """The scale's current reading. Raises `DeviceError` when the scale cannot be read."""

    def close(self) -> None:
        """Let the port or USB device go (another program, or the next ``open_scale``, may take it)."""


def capitalised(text: str) -> str:
    """``the scale on COM3`` → ``The scale on COM3``, to start a sentence with a scale's name."""
    return text[:1].upper() + text[1:]
