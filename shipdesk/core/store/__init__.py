"""The store, the one door to the data: ``open_store(data_dir, url=...)`` once per process, then the topic
modules (``shipments``, ``jobs``, ``tracking``, ``alerts``, ``sync_state``, ``audit_log``, ``label_files``,
``leases``, ``tokens``, ``status_writes``; the ones the UI and command line need are re-exported as
``repository``). Every query and every transaction of shipdesk is written in this package, on either
backend: one station's SQLite file or the PostgreSQL database the stations share (``engines``)."""

from shipdesk.core.store.db import Store, open_store, probe_shared_store

__all__ = ["Store", "open_store", "probe_shared_store"]
