"""The UPS 1Z tracking number check digit.

Used to warn about a number a person typed or scanned, never to reject one UPS returned: some
numbers in UPS's own documentation fail the check.
"""

from __future__ import annotations

import re

_SHAPE = re.compile(r"^1Z[0-9A-Z]{16}$")


def check_digit(body: str) -> int:
    """The check digit for the 15 characters after ``1Z`` (letters count as (ord - 63) mod 10)."""
    total = 0
    for position, char in enumerate(body):
        value = int(char) if char.isdigit() else (ord(char) - 63) % 10
        # the 2nd, 4th... characters count double
        total += value * 2 if position % 2 else value
    return (10 - total % 10) % 10


def is_valid_1z(number: str) -> bool:
    """True when ``number`` has the 1Z shape and its last digit matches the check digit."""
    candidate = number.strip().upper().replace(" ", "")
    if not _SHAPE.match(candidate) or not candidate[-1].isdigit():
        return False
    return check_digit(candidate[2:17]) == int(candidate[-1])
