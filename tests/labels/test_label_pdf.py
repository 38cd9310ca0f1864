"""4x6 portrait PDFs: page size, orientation, no white margin, one page per label."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from label_samples import ARTIFACTS, assert_upright, edge_means, make_landscape_gif, make_zpl, media_boxes
from PIL import Image

from shipdesk.errors import LabelError
from shipdesk.labels.decode import decode_label
from shipdesk.labels.pdf import label_to_pdf, labels_to_pdf

Render = Callable[[Path, int], list[Image.Image]]


def test_gif_label_becomes_one_upright_4x6_page_filled_edge_to_edge(
    landscape_gif: bytes, tmp_path: Path, pdftoppm: Render
) -> None:
    pdf = tmp_path / "label.pdf"
    label_to_pdf(decode_label("GIF", landscape_gif), out=pdf)

    assert media_boxes(pdf.read_bytes()) == [(288.0, 432.0)]
    [page] = pdftoppm(pdf, 50)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf.with_name("label-1.png"), ARTIFACTS / "label-4x6-50dpi.png")

    assert page.size == (200, 300)  # 4x6 in at 50 dpi
    assert_upright(page)
    # the label's own black border sits on every edge of the page: no white band anywhere
    for side, mean in edge_means(page).items():
        assert mean < 128, f"white margin on the {side} side of the page"


def test_batch_pdf_has_one_page_per_label_in_order(tmp_path: Path, pdftoppm: Render) -> None:
    labels = [decode_label("GIF", make_landscape_gif(f"1Z999AA1012345678{n}")) for n in range(3)]
    pdf = tmp_path / "batch.pdf"
    with pdf.open("wb") as out:
        labels_to_pdf(labels, out)
    assert media_boxes(pdf.read_bytes()) == [(288.0, 432.0)] * 3
    pages = pdftoppm(pdf, 30)
    assert len(pages) == 3
    for page in pages:
        assert_upright(page)


def test_zpl_cannot_go_into_a_pdf() -> None:
    zpl = decode_label("ZPL", make_zpl("1Z999AA10123456784"))
    with pytest.raises(LabelError, match="printer code, not a picture"):
        labels_to_pdf([zpl], Path("unused.pdf"))
