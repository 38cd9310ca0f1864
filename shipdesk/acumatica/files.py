"""Files attached to a shipment (the labels): ``PUT .../Shipment/{nbr}/files/{name}``."""

from __future__ import annotations

from urllib.parse import quote

from shipdesk.acumatica.session import AcumaticaSession, key_path


def attach_file(session: AcumaticaSession, shipment_nbr: str, filename: str, data: bytes) -> None:
    """Attach ``data`` as ``filename`` (replacing a file of that name); ``#`` and spaces are encoded."""
    url = session.url(f"/Shipment/{key_path([shipment_nbr])}/files/{quote(filename, safe='')}")
    session.call("PUT", url, data=data, headers={"Content-Type": "application/octet-stream"},
                 ok=(200, 204), doing=f"attach {filename} to shipment {shipment_nbr}")
