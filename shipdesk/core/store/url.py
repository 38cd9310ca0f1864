"""The shared store's address: ``postgresql://user@host:5432/database``, parsed, checked and shown safely.

The password never belongs in the address (it lives in the keyring as ``store.password`` or in
``SHIPDESK_STORE_PASSWORD``): an address that carries one is refused, and :func:`redact` hides it in
anything shown anyway, so no sentence or log line ever repeats it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from shipdesk.i18n import _

SCHEMES = ("postgresql", "postgres")
DEFAULT_PORT = 5432
#: libpq options a site may add after ``?`` (TLS to a server across the network, a timeout)
ALLOWED_OPTIONS = frozenset({"sslmode", "sslrootcert", "connect_timeout", "application_name"})
_PASSWORD = re.compile(r"(//[^/@:\s]*):[^@/\s]*@")


@dataclass(frozen=True)
class StoreUrl:
    user: str
    host: str
    port: int
    database: str
    options: tuple[tuple[str, str], ...] = ()

    @property
    def shown(self) -> str:
        """How messages name it: ``shipdesk@db.example.local:5432/shipdesk`` (never a password)."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def connect_params(self, password: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {
            "user": self.user, "host": self.host, "port": self.port, "connect_timeout": 10,
            "application_name": "shipdesk",
            # a station that vanished mid-change must not hold the others' writes for long: the server ends
            # a transaction left idle for a minute, and a write waits at most 90 s for its turn
            "options": "-c idle_in_transaction_session_timeout=60000 -c lock_timeout=90000",
            # notice a server or network that went away within a minute, not TCP's two hours
            "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3,
        }
        params.update(dict(self.options))
        if password:
            params["password"] = password
        return params


def parse_store_url(url: str) -> StoreUrl:
    """The parts of a ``postgresql://`` address; ValueError saying what is wrong (never echoing a password)."""
    # the ValueError's text is shown in a sentence ("The shared store address ... is not {problem}.")
    example = "postgresql://shipdesk@db.example.local:5432/shipdesk"
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise ValueError(_('an address like "{example}" (its port is not a number)').format(example=example)) from None
    if parts.scheme.lower() not in SCHEMES:
        raise ValueError(_('an address like "{example}" (it must start with postgresql://)').format(example=example))
    if parts.password is not None:
        raise ValueError(_('an address like "{example}" without a password: keep it in the keyring (`shipdesk '
                           'credentials set store.password`) or in SHIPDESK_STORE_PASSWORD').format(example=example))
    user, host = unquote(parts.username or ""), parts.hostname or ""
    database = unquote(parts.path.lstrip("/"))
    if not user or not host or not database or "/" in database:
        raise ValueError(_('an address like "{example}" (user, host and database name are all needed)').format(
            example=example))
    options = tuple(parse_qsl(parts.query))
    unknown = sorted({name for name, _value in options} - ALLOWED_OPTIONS)
    if unknown:
        raise ValueError(_('an address like "{example}"; the options after "?" may be {allowed}, not '
                           '{unknown}').format(example=example, allowed=", ".join(sorted(ALLOWED_OPTIONS)),
                                               unknown=", ".join(unknown)))
    return StoreUrl(user=user, host=host, port=port or DEFAULT_PORT, database=database, options=options)


def redact(text: str) -> str:
    """``text`` with any password written into an address replaced by ``***``."""
    return _PASSWORD.sub(r"\1:***@", text)
