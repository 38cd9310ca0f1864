"""The shared store's label-job locks: PostgreSQL session-level advisory locks, one per job being worked on.

The worker that flips a job to ``requesting`` holds the job's lock from before the flip until the label
is printed and written back, on a connection of its own. The server releases the lock when that
connection ends, also when the process dies or its PC loses the network, which is exactly the promise
the OS file lock gives on one PC (``shipping.job_lock``): a ``requesting`` job whose lock is free has
nobody waiting for UPS's answer. The lock's key is the job's row id in the advisory lock namespace
``engines.LOCK_LABEL_JOB``, so any station can ask whether it is held (``pg_locks``).
"""

from __future__ import annotations

from types import TracebackType

from peewee import PostgresqlDatabase

from shipdesk.core.store import jobs
from shipdesk.core.store.engines import LOCK_LABEL_JOB, SharedDatabase
from shipdesk.core.store.models import database_proxy
from shipdesk.errors import StoreError
from shipdesk.i18n import _

_HELD = """SELECT 1 FROM pg_locks
           WHERE locktype = 'advisory' AND granted AND classid = %s AND objid = %s AND objsubid = 2
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"""


def _shared() -> SharedDatabase:
    db = database_proxy.obj
    if not isinstance(db, SharedDatabase):
        raise StoreError(_("Label-job locks in the store need the shared store; this one is a local file."))
    return db


def _key(job_id: str) -> int:
    row_id = jobs.row_id_of(job_id)
    if row_id is None:
        raise StoreError(_("Label job {job_id} is not in the store.").format(job_id=job_id))
    return row_id


class AdvisoryJobLock:
    """``acquire()`` (False: another worker, on any station, holds it) ... ``release()``."""

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        self._key = 0
        self._session: PostgresqlDatabase | None = None

    def acquire(self) -> bool:
        key = self._key = _key(self.job_id)
        session = _shared().side_connection()
        session.connect()
        try:
            got = bool(session.execute_sql("SELECT pg_try_advisory_lock(%s, %s)", (LOCK_LABEL_JOB, key))
                       .fetchone()[0])
        except BaseException:
            session.close()
            raise
        if not got:
            session.close()
            return False
        self._session = session
        return True

    def release(self) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        try:  # released before this returns (closing alone lets the server drop it a moment later)
            session.execute_sql("SELECT pg_advisory_unlock(%s, %s)", (LOCK_LABEL_JOB, self._key))
        except Exception:  # the connection is gone: the server has dropped the lock with it
            pass
        finally:
            session.close()

    def __enter__(self) -> AdvisoryJobLock:
        if not self.acquire():
            raise RuntimeError(f"label job {self.job_id} is locked by another worker")  # i18n: a bug
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def in_flight(job_id: str) -> bool:
    """True while a live worker, on any station, holds the job's lock."""
    row_id = jobs.row_id_of(job_id)
    if row_id is None:
        return False
    return _shared().execute_sql(_HELD, (LOCK_LABEL_JOB, row_id)).fetchone() is not None
