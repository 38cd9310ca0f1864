"""The whole store API in one namespace, for callers outside the core (the UI, the command line, tests).

The functions live in the topic modules (``shipments``, ``jobs``, ``tracking``, ``alerts``,
``sync_state``, ``audit_log``), which the core imports directly; every query and every transaction of
shipdesk runs in one of them.
"""

from __future__ import annotations

from shipdesk.core.store.alerts import end_subscription, save_subscription, subscriptions
from shipdesk.core.store.jobs import (
    get_job,
    jobs_in,
    latest_job,
    mark_job,
    mark_printed,
    mark_voided,
    mark_written_back,
    note_job_error,
    open_label_job,
    prepare_label_job,
    record_label,
    require_job,
    tracking_numbers_of_shipment,
)
from shipdesk.core.store.shipments import (
    ShipmentListing,
    ShipmentRow,
    get_shipment,
    list_shipments,
    packages_of,
    record_address_check,
    require_shipment,
    set_state,
    upsert_shipment,
)
from shipdesk.core.store.sync_state import WATERMARK_SHIPMENTS, get_time, get_value, set_time, set_value
from shipdesk.core.store.tracking import add_tracking_events, record_package_status, tracked_numbers, tracking_events

__all__ = [
    "WATERMARK_SHIPMENTS", "ShipmentListing", "ShipmentRow", "add_tracking_events",
    "end_subscription", "get_job", "get_shipment", "get_time", "get_value", "jobs_in", "latest_job",
    "list_shipments", "mark_job", "mark_printed", "mark_voided", "mark_written_back", "note_job_error",
    "open_label_job", "packages_of", "prepare_label_job", "record_address_check", "record_label",
    "record_package_status", "require_job", "require_shipment", "save_subscription", "set_state", "set_time",
    "set_value", "subscriptions", "tracked_numbers", "tracking_events", "tracking_numbers_of_shipment",
    "upsert_shipment",
]
