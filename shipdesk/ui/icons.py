"""Toolbar icons: small SVGs drawn for shipdesk, in ``resources/icons/``. A missing file gives no icon."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from shipdesk.resources import resource_path


@cache
def icon(name: str) -> QIcon:
    path = resource_path("icons", f"{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()
