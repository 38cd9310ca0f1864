"""Where shipdesk's bundled files (vendor specs, icons, seed data) live.

From a source checkout or an editable install they are in ``resources/`` beside the package; a
frozen build (``packaging/``) sets ``SHIPDESK_RESOURCES`` or puts them next to the executable.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_root() -> Path:
    override = os.environ.get("SHIPDESK_RESOURCES")
    if override:
        return Path(override)
    frozen_base = getattr(sys, "_MEIPASS", None)
    if frozen_base:
        return Path(frozen_base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)
