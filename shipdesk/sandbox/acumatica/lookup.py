"""Finding a record by its key without reading the whole list.

A real instance reads a shipment by key from an indexed table; a sandbox that scans its list for every
request spends milliseconds per call once it holds ten thousand shipments (the benchmarks), and would
be slower than the service it stands in for. The records stay plain lists that tests may append to or
replace: a lookup checks the record it lands on and rebuilds the map when that is not the one wanted.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

Record = dict[str, Any]


class Positions:
    """Where the record with each key sits in one list (the first one, if a key repeats)."""

    def __init__(self, key: Callable[[Record], Hashable]) -> None:
        self._key = key
        self._at: dict[Hashable, int] = {}
        self._records: list[Record] | None = None

    def find(self, records: list[Record], wanted: Hashable) -> Record | None:
        if self._records is records:
            found = self._check(records, wanted)
            if found is not None:
                return found
        self._rebuild(records)  # another list, a record moved, or one added since: read it again
        return self._check(records, wanted)

    def position(self, wanted: Hashable) -> int:
        """Where the record :meth:`find` just found sits."""
        return self._at[wanted]

    def _check(self, records: list[Record], wanted: Hashable) -> Record | None:
        at = self._at.get(wanted)
        if at is None or at >= len(records) or self._key(records[at]) != wanted:
            return None
        return records[at]

    def _rebuild(self, records: list[Record]) -> None:
        at: dict[Hashable, int] = {}
        for index, record in enumerate(records):
            at.setdefault(self._key(record), index)
        self._at, self._records = at, records


class Links:
    """Which shipments link to each sales order (``Orders`` rows, which the API never changes)."""

    def __init__(self) -> None:
        self._of: dict[tuple[str, str], list[int]] = {}
        self._records: list[Record] | None = None
        self._count = -1

    def shipments_of(self, shipments: list[Record], order_type: str, order_nbr: str) -> list[Record]:
        if self._records is not shipments or self._count != len(shipments):
            self._rebuild(shipments)
        wanted = (order_type, order_nbr)
        found = [shipments[i] for i in self._of.get(wanted, ())]
        if all(any((link["OrderType"], link["OrderNbr"]) == wanted for link in s["Orders"]) for s in found):
            return found
        self._rebuild(shipments)  # a record was replaced by one with other links
        return [shipments[i] for i in self._of.get(wanted, ())]

    def _rebuild(self, shipments: list[Record]) -> None:
        of: dict[tuple[str, str], list[int]] = {}
        for index, shipment in enumerate(shipments):
            for order in dict.fromkeys((link["OrderType"], link["OrderNbr"]) for link in shipment["Orders"]):
                of.setdefault(order, []).append(index)
        self._of, self._records, self._count = of, shipments, len(shipments)
