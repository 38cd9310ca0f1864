"""The local database, the one door to it: ``open_store(data_dir)`` once per process, then the topic modules
(``shipments``, ``jobs``, ``tracking``, ``alerts``, ``sync_state``, ``audit_log``; all of them re-exported
as ``repository``). Every query and every transaction of shipdesk is written in this package."""

from shipdesk.core.store.db import Store, open_store

__all__ = ["Store", "open_store"]
