"""Files attached to a shipment (the labels): ``PUT .../Shipment/{nbr}/files/{name}``, or for a number that
would not survive a URL path, to the record's ``files:put`` link (its id): see ``records``; to any record by
its keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from shipdesk.acumatica.errors import SERVICE
from shipdesk.acumatica.records import file_url, key_path, path_safe
from shipdesk.acumatica.session import AcumaticaSession
from shipdesk.acumatica.shipments import get_shipment
from shipdesk.errors import ServerError
from shipdesk.i18n import _


def attach_file(session: AcumaticaSession, shipment_nbr: str, filename: str, data: bytes) -> None:
    """Attach ``data`` as ``filename`` (replacing a file of that name); ``#`` and spaces are encoded."""
    if not path_safe(shipment_nbr) and session.known("Shipment", [shipment_nbr]) is None:
        get_shipment(session, shipment_nbr)  # learns its id and file link
    attach_file_to(session, "Shipment", [shipment_nbr], filename, data)


def attach_file_to(session: AcumaticaSession, entity: str, keys: Sequence[str], filename: str, data: bytes) -> None:
    """``PUT .../{entity}/{key}/{key}/files/{name}`` (a sales order: ``SalesOrder/RM/000123/files/...``); a key
    that would not survive the path goes to the record's ``files:put`` link, which needs a read first."""
    ref = session.known(entity, list(keys))
    if all(path_safe(key) for key in keys):
        url = session.url(f"/{entity}/{key_path(keys)}/files/{quote(filename, safe='')}")
    elif ref is not None:
        url = file_url(session.base_url, session.entity_url, entity, ref, filename)
    else:
        raise ServerError(_("Acumatica's answer for {record} has no record id to attach a file to.").format(
            record=f"{entity} {' '.join(keys)}"),
                          service=SERVICE)
    session.call("PUT", url, data=data, headers={"Content-Type": "application/octet-stream"},
                 ok=(200, 204), doing=_("attach {filename} to {entity} {keys}").format(
                     filename=filename, entity=entity, keys=' '.join(keys)))
