"""1Z tracking numbers: ``1Z`` + 6-character account + 2-digit service + 7-digit serial + check digit."""

from __future__ import annotations


def _digit_value(char: str) -> int:
    # Letters map to digits the way UPS does it: (ord - 63) mod 10, so A=2, B=3, ... J=1.
    return int(char) if char.isdigit() else (ord(char.upper()) - 63) % 10


def compute_check_digit(body: str) -> int:
    """The check digit for the 15 characters after ``1Z`` (or a full 17-character prefix)."""
    if body.upper().startswith("1Z"):
        body = body[2:]
    total = 0
    for index, char in enumerate(body):
        value = _digit_value(char)
        total += value * 2 if index % 2 else value
    return (10 - total % 10) % 10


def make_tracking_number(account: str, service_code: str, serial: int) -> str:
    """An 18-character 1Z number for a package of ``account`` shipped with ``service_code``."""
    body = f"{account.upper():.6}{service_code.zfill(2)[-2:]}{serial % 10_000_000:07d}"
    return f"1Z{body}{compute_check_digit(body)}"


def is_valid_tracking_number(number: str) -> bool:
    number = number.strip().upper()
    well_formed = len(number) == 18 and number.startswith("1Z") and number[2:].isalnum()
    if not well_formed or not number[17].isdigit():
        return False
    return compute_check_digit(number[2:17]) == int(number[17])
