"""A serial port (RS-232 or USB-serial) to a scale through pyserial: one request, one answer.

Every failure becomes a `DeviceError` sentence naming the port and what to check: a port that does
not exist or is taken, a scale that stays silent (cable, baud rate), an answer that is cut off or is
noise (baud rate, data format).
"""

from __future__ import annotations

import sys

import serial

from shipdesk.errors import DeviceError
from shipdesk.i18n import _

_PARITY = {"N": serial.PARITY_NONE, "E": serial.PARITY_EVEN, "O": serial.PARITY_ODD}


class SerialLink:
    def __init__(self, port: str, *, baud_rate: int = 9600, data_format: str = "8N1",
                 timeout: float = 1.0) -> None:
        self.port, self.baud_rate, self.data_format, self.timeout = port, baud_rate, data_format, timeout
        bits, parity, stop = int(data_format[0]), _PARITY[data_format[1]], int(data_format[2])
        try:
            self._serial = serial.Serial(port=port, baudrate=baud_rate, bytesize=bits, parity=parity,
                                         stopbits=stop, timeout=timeout, write_timeout=timeout)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceError(_("The serial port {port} could not be opened ({reason}).").format(
                                  port=port, reason=_reason(exc)),
                              hint=_open_hint(exc)) from exc

    def ask(self, request: bytes, terminator: bytes) -> bytes:
        """Send ``request`` and return the answer up to and including ``terminator``."""
        try:
            # whatever arrived unasked (a scale in continuous mode, the tail of an answer that came too
            # late last time) would be taken for the answer to this request
            self._serial.reset_input_buffer()
            self._serial.write(request)
            answer: bytes = self._serial.read_until(terminator)
        except (serial.SerialException, OSError) as exc:
            raise DeviceError(_("The scale on {port} stopped answering ({reason}).").format(
                                  port=self.port, reason=_reason(exc)),
                              hint=_("Check that the cable is still plugged in.")) from exc
        if not answer:
            raise DeviceError(_("The scale on {port} does not answer: check the cable and the baud rate "
                                "({baud_rate}).").format(port=self.port, baud_rate=self.baud_rate))
        if not answer.endswith(terminator):
            raise DeviceError(
                _("The scale on {port} answers, but not in a way shipdesk can read: check the baud rate "
                  "({baud_rate}), the data format ({data_format}) and the protocol set on the scale.").format(
                    port=self.port, baud_rate=self.baud_rate, data_format=self.data_format),
            )
        return answer

    def close(self) -> None:
        try:
            self._serial.close()
        except (serial.SerialException, OSError):
            pass  # the port went away (USB unplugged): nothing left to release


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.split(": ", 1)[-1] if text.startswith("[Errno") else text or type(exc).__name__


def _open_hint(exc: BaseException) -> str:
    text = str(exc).lower()
    if "permission" in text or "access is denied" in text:
        if sys.platform.startswith("linux"):
            return _("Add this user to the 'dialout' group (then log in again), or close the program using it.")
        return _("Another program may be using the port: close it and try again.")
    if "no such file" in text or "could not find" in text or "cannot find" in text:
        return _("Check the port name (Device Manager on Windows, /dev/ttyUSB* or /dev/ttyACM* on Linux).")
    return _("Check the port name and that no other program is using it.")
