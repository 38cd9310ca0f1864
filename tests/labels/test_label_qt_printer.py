"""System printing through Qt, checked offscreen by printing to a PDF file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from label_samples import assert_upright, make_landscape_gif, make_zpl, media_boxes
from PIL import Image

from shipdesk.errors import LabelError
from shipdesk.labels.decode import decode_label
from shipdesk.labels.qt_printer import print_pdf_or_images


def test_labels_print_as_upright_4x6_pages(
    qapp: object, tmp_path: Path, pdftoppm: Callable[[Path, int], list[Image.Image]]
) -> None:
    labels = [decode_label("GIF", make_landscape_gif(f"1Z999AA1012345678{n}")) for n in range(2)]
    pdf = tmp_path / "printed.pdf"
    print_pdf_or_images(None, labels, pdf_path=pdf)

    boxes = media_boxes(pdf.read_bytes())
    assert len(boxes) == 2
    for width, height in boxes:
        assert width == pytest.approx(288, abs=0.5) and height == pytest.approx(432, abs=0.5)
    for page in pdftoppm(pdf, 30):
        assert_upright(page)


def test_zpl_label_is_refused_before_anything_prints(qapp: object, tmp_path: Path) -> None:
    with pytest.raises(LabelError, match="not an image"):
        print_pdf_or_images(None, [decode_label("ZPL", make_zpl("1Z1"))], pdf_path=tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
