"""Previews for the app: portrait, no taller than asked, GIF turned upright, ZPL drawn with a PREVIEW mark."""

from __future__ import annotations

import io

from label_samples import assert_upright, make_zpl, region_mean
from PIL import Image, ImageChops

from shipdesk.labels.decode import decode_label
from shipdesk.labels.preview import preview_png


def _open(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image


def test_gif_preview_is_upright_and_fits_the_height(landscape_gif: bytes) -> None:
    image = _open(preview_png(decode_label("GIF", landscape_gif), max_height=600))
    assert image.size == (400, 600)
    assert_upright(image.convert("L"))


def test_zpl_preview_draws_the_label_and_marks_it_as_a_preview() -> None:
    image = _open(preview_png(decode_label("ZPL", make_zpl("1Z999AA10123456784")), max_height=800)).convert(
        "RGB"
    )
    assert image.height == 800
    assert image.width < image.height
    grey = image.convert("L")
    # the Code 128 field at y=600..800 of 1218 dots is drawn as bars
    assert region_mean(grey, (0.1, 0.52, 0.5, 0.62)) < 200
    red, green, blue = image.split()
    strong_red = ImageChops.multiply(
        red.point(lambda v: 255 if v > 180 else 0),
        ImageChops.multiply(
            green.point(lambda v: 255 if v < 90 else 0), blue.point(lambda v: 255 if v < 90 else 0)
        ),
    )
    reds = strong_red.histogram()[255]
    assert reds > 1000, "the PREVIEW mark is missing"


def test_epl_gets_a_card_instead_of_a_picture() -> None:
    image = _open(preview_png(decode_label("EPL", b'N\nA50,50,0,4,1,1,N,"HELLO"\nP1\n')))
    assert image.height > image.width
