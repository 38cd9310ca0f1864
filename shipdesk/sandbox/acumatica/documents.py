"""The sandbox's records and what may be done to them: lookups, PUT merges, files, confirm/correct.

Knows nothing of HTTP beyond raising :class:`AcumaticaFault` with Acumatica's answer.

A refused PUT (a value of the wrong type or too long, or a business rule of the instance: ``save_rules``,
e.g. a customization that will not save a shipment until a field is fixed) is answered the way
``refusal_status`` says: 422 with the record and ``error`` on it and on each refused field (as Acumatica
documents it), or 500 ``PX.Api.ContractBased.OutcomeEntityHasErrorsException`` with Acumatica's sentence
("Updating  'Shipment' record raised at least one error. Please review the errors.") and no record, as
integrators meet it (docs/evidence/real-services.md 19.2; no public capture shows more in that body).
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from typing import Any

from shipdesk.sandbox import seed, seed_goods
from shipdesk.sandbox.acumatica.errors import (
    LOCK_VIOLATION,
    LOCK_VIOLATION_TYPE,
    OUTCOME_HAS_ERRORS,
    AcumaticaFault,
    error_response,
)
from shipdesk.sandbox.acumatica.lookup import Links, Positions
from shipdesk.sandbox.acumatica.updates import UnknownRow, check, merge, record_error
from shipdesk.sandbox.clock import SimClock
from shipdesk.sandbox.server import Response

SHIPMENT_READ_ONLY = frozenset({"ShipmentNbr", "Type", "Status", "LastModifiedDateTime", "CreatedDateTime",
                                "PackageCount", "PackageWeight", "Hold"})
#: a package row's Type (Manual/Auto) and weight UOM (the company's) are not editable on the screen
PACKAGE_READ_ONLY = frozenset({"Type", "UOM", "LineNbr", "Confirmed"})
SALES_ORDER_READ_ONLY = frozenset({"OrderType", "OrderNbr", "Status", "LastModified"})
# A shipment's header and package rows are editable only while it is being prepared (not Confirmed).
EDITABLE_STATUSES = ("Open", "On Hold")
DEFAULT_CUSTOM_FIELDS = frozenset({"UsrDeliveredDate", "UsrUpsStatus", "UsrSignedBy"})
PLUGIN_ACCOUNT = "9X8Y7Z"  # the account Acumatica's own carrier plug-in buys labels on
REFUSAL_STATUSES = (422, 500)
#: the Ship Via screen's views over the Carrier DAC (CS207500: header Carrier, tab CarrierCurrent)
CARRIER_VIEWS = ("Carrier", "CarrierCurrent")


@dataclass(frozen=True)
class SaveRule:
    """A business rule of this instance that refuses to save one record until ``field`` is fixed."""

    field: str
    message: str  # Acumatica's sentence for the field, e.g. "Ship Via 'X' cannot be found in the system."


@dataclass
class StoredFile:
    file_id: str
    filename: str
    data: bytes
    content_type: str


@dataclass
class Documents:
    clock: SimClock
    custom_fields: set[str] = field(default_factory=lambda: set(DEFAULT_CUSTOM_FIELDS))
    shipments: list[dict[str, Any]] = field(default_factory=list)
    sales_orders: list[dict[str, Any]] = field(default_factory=list)
    ship_vias: list[dict[str, Any]] = field(default_factory=list)
    stock_items: list[dict[str, Any]] = field(default_factory=list)
    boxes: list[dict[str, Any]] = field(default_factory=list)  # the Boxes screen: BoxIDs a package row may name
    files: dict[str, StoredFile] = field(default_factory=dict)
    plugin_ship_vias: set[str] = field(default_factory=set)
    save_rules: dict[str, SaveRule] = field(default_factory=dict)  # by ShipmentNbr
    refusal_status: int = 422  # or 500: see the module text
    writes: int = 0
    files_attached: int = 0
    confirmations: int = 0
    #: saves refused because another save of the record landed while they were processed
    lock_violations: int = 0
    #: package tracking numbers replaced by a different one (never by "" or from ""): one station
    #: overwriting another's label
    tracking_overwritten: int = 0
    _plugin_counter: int = 0
    # where each record is, by key (see ``lookup``): answers stay fast with thousands of shipments
    _shipment_ids: Positions = field(default_factory=lambda: Positions(_lower_id), repr=False)
    _order_ids: Positions = field(default_factory=lambda: Positions(_lower_id), repr=False)
    _by_nbr: Positions = field(default_factory=lambda: Positions(lambda r: r.get("ShipmentNbr")), repr=False)
    _by_order_key: Positions = field(default_factory=lambda: Positions(lambda r: (r["OrderType"], r["OrderNbr"])),
                                     repr=False)
    _links: Links = field(default_factory=Links, repr=False)

    def load_seed(self, with_data: bool = True) -> None:
        now = self.clock.now()
        self.shipments = seed.seed_shipments(now) if with_data else []
        self.sales_orders = seed.seed_sales_orders(now) + seed.seed_return_orders(now) if with_data else []
        self.stock_items = seed_goods.seed_stock_items() if with_data else []
        self.boxes = seed.seed_boxes()
        self.ship_vias = []
        for ship_via in seed.seed_ship_vias():
            # Outside the contract: the screen's Carrier and CarrierCurrent views are the same DAC, so $custom
            # reads each field under either view name, a null value included (typed, "value": null).
            carrier = {"IsExternal": {"type": "CustomBooleanField", "value": ship_via.pop("IsExternal")},
                       "CarrierPluginID": {"type": "CustomStringField", "value": ship_via.pop("CarrierPluginID")}}
            ship_via["custom"] = {view: copy.deepcopy(carrier) for view in CARRIER_VIEWS}
            self.ship_vias.append(ship_via)
        # Acumatica runs the plug-in only when IsExternal is set (SOShipmentEntry.UseCarrierService)
        self.plugin_ship_vias = {v["CarrierID"] for v in self.ship_vias
                                 if v["custom"]["Carrier"]["IsExternal"]["value"]}
        self.files.clear()
        self.save_rules.clear()
        self.writes = self.files_attached = self.confirmations = self._plugin_counter = 0
        self.lock_violations = self.tracking_overwritten = 0
        if with_data:
            self._attach_seed_labels()

    def _attach_seed_labels(self) -> None:
        """Shipments seeded with a tracking number carry their label, as after a real write-back."""
        for shipment in self.shipments:
            for package in shipment["Packages"]:
                if package["TrackingNbr"]:
                    self._store_file(shipment, "Shipments", f"Label #{package['TrackingNbr']}.zpl",
                                     b"^XA^FDseeded label^FS^XZ", "application/octet-stream")

    def _refused(self, annotated: dict[str, Any]) -> Response:
        return _refusal(annotated, self.refusal_status)

    # -- lookups ----------------------------------------------------------------------------------
    def shipment(self, key: str) -> dict[str, Any]:
        """By record GUID or ShipmentNbr; Acumatica's 500 "No entity..." when there is none. A vertical bar
        separates key fields as a slash does, so a key holding one names no shipment (it has one key)."""
        if "|" in key:
            found = None
        elif _is_guid(key):
            found = self._id_positions(self.shipments).find(self.shipments, key.lower())
        else:
            found = self._by_nbr.find(self.shipments, key)
        if found is None:
            raise AcumaticaFault.no_entity()
        return found

    def sales_order(self, order_type: str, order_nbr: str) -> dict[str, Any]:
        found = self._by_order_key.find(self.sales_orders, (order_type, order_nbr))
        if found is None:
            raise AcumaticaFault.no_entity()
        return found

    def stock_item(self, key: str) -> dict[str, Any]:
        """By record GUID or InventoryID (Acumatica pads segmented keys: compared trimmed, any case)."""
        if _is_guid(key):
            found = next((i for i in self.stock_items if i["id"].lower() == key.lower()), None)
        else:
            found = next((i for i in self.stock_items if i["InventoryID"].strip().upper() == key.strip().upper()),
                         None)
        if found is None:
            raise AcumaticaFault.no_entity()
        return found

    def by_id(self, records: list[dict[str, Any]], record_id: str) -> dict[str, Any]:
        found = self._id_positions(records).find(records, record_id.lower())
        if found is None:
            raise AcumaticaFault.no_entity()
        return found

    def _id_positions(self, records: list[dict[str, Any]]) -> Positions:
        """The map by GUID of the shipments, or of the sales orders."""
        return self._shipment_ids if records is self.shipments else self._order_ids

    def with_shipments(self, order: dict[str, Any]) -> dict[str, Any]:
        """A sales order with its ``Shipments`` rows, derived from the shipments that link to it."""
        rows = []
        for shipment in self._links.shipments_of(self.shipments, order["OrderType"], order["OrderNbr"]):
            for link in shipment["Orders"]:
                if (link["OrderType"], link["OrderNbr"]) == (order["OrderType"], order["OrderNbr"]):
                    rows.append({"id": link["id"], "ShipmentNbr": shipment["ShipmentNbr"],
                                 "ShipmentType": "Shipment", "Status": shipment["Status"],
                                 "ShipmentDate": shipment["ShipmentDate"],
                                 "InvoiceNbr": link.get("InvoiceNbr"),
                                 "ShippedWeight": shipment["PackageWeight"],
                                 "LastModifiedDateTime": shipment["LastModifiedDateTime"]})
        return {**order, "Shipments": rows}

    # -- more of the same (control API) ------------------------------------------------------------
    def copy_shipments(self, like: str, count: int, prefix: str, *, tracking_numbers: list[str] | None = None,
                       status: str | None = None) -> list[str]:
        """``count`` copies of shipment ``like``, each with copies of its own sales orders: a busier day.

        Shipments are numbered ``<prefix>000001``... after any already made with that prefix, their
        orders ``<prefix>O000001`` (``-2``, ``-3`` for a second or third order); files and notes are
        left empty. Without ``tracking_numbers`` the packages have none, as on a shipment nobody
        labelled yet; with them (one per copy) the first package of each copy carries its number, as
        after a label was written back. ``status`` (Open, Confirmed...) replaces the template's."""
        if not (prefix.isalnum() and prefix.isascii() and 1 <= len(prefix) <= 6):
            raise ValueError("prefix must be 1 to 6 letters or digits")
        if not 1 <= count <= 100_000:
            raise ValueError("count must be from 1 to 100000")
        if tracking_numbers is not None and (len(tracking_numbers) != count
                                             or not all(isinstance(n, str) for n in tracking_numbers)):
            raise ValueError("tracking_numbers must be a list of one text per copy")
        if status is not None and status not in ("Open", "On Hold", "Confirmed", "Completed"):
            raise ValueError("status must be Open, On Hold, Confirmed or Completed")
        template = self._by_nbr.find(self.shipments, like)
        if template is None:
            raise ValueError(f"there is no shipment {like} to copy")
        orders = {(o["OrderType"], o["OrderNbr"]): o for o in self.sales_orders}
        taken = {s["ShipmentNbr"] for s in self.shipments}
        first = 1 + sum(1 for nbr in taken if nbr.startswith(prefix) and nbr[len(prefix):].isdigit())
        now = self.clock.now()
        made = []
        for index in range(first, first + count):
            nbr = f"{prefix}{index:06d}"
            if nbr in taken:
                raise ValueError(f"shipment {nbr} exists already")
            shipment = _with_new_ids(copy.deepcopy(template))
            shipment.update(ShipmentNbr=nbr, CreatedDateTime=now, LastModifiedDateTime=now, note="", custom={},
                            files=[])
            if status is not None:
                shipment.update(Status=status, Hold=status == "On Hold")
            for line, package in enumerate(shipment["Packages"]):
                given = tracking_numbers[index - first] if tracking_numbers is not None and line == 0 else ""
                package["TrackingNbr"] = given
            for number, link in enumerate(shipment["Orders"], start=1):
                original = orders.get((link["OrderType"], link["OrderNbr"]))
                order_nbr = f"{prefix}O{index:06d}" + (f"-{number}" if number > 1 else "")
                link.update(OrderNbr=order_nbr, ShipmentNbr=nbr)
                if original is not None:
                    order = _with_new_ids(copy.deepcopy(original))
                    order.update(OrderNbr=order_nbr, LastModified=now, note="", custom={}, files=[])
                    self.sales_orders.append(order)
            self.shipments.append(shipment)
            made.append(nbr)
        return made

    # -- writes -----------------------------------------------------------------------------------
    def put_shipment(self, body: Any, version: str) -> dict[str, Any]:
        """Upsert by ``id`` or ``ShipmentNbr``; answers the stored record after the merge."""
        return self.commit_shipment_put(self.prepare_shipment_put(body, version))

    def prepare_shipment_put(self, body: Any, version: str) -> PendingSave:
        """The first half of a save: the record read and the body merged into a copy of it (nothing stored).

        Acumatica's graph works on its own copy of the record between reading it and persisting it; a save
        that another request persisted in between makes :meth:`commit_shipment_put` fail, as Acumatica's
        timestamp check does (``PXLockViolationException``)."""
        body = _require_object(body)
        annotated, bad = check(body, "Shipment", version)
        if bad:
            raise AcumaticaFault(self._refused(annotated))
        existing = self._locate_for_put(body)
        rule = self.save_rules.get(existing["ShipmentNbr"]) if existing else None
        if rule is not None:
            annotated["error"] = record_error("Shipment", updating=True)
            annotated[rule.field] = {"value": existing.get(rule.field) if existing else None, "error": rule.message}
            raise AcumaticaFault(self._refused(annotated))
        record = copy.deepcopy(existing) if existing else self._new_shipment(body)
        if record["Status"] not in EDITABLE_STATUSES:
            # Confirmed and later: SOShipment_RowSelected sets the whole header cache AllowUpdate = false (package
            # rows too), and PXCache.Update(keys, values) then returns 0: no error, nothing applied, Usr... fields
            # of the DAC extension included. The note is written to the Note table all the same
            # (PXNoteAttribute.NoteTextGenericFieldUpdating, "!sender.AllowUpdate"), in its own transaction: the
            # shipment row itself is not saved, so its LastModifiedDateTime stays as it was. docs/evidence 12.8.
            if self._merge_note(record, body):
                self.writes += 1
            changed = False
        else:
            unknown_box = self._unknown_box(body)
            if unknown_box is not None:
                row, box = unknown_box
                annotated["error"] = record_error("Shipment", updating=True)
                annotated["Packages"][row]["BoxID"] = {"value": box, "error": f"Box ID '{box}' cannot be found in "
                                                       "the system."}
                raise AcumaticaFault(self._refused(annotated))
            try:
                changed = merge(record, body, "Shipment", version, read_only=SHIPMENT_READ_ONLY,
                                frozen_details=frozenset({"Orders"}), new_row=self._new_package,
                                row_read_only=PACKAGE_READ_ONLY)
                changed = self._box_sizes(record, body) or changed
            except UnknownRow as missing:
                annotated["error"] = f"The package row {missing.args[0]} does not exist in the shipment."
                raise AcumaticaFault(self._refused(annotated)) from None
            changed = self._apply_hold(record, body) or changed
            changed = self._merge_note_and_custom(record, body) or changed
        return PendingSave(existing, record, changed)

    def _unknown_box(self, body: dict[str, Any]) -> tuple[int, str] | None:
        """The first package row naming a BoxID the Boxes screen does not have (its selector refuses it)."""
        known = {b["BoxID"] for b in self.boxes}
        rows = body.get("Packages")
        for index, row in enumerate(rows if isinstance(rows, list) else []):
            wire = row.get("BoxID") if isinstance(row, dict) else None
            box = wire.get("value") if isinstance(wire, dict) else None
            if isinstance(box, str) and box not in known:
                return index, box
        return None

    def _new_package(self, entity: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
        """A row inserted by a PUT; choosing a box defaults its size from the Boxes screen (see merge)."""
        return _new_package(entity, rows)

    def _box_sizes(self, record: dict[str, Any], body: dict[str, Any]) -> bool:
        """A row given a box without its sizes takes the box's (the BoxID field's defaulting)."""
        changed = False
        sent = [r for r in body.get("Packages") or [] if isinstance(r, dict) and isinstance(r.get("BoxID"), dict)]
        for wire in sent:
            box = self.box(wire["BoxID"].get("value"))
            row = next((r for r in record.get("Packages", []) if r["id"] == wire.get("id")), None)
            if row is None and not wire.get("id"):  # inserted: the row merged last with this box
                row = next((r for r in reversed(record.get("Packages", [])) if r.get("BoxID") == box["BoxID"]),
                           None) if box else None
            if box is None or row is None:
                continue
            for size in ("Length", "Width", "Height"):
                if size not in wire and row.get(size) != box[size]:
                    row[size] = box[size]
                    changed = True
        return changed

    def box(self, box_id: str) -> dict[str, Any] | None:
        return next((b for b in self.boxes if b["BoxID"] == box_id), None)

    def commit_shipment_put(self, pending: PendingSave) -> dict[str, Any]:
        """The second half: persist the merged copy, unless another save landed since it was read."""
        existing, record = pending.existing, pending.record
        if existing is not None and not any(r is existing for r in self.shipments):
            self.lock_violations += 1
            raise AcumaticaFault.server_error(LOCK_VIOLATION.format(table="SOShipment"),
                                              exception_type=LOCK_VIOLATION_TYPE)
        if pending.changed or existing is None:
            _recount_packages(record)
            record["LastModifiedDateTime"] = self.clock.now()
            self.writes += 1
            self.tracking_overwritten += _overwritten(existing, record)
        self._replace(self.shipments, existing, record)
        return record

    def put_sales_order(self, body: Any, version: str) -> dict[str, Any]:
        body = _require_object(body)
        annotated, bad = check(body, "SalesOrder", version)
        if bad:
            raise AcumaticaFault(self._refused(annotated))
        if body.get("id"):
            existing = self.by_id(self.sales_orders, str(body["id"]))
        else:
            existing = self.sales_order(_value(body, "OrderType") or "SO", _value(body, "OrderNbr") or "")
        record = copy.deepcopy(existing)
        changed = merge(record, body, "SalesOrder", version, read_only=SALES_ORDER_READ_ONLY,
                        frozen_details=frozenset({"Shipments", "Details"}))
        changed = self._merge_note_and_custom(record, body) or changed
        if changed:
            record["LastModified"] = self.clock.now()
            self.writes += 1
        self._replace(self.sales_orders, existing, record)
        return record

    def _locate_for_put(self, body: dict[str, Any]) -> dict[str, Any] | None:
        if body.get("id"):
            return self.by_id(self.shipments, str(body["id"]))
        nbr = _value(body, "ShipmentNbr")
        return self._by_nbr.find(self.shipments, nbr) if nbr else None

    def _new_shipment(self, body: dict[str, Any]) -> dict[str, Any]:
        nbr = _value(body, "ShipmentNbr") or f"SH{len(self.shipments) + 101:06d}"
        now = self.clock.now()
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return {"id": str(uuid.uuid4()), "ShipmentNbr": nbr, "Type": "Shipment", "Status": "Open",
                "Hold": False, "Operation": "Issue", "ShipmentDate": today,
                "CreatedDateTime": now, "LastModifiedDateTime": now, "Packages": [], "Orders": [],
                "ShippingSettings": {"id": str(uuid.uuid4())}, "note": "", "custom": {}, "files": []}

    @staticmethod
    def _apply_hold(record: dict[str, Any], body: dict[str, Any]) -> bool:
        """Hold true/false moves a shipment between On Hold and Open, as the screen's checkbox does."""
        hold = body.get("Hold", {}).get("value") if isinstance(body.get("Hold"), dict) else None
        if hold is True and record["Status"] == "Open":
            record.update(Status="On Hold", Hold=True)
            return True
        if hold is False and record["Status"] == "On Hold":
            record.update(Status="Open", Hold=False)
            return True
        return False

    @staticmethod
    def _merge_note(record: dict[str, Any], body: dict[str, Any]) -> bool:
        if "note" not in body:
            return False
        note = body["note"].get("value") if isinstance(body["note"], dict) else body["note"]
        if (note or "") == (record.get("note") or ""):
            return False
        record["note"] = note or ""
        return True

    def _merge_note_and_custom(self, record: dict[str, Any], body: dict[str, Any]) -> bool:
        changed = self._merge_note(record, body)
        for view, values in (body.get("custom") or {}).items():
            if view != "Document" or not isinstance(values, dict):
                continue  # only fields added to the shipment's Document view are kept
            for name, wire in values.items():
                if name in self.custom_fields and isinstance(wire, dict):
                    kept = {"type": wire.get("type", "CustomStringField"), "value": wire.get("value")}
                    if record.setdefault("custom", {}).setdefault(view, {}).get(name) != kept:
                        record["custom"][view][name] = kept
                        changed = True
        return changed

    def _replace(self, records: list[dict[str, Any]], old: dict[str, Any] | None, new: dict[str, Any]) -> None:
        if old is None:
            records.append(new)
            return
        positions = self._id_positions(records)
        if positions.find(records, old["id"].lower()) is not old:  # a copy with the same id: find the object
            records[next(i for i, r in enumerate(records) if r is old)] = new
            return
        records[positions.position(old["id"].lower())] = new

    # -- files ------------------------------------------------------------------------------------
    def attach_file(self, record: dict[str, Any], screen: str, filename: str, data: bytes,
                    content_type: str) -> StoredFile:
        stored = self._store_file(record, screen, filename, data, content_type)
        self.files_attached += 1
        return stored

    def _store_file(self, record: dict[str, Any], screen: str, filename: str, data: bytes,
                    content_type: str) -> StoredFile:
        # Acumatica names an attached file after the screen and the record's keys.
        keys = record.get("ShipmentNbr") or f"{record.get('OrderType')}, {record.get('OrderNbr')}"
        full_name = f"{screen} ({keys})\\{filename}"
        for ref in record.setdefault("files", []):
            if ref["filename"] == full_name:  # same name: a new revision of the same file
                self.files[ref["id"]] = StoredFile(ref["id"], full_name, data, content_type)
                return self.files[ref["id"]]
        stored = StoredFile(str(uuid.uuid4()), full_name, data, content_type)
        self.files[stored.file_id] = stored
        record["files"].append({"id": stored.file_id, "filename": full_name})
        return stored

    def record_of(self, record_id: str) -> tuple[dict[str, Any], str]:
        """Any record by GUID, with the screen name its files are filed under."""
        for records, screen in ((self.shipments, "Shipments"), (self.sales_orders, "Sales Orders")):
            found = self._id_positions(records).find(records, record_id.lower())
            if found is not None:
                return found, screen
        raise AcumaticaFault.no_entity()

    # -- actions ----------------------------------------------------------------------------------
    def confirm(self, shipment_id: str) -> None:
        shipment = self.by_id(self.shipments, shipment_id)
        if shipment["Status"] != "Open":
            raise AcumaticaFault.server_error(f"The shipment {shipment['ShipmentNbr']} cannot be confirmed: "
                                              f"its status is {shipment['Status']}.")
        if shipment["ShipVia"] in self.plugin_ship_vias:
            self._run_carrier_plugin(shipment)
        shipment["Status"] = "Confirmed"
        shipment["LastModifiedDateTime"] = self.clock.now()
        self.confirmations += 1

    def correct(self, shipment_id: str) -> None:
        shipment = self.by_id(self.shipments, shipment_id)
        if shipment["Status"] != "Confirmed":
            raise AcumaticaFault.server_error(f"The shipment {shipment['ShipmentNbr']} cannot be corrected: "
                                              f"its status is {shipment['Status']}.")
        if shipment["ShipVia"] in self.plugin_ship_vias:
            # The plug-in voids its labels: tracking numbers and label files go, even if the void fails.
            for package in shipment["Packages"]:
                package["TrackingNbr"] = ""
            label_ids = {f["id"] for f in shipment["files"] if "\\Label #" in f["filename"]}
            shipment["files"] = [f for f in shipment["files"] if f["id"] not in label_ids]
            for file_id in label_ids:
                self.files.pop(file_id, None)
        shipment["Status"] = "Open"
        shipment["LastModifiedDateTime"] = self.clock.now()
        self.writes += 1

    def _run_carrier_plugin(self, shipment: dict[str, Any]) -> None:
        """Acumatica buys its own label and overwrites whatever tracking number was written."""
        for package in shipment["Packages"]:
            self._plugin_counter += 1
            number = seed.ups_tracking_number(PLUGIN_ACCOUNT, "03", 7_000_000 + self._plugin_counter)
            package["TrackingNbr"] = number
            self._store_file(shipment, "Shipments", f"Label #{number}.zpl", b"^XA^FDplug-in label^FS^XZ",
                             "application/octet-stream")


def _is_guid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return len(text) == 36


def _lower_id(record: dict[str, Any]) -> str:
    return str(record["id"]).lower()


def _with_new_ids(value: Any) -> Any:
    """Every ``id`` replaced by a fresh GUID: a copy is a different record, down to its detail rows."""
    if isinstance(value, dict):
        return {k: (str(uuid.uuid4()) if k == "id" else _with_new_ids(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_new_ids(v) for v in value]
    return value


def _value(body: dict[str, Any], name: str) -> str | None:
    wire = body.get(name)
    return wire.get("value") if isinstance(wire, dict) else None


def _require_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise AcumaticaFault(error_response(400, "The request body must be a JSON object.",
                                            exception_type="System.ArgumentException"))
    return body


def _refusal(annotated: dict[str, Any], status: int) -> Response:
    """The record with its ``error`` values (422), or Acumatica's sentence as a 500 (see the module text)."""
    if status == 500:
        return error_response(500, str(annotated.get("error") or ""), exception_type=OUTCOME_HAS_ERRORS)
    return Response.json(annotated, 422)


def _new_package(entity: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    line = max((r.get("LineNbr") or 0 for r in rows), default=0) + 1
    return {"id": str(uuid.uuid4()), "LineNbr": line, "BoxID": "MEDIUM", "Type": "Manual", "UOM": "LB",
            "Weight": 0.0, "TrackingNbr": "", "Description": "", "Confirmed": False}


def _recount_packages(record: dict[str, Any]) -> None:
    packages = record.get("Packages") or []
    record["PackageCount"] = len(packages)
    record["PackageWeight"] = round(sum(p.get("Weight") or 0.0 for p in packages), 2)


@dataclass
class PendingSave:
    """A shipment save between reading the record and persisting the merged copy."""

    existing: dict[str, Any] | None
    record: dict[str, Any]
    changed: bool


def _overwritten(old: dict[str, Any] | None, new: dict[str, Any]) -> int:
    """Package rows whose tracking number went from one number to another."""
    if old is None:
        return 0
    before = {p["id"]: p.get("TrackingNbr") or "" for p in old.get("Packages", [])}
    return sum(1 for p in new.get("Packages", []) if before.get(p["id"]) and p.get("TrackingNbr")
               and before[p["id"]] != p["TrackingNbr"])
