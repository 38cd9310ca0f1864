"""Merge shipdesk's one status line into a note that people also write in, and save it.

The note on a shipment or order is shared: customer service types there. shipdesk owns exactly
one line, the one starting with its marker, and never touches any other line. What was saved is read
back from the PUT's answer, as the fields are: Acumatica writes a note even on a Confirmed shipment (its
note handler saves it straight to the Note table when the record is read-only), but nothing public shows
that the contract API takes that path too (docs/evidence/real-services.md 12.8).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from shipdesk.acumatica.errors import FieldsNotSaved
from shipdesk.acumatica.parse import note_of
from shipdesk.acumatica.records import ref_of
from shipdesk.acumatica.session import AcumaticaSession
from shipdesk.acumatica.values import get_str, wrap

NoteEntity = Literal["Shipment", "SalesOrder"]
#: key fields sent with a PUT so the record is found even without its id
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "Shipment": ("ShipmentNbr",),
    "SalesOrder": ("OrderType", "OrderNbr"),
}


def set_note_status_line(session: AcumaticaSession, entity: NoteEntity, keys: Sequence[str], line: str, *,
                         marker: str) -> bool:
    """See :meth:`AcumaticaClient.set_note_status_line`: read the note, merge, save only when it changed."""
    key_fields = KEY_FIELDS[entity]
    if len(keys) != len(key_fields):
        raise ValueError(f"{entity} is found by {', '.join(key_fields)}; got {list(keys)}")
    label = f"{entity} {' '.join(keys)}"
    current = session.read_record(entity, key_fields, keys, doing=f"read the note of {label}")
    note = note_of(current)
    merged = merge_status_line(note, line, marker=marker)
    if merged == note:
        return False
    fields: dict[str, Any] = dict(zip(key_fields, keys, strict=True))
    ref = ref_of(current) if isinstance(current, dict) else None
    if ref is not None:
        fields["id"] = ref.record_id
    fields["note"] = merged
    saved = session.call_json("PUT", session.url(f"/{entity}"), json=wrap(fields), doing=f"save the note of {label}")
    kept = note_of(saved) if isinstance(saved, dict) else ""
    if kept.strip() != merged.strip():  # read back: business logic may drop a write without an error
        raise FieldsNotSaved(f"Acumatica did not save shipdesk's line in the note of {label} (status "
                             f"{get_str(saved, 'Status') or 'unknown'}).", fields={"note": (merged, kept)},
                             status=get_str(saved, "Status"))
    return True


def merge_status_line(note: str, line: str, *, marker: str = "[shipdesk]") -> str:
    """``note`` with the marker line replaced by ``marker + " " + line`` (appended when absent).

    Only the first marker line is replaced; any later duplicates (left by an older run or a person
    copying the line) are removed so exactly one stays. Line endings of the original are kept.
    """
    status = f"{marker} {line.strip()}".rstrip()
    newline = "\r\n" if "\r\n" in note else "\n"
    lines = note.splitlines()
    merged: list[str] = []
    placed = False
    for existing in lines:
        if existing.lstrip().startswith(marker):
            if not placed:
                merged.append(status)
                placed = True
            continue
        merged.append(existing)
    if not placed:
        merged.append(status)
    return newline.join(merged)
