"""Leases: who does a one-at-a-time job for everyone sharing the store (the sync), until when.

A lease is one row. Taking it is one UPDATE that succeeds only when the lease ran out or is already the
caller's (``WHERE expires_at < now OR holder = me``), else one INSERT when nobody ever held it, both in a
write transaction: two stations asking at the same moment cannot both get it. The holder renews it well
before it runs out; a holder that dies stops renewing, and another takes it once it ran out.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from shipdesk.core.store.models import Lease
from shipdesk.core.store.transaction import write


class LeaseHolder(NamedTuple):
    holder: str
    station: str
    pid: int
    expires_at: datetime


def take(name: str, *, holder: str, station: str, pid: int, now: datetime, until: datetime) -> LeaseHolder:
    """Take or renew the lease until ``until``; returns who holds it now (the caller, or the one who kept it)."""
    with write():
        taken = (Lease.update(holder=holder, station=station, pid=pid, taken_at=now, expires_at=until)
                 .where((Lease.name == name) & ((Lease.expires_at < now) | (Lease.holder == holder))).execute())
        if not taken and Lease.get_or_none(Lease.name == name) is None:
            Lease.insert(name=name, holder=holder, station=station, pid=pid, taken_at=now, expires_at=until).execute()
        row = Lease.get(Lease.name == name)
        return LeaseHolder(row.holder, row.station, row.pid, row.expires_at)


def release(name: str, *, holder: str) -> None:
    """Give the lease up (only the holder can): the next one to ask gets it at once."""
    with write():
        Lease.delete().where((Lease.name == name) & (Lease.holder == holder)).execute()


def current(name: str, now: datetime) -> LeaseHolder | None:
    """Who holds the lease right now (None: nobody, or it ran out)."""
    row = Lease.get_or_none((Lease.name == name) & (Lease.expires_at >= now))
    return LeaseHolder(row.holder, row.station, row.pid, row.expires_at) if row is not None else None
