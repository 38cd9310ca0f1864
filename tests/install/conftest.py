"""Helpers for the packaging tests: the repository's ``packaging/`` folder and its build helpers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load_packaging_module(relative: str) -> ModuleType:
    """A helper script from ``packaging/`` (not a package: the build runs them as files)."""
    path = PACKAGING / relative
    sys.path[:0] = [str(PACKAGING / "windows")]  # build.py imports version_info as the spec does
    try:
        spec = importlib.util.spec_from_file_location(f"_packaging_{path.stem}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(PACKAGING / "windows"))
