"""Where shipdesk's bundled files (vendor specs, icons) live.

The canonical copy is the top-level ``resources/`` folder of the repository. A built wheel and the
PyInstaller build carry a copy inside the package as ``shipdesk/_resources`` (see ``setup.py`` and
``packaging/shipdesk.spec``); a checkout or an editable install reads ``resources/`` beside the package.
``SHIPDESK_RESOURCES`` points elsewhere (a test, or an admin trying a newer copy).
"""

from __future__ import annotations

import os
from pathlib import Path

RESOURCES_ENV = "SHIPDESK_RESOURCES"
_PACKAGE_DIR = Path(__file__).resolve().parent
#: where a wheel or a frozen build put them (PyInstaller's ``__file__`` is inside its bundle folder)
INSTALLED_RESOURCES = _PACKAGE_DIR / "_resources"
#: where they are in a source checkout
CHECKOUT_RESOURCES = _PACKAGE_DIR.parent / "resources"


def resources_root() -> Path:
    override = os.environ.get(RESOURCES_ENV)
    if override:
        return Path(override)
    if INSTALLED_RESOURCES.is_dir():
        return INSTALLED_RESOURCES
    return CHECKOUT_RESOURCES


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)
