"""The Acumatica contract-based REST client: one signed-in session, typed records in and out.

Usage::

    with AcumaticaClient(url=..., version="24.200.001", auth=CookieAuth(...)) as acu:
        for shipment in acu.ready_shipments(modified_since=watermark):
            ...

The session (``session.py``: sign-in, 401 renewal, sign-out at the end of the ``with`` block, the
version check) is the client itself; each job's requests live in their own module, and this facade
names them: ``shipments`` (read, tracking numbers, custom fields, sales orders), ``files`` (label
attachments), ``actions`` (ConfirmShipment, CorrectShipment), ``notes`` (shipdesk's status line),
``ship_via`` (Ship Via codes, carrier plug-ins). Several threads may share one client (see ``session``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from decimal import Decimal

from shipdesk.acumatica import customs, files, notes, packages, ship_via, shipments
from shipdesk.acumatica.actions import Polling, run_action
from shipdesk.acumatica.auth import Auth
from shipdesk.acumatica.models import PricedOrder, SalesOrder, Shipment, ShipmentLine, StockItem
from shipdesk.acumatica.notes import NoteEntity
from shipdesk.acumatica.session import AcumaticaSession
from shipdesk.acumatica.ship_via import CarrierPlugins
from shipdesk.i18n import _
from shipdesk.net.transport import Transport


class AcumaticaClient(AcumaticaSession):
    def __init__(
        self,
        *,
        url: str,
        endpoint: str = "Default",
        version: str,
        auth: Auth,
        transport: Transport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        action_poll_seconds: float = 1.0,
        action_timeout_seconds: float = 300.0,
        close_transport: bool | None = None,
    ) -> None:
        super().__init__(url=url, endpoint=endpoint, version=version, auth=auth, transport=transport,
                         close_transport=close_transport)
        self._sleep = sleep
        self._poll_seconds = action_poll_seconds
        self._max_polls = max(1, math.ceil(action_timeout_seconds / max(action_poll_seconds, 1e-3)))

    # -- Ship Via -------------------------------------------------------------------------------------
    def ship_via_codes(self) -> list[tuple[str, str]]:
        """(Ship Via code, description) for every Ship Via (the ``CarrierID`` key of ShipVia)."""
        return ship_via.ship_via_codes(self)

    def carrier_plugins(self) -> CarrierPlugins:
        """Which Ship Via codes run one of Acumatica's own carrier plug-ins (``Carrier.IsExternal``), and
        which Acumatica did not say.

        Confirming such a shipment makes Acumatica buy its own label and overwrite the tracking
        numbers, so shipdesk must know them.
        """
        return ship_via.carrier_plugins(self)

    def carrier_plugin_fields_listed(self) -> bool:
        """The endpoint's ``ShipVia/$adHocSchema`` lists the fields :meth:`carrier_plugins` reads."""
        return ship_via.plugin_fields_listed(self)

    # -- shipments ------------------------------------------------------------------------------------
    def ready_shipments(self, *, statuses: Sequence[str] = ("Open",), modified_since: datetime | None = None,
                        top: int | None = None) -> list[Shipment]:
        """Shipments in ``statuses`` changed after ``modified_since``, with packages, orders and ship-to.

        ``top`` is a page size: pages of ``top`` records are read with ``$top``/``$skip`` until a short
        page (every matching record is returned either way). When Acumatica cannot run the expanded
        list ("Optimization cannot be performed"), the keys are listed and each record read by key.
        """
        return shipments.ready_shipments(self, statuses=statuses, modified_since=modified_since, top=top)

    def shipments_by_number(self, numbers: Sequence[str]) -> list[Shipment]:
        """The named shipments, whatever their status, in one request per 30 numbers (``$filter`` with
        ``ShipmentNbr eq`` clauses joined by ``or``: the contract-based API has no ``in``). A number Acumatica
        does not have is simply not in the answer."""
        return shipments.shipments_by_number(self, numbers)

    def shipment_pages(self, *, statuses: Sequence[str], modified_since: datetime | None = None,
                       top: int = 200) -> Iterator[list[Shipment]]:
        """:meth:`ready_shipments` a page of ``top`` records at a time, for a list that may be long (only one page
        is held)."""
        return shipments.shipment_pages(self, statuses=statuses, modified_since=modified_since, top=top)

    def get_shipment(self, shipment_nbr: str) -> Shipment:
        return shipments.get_shipment(self, shipment_nbr)

    def write_tracking(self, shipment: Shipment, tracking_by_package_id: Mapping[str, str], *,
                       freight_cost: Decimal | None = None, note: str | None = None) -> Shipment:
        """Put each tracking number on its package row, read the answer back, return the saved shipment.
        ``note``: the shipment's whole note, saved in the same PUT (None: left as it is).

        Raises :class:`TrackingNotSaved` when Acumatica answered but kept another value on any package
        (a Confirmed shipment's rows are read-only; a carrier plug-in may overwrite the number).
        """
        return shipments.write_tracking(self, shipment, tracking_by_package_id, freight_cost=freight_cost,
                                        note=note)

    def write_packages(self, shipment: Shipment, rows: Sequence[packages.PackageRow]) -> Shipment:
        """Make the shipment's package rows ``rows`` (box, weight, sizes; rows not named are deleted), read back
        and compared: :class:`packages.PackagesNotSaved` when Acumatica kept anything else."""
        return packages.write_packages(self, shipment, rows)

    def shipping_boxes(self) -> list[packages.ShippingBox]:
        """The boxes of the Boxes screen: the BoxIDs a package row may name."""
        return packages.shipping_boxes(self)

    def clear_tracking(self, shipment: Shipment) -> Shipment:
        """Blank the tracking number of every package (after a void); read back like write_tracking."""
        return shipments.clear_tracking(self, shipment)

    def set_custom_fields(self, shipment_nbr: str, fields: Mapping[str, object], *, view: str = "Document") -> None:
        """Write custom (user-defined) fields of one view of a shipment, typed as the contract API wants."""
        shipments.set_custom_fields(self, shipment_nbr, fields, view=view)

    def attach_file(self, shipment_nbr: str, filename: str, data: bytes) -> None:
        """Attach ``data`` as ``filename`` (replacing a file of that name); ``#`` and spaces are encoded."""
        files.attach_file(self, shipment_nbr, filename, data)

    def confirm_shipment(self, shipment_nbr: str) -> None:
        run_action(self, "Shipment", "ConfirmShipment", shipments.record_keys(self, shipment_nbr),
                   polling=self._polling(), doing=_("confirm shipment {shipment}").format(shipment=shipment_nbr))

    def correct_shipment(self, shipment_nbr: str) -> None:
        run_action(self, "Shipment", "CorrectShipment", shipments.record_keys(self, shipment_nbr),
                   polling=self._polling(), doing=_("correct shipment {shipment}").format(shipment=shipment_nbr))

    def _polling(self) -> Polling:
        return Polling(sleep=self._sleep, seconds=self._poll_seconds, max_polls=self._max_polls)

    # -- notes and orders -----------------------------------------------------------------------------
    def get_sales_order(self, order_type: str, order_nbr: str) -> SalesOrder:
        return shipments.get_sales_order(self, order_type, order_nbr)

    def set_note_status_line(self, entity: NoteEntity, keys: Sequence[str], line: str, *,
                             marker: str = "[shipdesk]") -> bool:
        """Replace (or add) shipdesk's one line in the record's note; every other line stays as written.

        Returns True when the note changed and was saved, False when it already said ``line``.
        """
        return notes.set_note_status_line(self, entity, keys, line, marker=marker)

    def save_shipment_note(self, shipment: Shipment, note: str) -> None:
        """Save ``note`` as the whole note of the shipment just read (one PUT; no read before it)."""
        notes.save_note(self, "Shipment", [shipment.shipment_nbr], note, record_id=shipment.id)

    def read_notes(self, entity: NoteEntity, keys: Iterable[Sequence[str]]) -> dict[tuple[str, ...], str]:
        """The current note of many records in a few list requests (see ``notes.read_notes``)."""
        return notes.read_notes(self, entity, keys)

    def save_note(self, entity: NoteEntity, keys: Sequence[str], note: str | None, *,
                  custom: Mapping[str, object] | None = None) -> None:
        """Write the whole note (None: leave it) and custom fields in one PUT, read back (``notes.save_note``).
        Merge the note into a fresh read first (:meth:`read_notes`): the PUT replaces it."""
        notes.save_note(self, entity, keys, note, custom=custom)

    # -- customs (shipments that cross a border) ------------------------------------------------------
    def shipment_lines(self, shipment_nbr: str) -> tuple[ShipmentLine, ...]:
        """What is in the boxes: item, description, shipped quantity and unit, and the order line it ships."""
        return customs.shipment_lines(self, shipment_nbr)

    def priced_order(self, order_type: str, order_nbr: str) -> PricedOrder:
        """The sales order's lines with their prices, its currency and the customer's PO number."""
        return customs.priced_order(self, order_type, order_nbr)

    def stock_items(self, inventory_ids: Sequence[str]) -> dict[str, StockItem]:
        """Stock items (tariff code, origin, attributes, cross-references) by upper-case InventoryID."""
        return customs.stock_items(self, inventory_ids)

    def attach_file_to(self, entity: str, keys: Sequence[str], filename: str, data: bytes) -> None:
        """Attach ``data`` to any record found by its keys (``SalesOrder``, ``RM``, ``000123``)."""
        files.attach_file_to(self, entity, keys, filename, data)

