"""Running an action on a record (ConfirmShipment, CorrectShipment) and waiting for it to finish.

``POST /{entity}/{action}`` answers 204 when done, or 202 with a ``Location`` to poll while it runs.
Polling stops after the action's time is up: the action may still finish, so that is an
``OutcomeUnknown``, not a failure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from shipdesk.acumatica.errors import SERVICE
from shipdesk.acumatica.session import AcumaticaSession
from shipdesk.acumatica.values import wrap
from shipdesk.errors import OutcomeUnknown
from shipdesk.i18n import _


@dataclass(frozen=True)
class Polling:
    """How a running action is waited for: ``sleep(seconds)`` between at most ``max_polls`` polls."""

    sleep: Callable[[float], None]
    seconds: float
    max_polls: int


def run_action(session: AcumaticaSession, entity: str, action: str, keys: dict[str, Any], *, polling: Polling,
               doing: str) -> None:
    """POST an action; 204 = done, 202 = running: poll its ``Location`` until 204 or the time runs out."""
    body = {"entity": wrap(keys), "parameters": {}}
    response = session.call("POST", session.url(f"/{entity}/{action}"), json=body, ok=(200, 202, 204),
                            idempotent=False, doing=doing)
    if response.status_code != 202:
        return
    location = response.headers.get("Location", "")
    if not location:
        return  # nothing to poll: Acumatica accepted it
    # Location already holds the instance path: resolve against the origin, never prefix it again
    status_url = urljoin(session.base_url + "/", location)
    for _poll in range(polling.max_polls):
        polling.sleep(polling.seconds)
        status = session.exchange("GET", status_url)
        if status.status_code in (200, 204):
            return
        if status.status_code != 202:
            session.raise_for(status, ok=(), doing=doing)
    raise OutcomeUnknown(
        _("Acumatica is still working on the request to {doing}; shipdesk stopped waiting.").format(doing=doing),
        service=SERVICE, hint=_("Open the shipment in Acumatica to see whether it finished."),
    )
