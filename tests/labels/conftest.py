"""Fixtures for the label tests: a UPS-like landscape GIF and a PDF-to-image renderer (poppler)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from label_samples import make_landscape_gif
from PIL import Image


@pytest.fixture
def landscape_gif() -> bytes:
    return make_landscape_gif()


@pytest.fixture
def pdftoppm() -> Callable[[Path, int], list[Image.Image]]:
    """Render every page of a PDF to greyscale images at the given dpi (skips when poppler is missing)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed; apt-get install poppler-utils")

    def render(pdf: Path, dpi: int = 50) -> list[Image.Image]:
        prefix = pdf.with_suffix("")
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(prefix)], check=True)
        pages = sorted(pdf.parent.glob(prefix.name + "-*.png"))
        return [Image.open(p).convert("L") for p in pages]

    return render
