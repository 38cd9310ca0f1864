"""Push notifications the way Acumatica sends them (SM302000, destination type Webhook), for one query.

The query is a generic inquiry of released shipments (Status Open) whose Ship Via is one of ``ship_vias``
(every Ship Via when empty): what docs/acumatica-push.md tells the admin to build. After every request that
may change data, the inquiry's result is compared with the last one: rows new in it go to ``Inserted``, rows
gone to ``Deleted``, a changed row to both (old in ``Deleted``, new in ``Inserted``), as the Integration
Development Guide's Push Notification Format describes. The body carries ``Query``, ``CompanyId`` (the
tenant), ``Id`` (a GUID per data transaction), ``TimeStamp`` (.NET ticks of the transaction) and
``AdditionalInfo``; the POST carries the Header Name/Value the admin typed, and ``Content-Type`` and
``Accept`` set by the system. A destination that does not answer 2xx gets the same notification again, at
most five attempts in all ("MYOB Acumatica makes at most five attempts"), ``retry_seconds`` apart here.
Notifications are delivered one at a time, in order, from one thread.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from shipdesk.sandbox.clock import SimClock

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
UNIX_EPOCH_TICKS = 621_355_968_000_000_000
DEFAULT_QUERY = "shipdesk: UPS shipments released"
COLUMNS = ("ShipmentNbr", "Status", "ShipVia", "CustomerID", "LastModifiedDateTime")


@dataclass(frozen=True)
class Destination:
    url: str
    header_name: str = ""
    header_value: str = field(default="", repr=False)
    query: str = DEFAULT_QUERY
    ship_vias: frozenset[str] = frozenset()
    retry_seconds: float = 0.2


@dataclass
class Delivery:
    body: dict[str, Any]
    attempts: int = 0
    statuses: list[int] = field(default_factory=list)  # 0: no answer
    delivered: bool = False


def ticks(moment: datetime) -> int:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    delta = aware - datetime(1970, 1, 1, tzinfo=UTC)
    return UNIX_EPOCH_TICKS + (delta.days * 86_400 + delta.seconds) * 10_000_000 + delta.microseconds * 10


class PushNotifier:
    def __init__(self, clock: SimClock, tenant: str) -> None:
        self.clock = clock
        self.tenant = tenant
        self.destination: Destination | None = None
        self.deliveries: list[Delivery] = []
        self._rows: dict[str, dict[str, Any]] = {}
        self._queue: queue.Queue[Delivery | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0

    def configure(self, destination: Destination, shipments: list[dict[str, Any]]) -> None:
        """Send to ``destination`` from now on; the query's current result is the baseline (nothing sent)."""
        self.destination = destination
        self._rows = self._result(shipments)
        if self._thread is None:
            self._thread = threading.Thread(target=self._deliver_all, name="acumatica-push", daemon=True)
            self._thread.start()

    def clear(self) -> None:
        self.destination = None
        self._rows = {}

    def stop(self) -> None:
        self.clear()
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=5)
            self._thread = None

    def after_change(self, shipments: list[dict[str, Any]]) -> None:
        """Compare the query's result with the last one; send what changed (the caller holds the sandbox lock)."""
        destination = self.destination
        if destination is None:
            return
        rows = self._result(shipments)
        inserted = [row for nbr, row in rows.items() if self._rows.get(nbr) != row]
        deleted = [row for nbr, row in self._rows.items() if rows.get(nbr) != row]
        self._rows = rows
        if not inserted and not deleted:
            return
        now = self.clock.now()
        body = {"Inserted": inserted, "Deleted": deleted, "Query": destination.query, "CompanyId": self.tenant,
                "Id": str(uuid.uuid4()), "TimeStamp": ticks(now), "AdditionalInfo": {}}
        delivery = Delivery(body)
        with self._lock:
            self.deliveries.append(delivery)
            self._pending += 1
        self._queue.put(delivery)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Until every notification so far was delivered or given up (tests)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"push_notifications": len(self.deliveries),
                    "push_delivered": sum(d.delivered for d in self.deliveries),
                    "push_attempts": sum(d.attempts for d in self.deliveries),
                    "push_given_up": sum(d.attempts >= MAX_ATTEMPTS and not d.delivered for d in self.deliveries)}

    # -- inside -------------------------------------------------------------------------------------
    def _result(self, shipments: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        destination = self.destination
        ship_vias = destination.ship_vias if destination else frozenset()
        return {s["ShipmentNbr"]: _row(s) for s in shipments
                if s.get("Status") == "Open" and (not ship_vias or s.get("ShipVia") in ship_vias)}

    def _deliver_all(self) -> None:
        while True:
            delivery = self._queue.get()
            if delivery is None:
                return
            try:
                self._deliver(delivery)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _deliver(self, delivery: Delivery) -> None:
        stopped = threading.Event()
        while delivery.attempts < MAX_ATTEMPTS:
            destination = self.destination
            if destination is None:
                return
            delivery.attempts += 1
            status = _post(destination, delivery.body)
            delivery.statuses.append(status)
            if 200 <= status < 300:
                delivery.delivered = True
                return
            stopped.wait(destination.retry_seconds)
        log.info("push notification %s given up after %d attempts", delivery.body["Id"], MAX_ATTEMPTS)


def _row(shipment: dict[str, Any]) -> dict[str, Any]:
    modified = shipment.get("LastModifiedDateTime")
    return {"ShipmentNbr": shipment["ShipmentNbr"], "Status": shipment.get("Status"),
            "ShipVia": shipment.get("ShipVia"), "CustomerID": shipment.get("CustomerID"),
            "LastModifiedDateTime": modified.replace(tzinfo=None).isoformat(timespec="milliseconds")
            if isinstance(modified, datetime) else modified}


def _post(destination: Destination, body: dict[str, Any]) -> int:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if destination.header_name:
        headers[destination.header_name] = destination.header_value
    request = urllib.request.Request(destination.url, data=json.dumps(body).encode("utf-8"), headers=headers,
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)
    except (OSError, ValueError):
        return 0
