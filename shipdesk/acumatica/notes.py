"""Merge shipdesk's one status line into a note that people also write in.

The note on a shipment or order is shared: customer service types there. shipdesk owns exactly
one line, the one starting with its marker, and never touches any other line.
"""

from __future__ import annotations


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
