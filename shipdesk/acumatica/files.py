"""Files attached to a shipment (the labels): ``PUT .../Shipment/{nbr}/files/{name}``, or for a number that
would not survive a URL path, to the record's ``files:put`` link (its id): see ``records``.
"""

from __future__ import annotations

from urllib.parse import quote

from shipdesk.acumatica.errors import SERVICE
from shipdesk.acumatica.records import file_url, key_path, path_safe
from shipdesk.acumatica.session import AcumaticaSession
from shipdesk.acumatica.shipments import get_shipment
from shipdesk.errors import ServerError


def attach_file(session: AcumaticaSession, shipment_nbr: str, filename: str, data: bytes) -> None:
    """Attach ``data`` as ``filename`` (replacing a file of that name); ``#`` and spaces are encoded."""
    if path_safe(shipment_nbr):
        url = session.url(f"/Shipment/{key_path([shipment_nbr])}/files/{quote(filename, safe='')}")
    else:
        ref = session.known("Shipment", [shipment_nbr])
        if ref is None:
            get_shipment(session, shipment_nbr)  # learns its id and file link
            ref = session.known("Shipment", [shipment_nbr])
        if ref is None:
            raise ServerError(f"Acumatica's answer for shipment {shipment_nbr} has no record id to attach a file "
                              "to.", service=SERVICE)
        url = file_url(session.base_url, session.entity_url, "Shipment", ref, filename)
    session.call("PUT", url, data=data, headers={"Content-Type": "application/octet-stream"},
                 ok=(200, 204), doing=f"attach {filename} to shipment {shipment_nbr}")
