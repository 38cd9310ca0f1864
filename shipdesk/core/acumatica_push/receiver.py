"""The listener's Acumatica endpoint: who may push, what a push asks for, and replays told apart.

Acumatica signs nothing: the only proof is the header whose name and value the admin typed on SM302000
(Header Name, Header Value), compared here in constant time. A missing or wrong header is refused with 401
before the body is read; each source's first refusal is logged (a warning), later ones only counted, so a
scanner hammering the port cannot fill the log. A body that is not a push is refused with 400 (logged once
per source as well). Acumatica resends a push its destination refused, up to five times, and says its
``Id`` serves to "omit duplicated notifications": a push seen before (same query, ``Id`` and ``TimeStamp``,
or the very same rows) is answered 200 and dropped, so a replay pulls nothing twice. A push of another
inquiry than the configured one is answered 200 and ignored (a refusal would only be resent).
Accepted pushes put their shipment numbers in the sync's :class:`PushInbox` and are answered at once.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from shipdesk.core.acumatica_push.inbox import PushInbox
from shipdesk.core.acumatica_push.notification import parse_notification
from shipdesk.errors import InvalidPush

log = logging.getLogger(__name__)

#: a push names each row's columns: 1 MiB is thousands of shipments, never a memory risk
MAX_BODY = 1024 * 1024
#: pushes remembered for replays (Acumatica resends within minutes, five times at most)
REMEMBERED = 4096
#: sources whose refusal was logged; past this the set starts again (a log line per source, not per request)
LOGGED_SOURCES = 1024

Answer = tuple[int, dict[str, Any]]


@dataclass(frozen=True)
class PushSettings:
    path: str
    header_name: str
    secret: str = field(repr=False)
    shipment_field: str = "ShipmentNbr"
    query: str = ""  # "" accepts any inquiry


class AcumaticaPushRoute:
    """One route of the listener (``authorized`` before the body is read, then ``handle``)."""

    max_body = MAX_BODY

    def __init__(self, settings: PushSettings, inbox: PushInbox) -> None:
        self.settings = settings
        self.path = "/" + settings.path.strip("/")
        self.inbox = inbox
        self.counts = {"accepted": 0, "duplicate": 0, "ignored": 0, "refused": 0}
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._logged: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def authorized(self, headers: Mapping[str, str], client: str) -> bool:
        """``headers`` with lower-case names."""
        given = headers.get(self.settings.header_name.lower())
        if given is not None and hmac.compare_digest(given.encode("utf-8"), self.settings.secret.encode("utf-8")):
            return True
        self._refused(client, "header",
                      f"Acumatica push refused from {client}: the {self.settings.header_name} header is "
                      f"{'missing' if given is None else 'wrong'} (later refusals from there are only counted)")
        return False

    def handle(self, body: bytes, client: str) -> Answer:
        try:
            push = parse_notification(json.loads(body.decode("utf-8")), self.settings.shipment_field)
        except (InvalidPush, ValueError, UnicodeDecodeError, RecursionError) as exc:
            reason = (str(exc) if isinstance(exc, InvalidPush) else
                      "JSON nested too deeply" if isinstance(exc, RecursionError) else "malformed JSON")
            self._refused(client, "body", f"Acumatica push refused from {client}: {reason}")
            return 400, {"message": f"not an Acumatica push notification: {reason}"}
        if self.settings.query and push.query.casefold() != self.settings.query.casefold():
            self._count("ignored")
            self._log_once(client, "query:" + push.query, logging.INFO,
                           f"Acumatica pushes of inquiry {push.query!r} are ignored: shipdesk acts on "
                           f"{self.settings.query!r} ([acumatica.push] query)")
            return 200, {"status": "ignored"}
        if not self._first_time(push.replay_key, push.fingerprint):
            self._count("duplicate")
            log.debug("Acumatica push %s seen before: nothing pulled", push.transaction_id)
            return 200, {"status": "duplicate"}
        self._count("accepted")
        self.inbox.put(push.named)
        log.info("Acumatica push %s: %d shipment(s) in, %d out", push.transaction_id or "(no Id)",
                 len(push.inserted), len(push.deleted))
        return 200, {"status": "accepted", "shipments": len(push.named)}

    # -- inside -------------------------------------------------------------------------------------
    def _first_time(self, key: str, fingerprint: str) -> bool:
        with self._lock:
            if key in self._seen or fingerprint in self._seen:
                return False
            for remembered in (key, fingerprint):
                self._seen[remembered] = None
            while len(self._seen) > REMEMBERED:
                self._seen.popitem(last=False)
            return True

    def _refused(self, client: str, reason: str, sentence: str) -> None:
        self._count("refused")
        self._log_once(client, reason, logging.WARNING, sentence)

    def _log_once(self, client: str, reason: str, level: int, sentence: str) -> None:
        with self._lock:
            first = (client, reason) not in self._logged
            if first:
                if len(self._logged) >= LOGGED_SOURCES:
                    self._logged.clear()
                self._logged.add((client, reason))
        log.log(level if first else logging.DEBUG, "%s", sentence)

    def _count(self, outcome: str) -> None:
        with self._lock:
            self.counts[outcome] += 1
