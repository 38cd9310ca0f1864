"""Placing a label on the page: fill when the shape nearly matches, never squash a barcode otherwise."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from shipdesk.labels.images import place_on_page, trim_white


@pytest.mark.parametrize(
    ("image_size", "expected"),
    [
        ((800, 1200), (0, 0, 288, 432)),  # exactly 2:3
        ((800, 1150), (0, 0, 288, 432)),  # within a few percent: stretched to fill
        ((800, 800), (0, 72, 288, 288)),  # square: fitted and centred, not squashed
        ((400, 1200), (72, 0, 144, 432)),
    ],
)
def test_place_on_page(image_size: tuple[int, int], expected: tuple[float, float, float, float]) -> None:
    assert place_on_page(*image_size, 288, 432) == pytest.approx(expected)


def test_trim_white_cuts_the_paper_around_the_content() -> None:
    image = Image.new("L", (100, 200), 255)
    ImageDraw.Draw(image).rectangle((10, 20, 59, 119), fill=0)
    assert trim_white(image).size == (50, 100)
    blank = Image.new("L", (10, 10), 255)
    assert trim_white(blank).size == (10, 10)
