"""Long operations (ConfirmShipment, CorrectShipment): 202 + Location, then polls until done.

An operation runs its work when its last poll comes in (after ``polls_before_done`` polls that
answer 202), so a client must really poll; what the work raised is what that poll answers.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from shipdesk.sandbox.acumatica.errors import AcumaticaFault
from shipdesk.sandbox.server import Response

Work = Callable[[], None]


@dataclass
class LongOperation:
    op_id: str
    work: Work
    polls_left: int
    result: Response | None = None  # set once the work has run
    entity_location: str = ""


class LongOperations:
    def __init__(self, polls_before_done: int = 1) -> None:
        self.polls_before_done = polls_before_done
        self._operations: dict[str, LongOperation] = {}

    def start(self, work: Work, entity_location: str) -> LongOperation:
        operation = LongOperation(str(uuid.uuid4()), work, self.polls_before_done,
                                  entity_location=entity_location)
        self._operations[operation.op_id] = operation
        return operation

    def poll(self, op_id: str, status_location: str) -> Response | None:
        """202 while running, then 204 (or the work's error) for good; None for an unknown id."""
        operation = self._operations.get(op_id)
        if operation is None:
            return None
        if operation.result is not None:
            return operation.result
        if operation.polls_left > 0:
            operation.polls_left -= 1
            return Response.empty(202, {"Location": status_location})
        try:
            operation.work()
            operation.result = Response.empty(204, {"Location": operation.entity_location})
        except AcumaticaFault as fault:
            operation.result = fault.response
        return operation.result

    def clear(self) -> None:
        self._operations.clear()
