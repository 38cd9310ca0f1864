"""Reporting a service outage once: "UPS unreachable since 10:02", later "UPS reachable again".

The start of an outage is kept in SyncState (``outage.<service>``), so neither a new cycle nor a
restarted process repeats the sentence for every package, every cycle; the log gets one line too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from shipdesk.acumatica.errors import RecordChangedElsewhere
from shipdesk.core.store import sync_state
from shipdesk.errors import ConnectionFailed, RateLimited, RemoteError, ServerError, Service
from shipdesk.i18n import _

log = logging.getLogger(__name__)

KEY = "outage."


def _clock_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M")  # the PC's local time, as the user reads it


class OutageWatch:
    def __init__(self, service: str, now: Callable[[], datetime]) -> None:
        self.service = service
        self.now = now
        self.key = KEY + service.lower()

    @property
    def since(self) -> datetime | None:
        return sync_state.get_time(self.key)

    def failed(self, error: RemoteError) -> str | None:
        """The sentence to report for this failure, or None when this outage was reported already."""
        if self.since is not None:
            log.debug("%s still unreachable: %s", self.service, error)
            return None
        started = self.now()
        sync_state.set_time(self.key, started)
        message = _what(error).format(service=self.service, time=_clock_time(started), reason=error)
        log.warning("%s", message)
        return message

    def recovered(self) -> str | None:
        """The sentence to report when the service answered again after an outage, else None."""
        since = self.since
        if since is None:
            return None
        sync_state.set_value(self.key, "")
        message = _("{service} reachable again (out since {time}).").format(service=self.service,
                                                                              time=_clock_time(since))
        log.warning("%s", message)
        return message


def _what(error: RemoteError) -> str:
    """The sentence, with {service}, {time} and {reason} to fill in."""
    if isinstance(error, ConnectionFailed):
        return _("{service} unreachable since {time}: {reason}")
    if isinstance(error, RateLimited):
        return _("{service} refusing requests (too many) since {time}: {reason}")
    return _("{service} failing since {time}: {reason}")


def is_outage(error: BaseException) -> bool:
    """The service is down, overloaded or throttling (trying later may work): an outage to report once,
    not a problem with one document to report for each (a save that met another save of the same record
    is about that record only)."""
    if isinstance(error, RecordChangedElsewhere):
        return False
    return isinstance(error, (ConnectionFailed, RateLimited, ServerError)) or (
        isinstance(error, RemoteError) and error.retryable)


class CycleHealth:
    """What one sync cycle learnt of each service: its first error, or that it answered.

    Steps record here as they go; at the end of the cycle the sync turns it into outage sentences
    (:class:`OutageWatch`): a failure starts an outage, a service that answered and never failed ends one.
    """

    def __init__(self) -> None:
        self.errors: dict[Service, RemoteError] = {}  # the first error per service
        self.answered: set[Service] = set()

    def clear(self) -> None:
        self.errors.clear()
        self.answered.clear()

    def failed(self, error: RemoteError) -> None:
        self.errors.setdefault(error.service, error)

    def heard_from(self, service: Service) -> None:
        self.answered.add(service)
