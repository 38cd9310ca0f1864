"""The local database: ``open_store(data_dir)`` once per process, then the ``repository`` functions."""

from shipdesk.core.store.db import Store, open_store

__all__ = ["Store", "open_store"]
