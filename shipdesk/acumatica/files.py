"""Files attached to a shipment (the labels): ``PUT .../Shipment/{nbr}/files/{name}``; to any record by its keys."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from shipdesk.acumatica.session import AcumaticaSession, key_path


def attach_file(session: AcumaticaSession, shipment_nbr: str, filename: str, data: bytes) -> None:
    """Attach ``data`` as ``filename`` (replacing a file of that name); ``#`` and spaces are encoded."""
    url = session.url(f"/Shipment/{key_path([shipment_nbr])}/files/{quote(filename, safe='')}")
    session.call("PUT", url, data=data, headers={"Content-Type": "application/octet-stream"},
                 ok=(200, 204), doing=f"attach {filename} to shipment {shipment_nbr}")


def attach_file_to(session: AcumaticaSession, entity: str, keys: Sequence[str], filename: str, data: bytes) -> None:
    """``PUT .../{entity}/{key}/{key}/files/{name}`` (a sales order: ``SalesOrder/RM/000123/files/...``)."""
    url = session.url(f"/{entity}/{key_path(keys)}/files/{quote(filename, safe='')}")
    session.call("PUT", url, data=data, headers={"Content-Type": "application/octet-stream"},
                 ok=(200, 204), doing=f"attach {filename} to {entity} {' '.join(keys)}")

