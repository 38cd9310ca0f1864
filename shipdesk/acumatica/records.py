"""Where a record is in a URL: by its id once read, by its key fields only when they survive the path.

The spec: "The values of the key fields of the record. The values are slash-delimited." Acumatica's help:
"If the value of a key field contains a slash, you need to refer to a record by its entity ID" (a vertical
bar separates keys too). In front of Acumatica, IIS decodes the path once before routing (``%2F`` is a
slash), answers 404.11 for ``+`` or for a path a second decoding would change (``%25..``), and ASP.NET
answers 400 for ``< > * % & : \\ ?`` in the decoded path (docs/evidence/real-services.md 12.10). So:

- a record this session has read is addressed by its ``id`` (files by the record's ``files:put`` link);
- otherwise a key goes into the path only when it is letters, digits, ``-`` and ``_``;
- any other key is found with ``$filter`` (the query string is not held to those path rules).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from shipdesk.acumatica import query
from shipdesk.acumatica.errors import SERVICE
from shipdesk.errors import NotFound
from shipdesk.i18n import _

SAFE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class RecordRef:
    """What a read told about a record: its id, and the link its files are put to (may be "")."""

    record_id: str
    files_put: str = ""


def path_safe(key: str) -> bool:
    """A key value that reaches Acumatica unchanged as one path segment."""
    return bool(SAFE_KEY.fullmatch(key))


def is_record_id(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return len(text) == 36


def key_path(keys: Sequence[str]) -> str:
    """``("SO", "000123")`` → ``SO/000123`` (only for keys that are :func:`path_safe`)."""
    return "/".join(quote(k, safe="") for k in keys)


def filter_for(key_fields: Sequence[str], keys: Sequence[str]) -> str:
    """``$filter`` that finds the record by its keys, whatever characters they hold."""
    return query.all_of(query.equals(field, value) for field, value in zip(key_fields, keys, strict=True))


def ref_of(entity: Any) -> RecordRef | None:
    """The id and file link of a record as Acumatica sent it (None without an id, or for no record at all)."""
    if not isinstance(entity, Mapping) or isinstance(entity.get("id"), dict | list):
        return None
    record_id = str(entity.get("id") or "")
    if not record_id:
        return None
    links = entity.get("_links")
    files_put = links.get("files:put") if isinstance(links, Mapping) else None
    return RecordRef(record_id, files_put if isinstance(files_put, str) else "")


def file_url(base_url: str, entity_url: str, entity: str, ref: RecordRef, filename: str) -> str:
    """Where to PUT a file of the record: its ``files:put`` link (a server path that already holds the
    instance path), else the record by id."""
    name = quote(filename, safe="")
    if ref.files_put and "{filename}" in ref.files_put:
        origin = "{0.scheme}://{0.netloc}/".format(urlsplit(base_url))
        return urljoin(origin, ref.files_put.replace("{filename}", name))
    return f"{entity_url}/{entity}/{ref.record_id}/files/{name}"


def not_found(entity: str, keys: Sequence[str], doing: str) -> NotFound:
    return NotFound(_("Acumatica could not {doing}: there is no {record}.").format(
        doing=doing, record=f"{entity} {' '.join(keys)}"), service=SERVICE, status=404)
