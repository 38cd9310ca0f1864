"""The UPS token the stations share, and the count of tokens UPS granted per day (the daily cap is shared).

The store never sees the token itself: it keeps what the UPS client sealed with a key derived from the
UPS client secret, which the database does not hold. Refreshing happens under one lock for the whole
warehouse (:func:`refreshing`), so when the token runs out exactly one station asks UPS for the next.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import date

from shipdesk.core.store.engines import LOCK_UPS_TOKEN, SharedDatabase
from shipdesk.core.store.fields import utcnow
from shipdesk.core.store.models import TokenGrant, UpsToken, database_proxy
from shipdesk.core.store.transaction import write
from shipdesk.ups.token_store import SealedToken

_local_refresh = threading.Lock()


def load(key: str) -> SealedToken | None:
    row = UpsToken.get_or_none(UpsToken.key == key)
    return SealedToken(row.sealed, row.expires_at) if row is not None else None


def save(key: str, sealed: str, expires_at: float) -> None:
    with write():
        (UpsToken.insert(key=key, sealed=sealed, expires_at=expires_at, updated_at=utcnow())
         .on_conflict(conflict_target=[UpsToken.key],
                      update={UpsToken.sealed: sealed, UpsToken.expires_at: expires_at,
                              UpsToken.updated_at: utcnow()})
         .execute())


def count_grant(day: date) -> int:
    """One more token granted on ``day``; returns the day's count."""
    with write():
        (TokenGrant.insert(day=day.isoformat(), grants=1)
         .on_conflict(conflict_target=[TokenGrant.day], update={TokenGrant.grants: TokenGrant.grants + 1})
         .execute())
        return int(TokenGrant.get(TokenGrant.day == day.isoformat()).grants)


def grants_on(day: date) -> int:
    row = TokenGrant.get_or_none(TokenGrant.day == day.isoformat())
    return int(row.grants) if row is not None else 0


@contextlib.contextmanager
def refreshing() -> Iterator[None]:
    """Held while one station asks UPS for a new token: the shared store's advisory lock (on a connection
    of its own, so the server drops it if the process dies), or a process-wide lock on SQLite."""
    db = database_proxy.obj
    if not isinstance(db, SharedDatabase):
        with _local_refresh:
            yield
        return
    side = db.side_connection()
    side.connect()
    try:
        side.execute_sql("SELECT pg_advisory_lock(%s, %s)", (LOCK_UPS_TOKEN, 0))
        yield
        side.execute_sql("SELECT pg_advisory_unlock(%s, %s)", (LOCK_UPS_TOKEN, 0))
    finally:
        side.close()  # also when the unlock was not reached: ending the session releases the lock


class StoreTokenStore:
    """``ups.token_store.TokenStore`` on the shared store: one sealed token and one grant count for all."""

    def load(self, key: str) -> SealedToken | None:
        return load(key)

    def save(self, key: str, token: SealedToken) -> None:
        save(key, token.sealed, token.expires_at)

    def refreshing(self) -> contextlib.AbstractContextManager[None]:
        return refreshing()

    def count_grant(self, day: date) -> int:
        return count_grant(day)

    def grants_on(self, day: date) -> int:
        return grants_on(day)
