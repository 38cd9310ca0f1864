"""Label files kept on disk so a label can be reprinted without asking UPS again.

Layout: ``<root>/<YYYY-MM>/<ShipmentNbr>/<tracking>.<ext>`` (the month the label was stored). Names are
sanitised so an Acumatica number with a slash or a dot cannot escape the folder. Files are written to
a temporary file beside the target and moved into place with ``os.replace``, so a crash never
leaves half a label. When a label is not in the archive (deleted, other PC), the caller asks UPS
Label Recovery (``POST /api/labels/v1/recovery``) for it and stores the answer here.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from shipdesk.errors import StoreError
from shipdesk.i18n import _

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class ArchivedLabel:
    format: str  # upper case, from the file extension: GIF, PNG, ZPL...
    data: bytes
    path: Path


def safe_name(value: str) -> str:
    """A file or folder name made of letters, digits, '-' and '_' only (never empty)."""
    return _UNSAFE.sub("_", value.strip()).strip("_") or "_"


#: how many labels this process stored lately are found again without listing every month's folder
RECENT = 512


class LabelArchive:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        # (shipment, tracking) -> the file this process stored: a label is looked for right after it is stored
        # (attached to Acumatica, printed), and a glob lists every month's folder, twice per label
        self._recent: OrderedDict[tuple[str, str], Path] = OrderedDict()
        self._recent_lock = threading.Lock()

    def store(
        self, shipment_nbr: str, tracking: str, fmt: str, data: bytes, *, when: datetime | None = None
    ) -> Path:
        """Write one label file (replacing an older copy in the same month) and return its path."""
        month = (when or datetime.now()).strftime("%Y-%m")
        folder = self.root / month / safe_name(shipment_nbr)
        target = folder / f"{safe_name(tracking)}.{safe_name(fmt).lower()}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temp_name = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
            try:
                with os.fdopen(handle, "wb") as temp:
                    temp.write(data)
                    temp.flush()
                    os.fsync(temp.fileno())
                os.replace(temp_name, target)
            except BaseException:
                Path(temp_name).unlink(missing_ok=True)
                raise
            self._remember(shipment_nbr, tracking, target)
        except OSError as exc:
            raise StoreError(
                _("The label {tracking} could not be saved in the label folder {folder} ({strerror}).").format(
                    tracking=tracking, folder=folder, strerror=exc.strerror),
                hint=_("Check that the folder exists, is writable and the disk is not full."),
            ) from exc
        return target

    def find(self, shipment_nbr: str, tracking: str) -> Path | None:
        """The newest stored file for this label, or None (then use UPS Label Recovery)."""
        with self._recent_lock:
            recent = self._recent.get((safe_name(shipment_nbr), safe_name(tracking)))
        if recent is not None and recent.is_file():
            return recent
        pattern = f"*/{safe_name(shipment_nbr)}/{safe_name(tracking)}.*"
        matches = [p for p in self.root.glob(pattern) if p.is_file() and not p.name.startswith(".")]
        return max(matches, key=lambda p: p.parent.parent.name) if matches else None

    def _remember(self, shipment_nbr: str, tracking: str, path: Path) -> None:
        with self._recent_lock:
            key = (safe_name(shipment_nbr), safe_name(tracking))
            self._recent[key] = path
            self._recent.move_to_end(key)
            while len(self._recent) > RECENT:
                self._recent.popitem(last=False)

    def load(self, shipment_nbr: str, tracking: str) -> ArchivedLabel | None:
        path = self.find(shipment_nbr, tracking)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise StoreError(
                _("The saved label {path} cannot be read ({strerror}).").format(path=path, strerror=exc.strerror),
                hint=_("Reprint it with Label Recovery."),
            ) from exc
        return ArchivedLabel(format=path.suffix.lstrip(".").upper(), data=data, path=path)
