"""Merge shipdesk's one status line into a note that people also write in, and save it.

The note on a shipment or order is shared: customer service types there. shipdesk owns exactly
one line, the one starting with its marker, and never touches any other line. What was saved is read
back from the PUT's answer, as the fields are: Acumatica writes a note even on a Confirmed shipment (its
note handler saves it straight to the Note table when the record is read-only), but nothing public shows
that the contract API takes that path too (docs/evidence/real-services.md 12.8).

A PUT replaces the whole note and Acumatica has no precondition on it (its ``If-Match`` only says insert
or update), so the note is always merged into a fresh read. For many records at once (the sync's status
write-back) :func:`read_notes` reads them in a few list requests right before the writes, and
:func:`save_note` writes the merged note (and the record's custom fields) in one PUT.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from shipdesk.acumatica import query
from shipdesk.acumatica.errors import FieldsNotSaved
from shipdesk.acumatica.parse import note_of
from shipdesk.acumatica.records import ref_of
from shipdesk.acumatica.session import AcumaticaSession
from shipdesk.acumatica.tracking import fields_not_saved, same_value
from shipdesk.acumatica.values import custom_field, get_str, unwrap_custom, wrap
from shipdesk.i18n import _

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
        raise ValueError(f"{entity} is found by {', '.join(key_fields)}; got {list(keys)}")  # i18n: a bug
    label = f"{entity} {' '.join(keys)}"
    current = session.read_record(entity, key_fields, keys, doing=_("read the note of {label}").format(label=label))
    note = note_of(current)
    merged = merge_status_line(note, line, marker=marker)
    if merged == note:
        return False
    fields: dict[str, Any] = dict(zip(key_fields, keys, strict=True))
    ref = ref_of(current) if isinstance(current, dict) else None
    if ref is not None:
        fields["id"] = ref.record_id
    fields["note"] = merged
    saved = session.call_json("PUT", session.url(f"/{entity}"), json=wrap(fields),
                              doing=_("save the note of {label}").format(label=label))
    kept = note_of(saved) if isinstance(saved, dict) else ""
    if kept.strip() != merged.strip():  # read back: business logic may drop a write without an error
        said = _("Acumatica did not save shipdesk's line in the note of {record} (status {status}).").format(
            record=label, status=get_str(saved, "Status") or "—")
        raise FieldsNotSaved(said, fields={"note": (merged, kept)}, status=get_str(saved, "Status"))
    return True


#: list requests for notes: a run of keys this dense is read as a range, in pages of this many records
RANGE_GAP = 20
RANGE_PAGE = 500
#: a range is worth it from this many keys; fewer are asked for by name, this many characters of filter a request
RANGE_MIN_KEYS = 8
NAMED_FILTER_CHARS = 1500  # IIS's default query-string limit is 2,048 bytes
_NUMBERED = re.compile(r"(.*?)(\d+)")

Keys = tuple[str, ...]


def read_notes(session: AcumaticaSession, entity: NoteEntity, keys: Iterable[Sequence[str]]) -> dict[Keys, str]:
    """The current note of each record (keys as in :data:`KEY_FIELDS`), in a few list requests: dense runs of
    numbers (SH000101…SH000180) as ranges read in pages, the rest by name. A record that is not in the answer
    (deleted, or a key the list filter cannot match) is left out: the caller reads it alone. Each record's id
    is remembered, so the PUT that follows names it by id."""
    key_fields = KEY_FIELDS[entity]
    wanted = {tuple(k) for k in keys}
    notes: dict[Keys, str] = {}
    for where, page in _note_queries(key_fields, sorted(wanted)):
        rows = session.list_records(f"/{entity}", {"$filter": where}, page,
                                    doing=_("read the notes of {count} {entity} records").format(
                                        count=len(wanted), entity=entity))
        for row in rows:
            found = tuple(get_str(row, name) for name in key_fields)
            if found in wanted:
                notes[found] = note_of(row)
                session.remember(entity, found, row)
    return notes


def _note_queries(key_fields: Sequence[str], keys: list[Keys]) -> list[tuple[str, int | None]]:
    """``$filter`` (and page size) of each list request that covers ``keys``: the last key field as ranges."""
    *fixed, last = key_fields
    ranges: list[list[Keys]] = []
    for key in keys:
        run = ranges[-1] if ranges else None
        if run is not None and _close(run[-1], key):
            run.append(key)
        else:
            ranges.append([key])
    queries: list[tuple[str, int | None]] = []
    named: list[Keys] = []
    for run in ranges:
        if len(run) < RANGE_MIN_KEYS:
            named += run
            continue
        clauses = [query.equals(f, v) for f, v in zip(fixed, run[0][:-1], strict=True)]
        clauses += [f"{last} ge {query.string_literal(run[0][-1])}", f"{last} le {query.string_literal(run[-1][-1])}"]
        queries.append((query.all_of(clauses), RANGE_PAGE))
    batch: list[str] = []
    for key in named:
        clause = query.all_of(query.equals(f, v) for f, v in zip(key_fields, key, strict=True))
        clause = f"({clause})" if len(key_fields) > 1 else clause
        if batch and sum(len(c) + 4 for c in batch) + len(clause) > NAMED_FILTER_CHARS:
            queries.append((" or ".join(batch), None))
            batch = []
        batch.append(clause)
    if batch:
        queries.append((" or ".join(batch), None))
    return queries


def _close(before: Keys, key: Keys) -> bool:
    """Same leading keys, same prefix and width of the number, at most RANGE_GAP apart."""
    if before[:-1] != key[:-1]:
        return False
    a, b = _NUMBERED.fullmatch(before[-1]), _NUMBERED.fullmatch(key[-1])
    if a is None or b is None or a[1] != b[1] or len(a[2]) != len(b[2]):
        return False
    return 0 <= int(b[2]) - int(a[2]) <= RANGE_GAP


def save_note(session: AcumaticaSession, entity: NoteEntity, keys: Sequence[str], note: str | None, *,
              custom: Mapping[str, object] | None = None, view: str = "Document", record_id: str = "") -> None:
    """One PUT with the record's whole note (None: leave it) and its custom fields of ``view``; what Acumatica
    kept is read back from the answer. ``record_id``: the record's id when the caller just read it. Raises
    :class:`FieldsNotSaved` naming what did not stick (``note``, or a custom field: a Confirmed shipment's
    header drops them without an error)."""
    key_fields = KEY_FIELDS[entity]
    label = f"{entity} {' '.join(keys)}"
    fields: dict[str, Any] = dict(zip(key_fields, keys, strict=True))
    ref = session.known(entity, keys)
    if record_id or ref is not None:
        fields["id"] = record_id or (ref.record_id if ref is not None else "")
    if note is not None:
        fields["note"] = note
    sent = {name: custom_field(value) for name, value in (custom or {}).items()}
    if sent:
        fields["custom"] = {view: sent}
    params = {"$custom": ",".join(f"{view}.{name}" for name in sent)} if sent else None
    saved = session.call_json("PUT", session.url(f"/{entity}"), json=wrap(fields), params=params,
                              doing=_("save shipdesk's status on {label}").format(label=label))
    saved = saved if isinstance(saved, dict) else {}
    status = get_str(saved, "Status")
    problems: list[FieldsNotSaved] = []
    if note is not None and note_of(saved).strip() != note.strip():
        problems.append(FieldsNotSaved(
            _("Acumatica did not save shipdesk's line in the note of {record} (status {status}).").format(
                record=label, status=status or "—"),
            fields={"note": (note, note_of(saved))}, status=status))
    kept = unwrap_custom(saved.get("custom")).get(view, {})
    lost = {name: (wire["value"], kept.get(name)) for name, wire in sent.items()
            if not same_value(wire["value"], kept.get(name))}
    if lost:
        problems.append(fields_not_saved(" ".join(keys), status, lost))
    if problems:
        raise FieldsNotSaved(" ".join(p.message for p in problems),
                             fields={n: v for p in problems for n, v in p.fields.items()}, status=status)


def without_line(note: str, marker: str) -> str:
    """``note`` with every line starting with ``marker`` removed (line endings kept)."""
    newline = "\r\n" if "\r\n" in note else "\n"
    return newline.join(line for line in note.splitlines() if not line.lstrip().startswith(marker))


def line_with(note: str, marker: str) -> str | None:
    """The first line of ``note`` starting with ``marker`` (without the marker), or None."""
    for line in note.splitlines():
        if line.lstrip().startswith(marker):
            return line.lstrip()[len(marker):].strip()
    return None


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
