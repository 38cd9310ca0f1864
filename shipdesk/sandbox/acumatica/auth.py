"""API seats: cookie sessions and OAuth tokens, capped by the licence, timed by the SimClock.

Every cookie login and every OAuth sign-in takes a seat. A seat is freed by logout or when it has
been idle for ``session_timeout`` (Acumatica's sessions cannot be ended early otherwise). When all
seats are taken, the next sign-in fails with the "API Login Limit" error.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shipdesk.sandbox.clock import SimClock

ACCESS_TOKEN_LIFETIME = timedelta(seconds=3600)
REFRESH_TOKEN_LIFETIME = timedelta(days=30)


class LoginLimitReached(Exception):
    """All licensed API seats are in use."""


@dataclass
class Seat:
    seat_id: str
    kind: str  # "cookie" | "oauth"
    last_seen: datetime


@dataclass
class OAuthGrant:
    access_token: str
    refresh_token: str | None
    access_expires: datetime
    refresh_expires: datetime
    seat_id: str
    scope: str


@dataclass
class SeatTable:
    clock: SimClock
    max_sessions: int
    session_timeout: timedelta
    seats: dict[str, Seat] = field(default_factory=dict)
    grants: dict[str, OAuthGrant] = field(default_factory=dict)  # by access token
    expired: int = 0  # sessions ended by the timeout (not signed out)
    refresh_index: dict[str, str] = field(default_factory=dict)  # refresh token → access token

    def open(self, kind: str) -> Seat:
        """Take a seat; :class:`LoginLimitReached` when none is free."""
        self._expire_idle()
        if len(self.seats) >= self.max_sessions:
            raise LoginLimitReached()
        seat = Seat(secrets.token_hex(16), kind, self.clock.now())
        self.seats[seat.seat_id] = seat
        return seat

    def close(self, seat_id: str) -> bool:
        return self.seats.pop(seat_id, None) is not None

    def touch(self, seat_id: str) -> bool:
        """Mark the seat used now; False when it does not exist or has timed out."""
        self._expire_idle()
        seat = self.seats.get(seat_id)
        if seat is None:
            return False
        seat.last_seen = self.clock.now()
        return True

    def open_count(self) -> int:
        self._expire_idle()
        return len(self.seats)

    def _expire_idle(self) -> None:
        cutoff = self.clock.now() - self.session_timeout
        for seat_id in [s.seat_id for s in self.seats.values() if s.last_seen <= cutoff]:
            del self.seats[seat_id]
            self.expired += 1

    # -- OAuth ------------------------------------------------------------------------------------
    def grant(self, scope: str, seat: Seat) -> OAuthGrant:
        now = self.clock.now()
        refresh = secrets.token_hex(24) if "offline_access" in scope.split() else None
        grant = OAuthGrant(secrets.token_hex(24), refresh, now + ACCESS_TOKEN_LIFETIME,
                           now + REFRESH_TOKEN_LIFETIME, seat.seat_id, scope)
        self.grants[grant.access_token] = grant
        if refresh:
            self.refresh_index[refresh] = grant.access_token
        return grant

    def refresh(self, refresh_token: str) -> OAuthGrant | None:
        """A new token pair for a live refresh token (the old pair stops working); None if unknown."""
        access = self.refresh_index.pop(refresh_token, None)
        old = self.grants.pop(access, None) if access else None
        if old is None or old.refresh_expires <= self.clock.now():
            return None
        seat = self.seats.get(old.seat_id)
        if seat is None or not self.touch(seat.seat_id):
            seat = self.open("oauth")
        new = self.grant(old.scope, seat)
        new.refresh_expires = self.clock.now() + REFRESH_TOKEN_LIFETIME  # sliding
        return new

    def bearer_seat(self, access_token: str) -> str | None:
        """The seat behind a live access token (a new seat if its old one idled out); None if invalid."""
        grant = self.grants.get(access_token)
        if grant is None or grant.access_expires <= self.clock.now():
            return None
        if not self.touch(grant.seat_id):
            grant.seat_id = self.open("oauth").seat_id
        return grant.seat_id
