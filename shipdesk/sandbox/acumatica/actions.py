"""Long operations (ConfirmShipment, CorrectShipment): 202 + Location, then done on their own.

An operation takes ``duration`` of simulated time and is finished by then whether or not anyone
polls its ``Location`` (a timer runs it; every request to the sandbox also settles what is due, so a
jump of the simulated clock counts too). A client that polls sees it finish sooner: the poll after
``polls_before_done`` polls that answered 202 finds it done. What the work raised is what the status
request answers once it is done.

Version 25.200.001 added a 409 to other requests of the session while an operation runs
(:func:`blocks_other_requests`); the versions the sandbox serves (22.200.001 to 24.200.001) do not.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from shipdesk.sandbox.acumatica.errors import AcumaticaFault
from shipdesk.sandbox.clock import SimClock
from shipdesk.sandbox.server import Response

Work = Callable[[], None]
DEFAULT_DURATION = timedelta(seconds=2)
FIRST_409_VERSION = (25, 200, 1)


def blocks_other_requests(version: str) -> bool:
    """True for endpoint versions that answer 409 to other requests while a long operation runs."""
    try:
        parts = tuple(int(p) for p in version.split("."))
    except ValueError:
        return False
    return parts >= FIRST_409_VERSION


@dataclass
class LongOperation:
    op_id: str
    work: Work
    polls_left: int
    due_at: datetime
    result: Response | None = None  # set once the work has run
    entity_location: str = ""

    def finish(self) -> Response:
        if self.result is None:
            try:
                self.work()
                self.result = Response.empty(204, {"Location": self.entity_location})
            except AcumaticaFault as fault:
                self.result = fault.response
        return self.result


class LongOperations:
    """Not thread-safe on its own: the sandbox calls it under its lock."""

    def __init__(self, clock: SimClock, polls_before_done: int = 1,
                 duration: timedelta = DEFAULT_DURATION) -> None:
        self.clock = clock
        self.polls_before_done = polls_before_done
        self.duration = duration
        self._operations: dict[str, LongOperation] = {}

    def start(self, work: Work, entity_location: str) -> LongOperation:
        operation = LongOperation(str(uuid.uuid4()), work, self.polls_before_done,
                                  self.clock.now() + self.duration, entity_location=entity_location)
        self._operations[operation.op_id] = operation
        return operation

    def settle(self) -> int:
        """Finish every operation whose time is up; returns how many finished now."""
        now = self.clock.now()
        due = [op for op in self._operations.values() if op.result is None and op.due_at <= now]
        for operation in due:
            operation.finish()
        return len(due)

    def running(self) -> bool:
        return any(op.result is None for op in self._operations.values())

    def poll(self, op_id: str, status_location: str) -> Response | None:
        """202 while running, then 204 (or the work's error) for good; None for an unknown id."""
        self.settle()
        operation = self._operations.get(op_id)
        if operation is None:
            return None
        if operation.result is not None:
            return operation.result
        if operation.polls_left > 0:
            operation.polls_left -= 1
            return Response.empty(202, {"Location": status_location})
        return operation.finish()

    def clear(self) -> None:
        self._operations.clear()
