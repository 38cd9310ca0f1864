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


def test_zpl_graphics_are_drawn_where_they_are_at_the_preview_size() -> None:
    rows, per_row = 128, 16  # a 128 x 128 dot black square (^GFA, uncompressed hex)
    square = "FF" * (per_row * rows)
    zpl = f"^XA^PW812^LL1218^FO100,100^GFA,{per_row * rows},{per_row * rows},{per_row},{square}^FS^XZ".encode()

    image = _open(preview_png(decode_label("ZPL", zpl), max_height=609)).convert("L")

    assert image.size == (406, 609)  # half size: the square is at 50..114 pixels
    assert region_mean(image, (60 / 406, 60 / 609, 104 / 406, 104 / 609)) < 40
    assert region_mean(image, (150 / 406, 60 / 609, 200 / 406, 104 / 609)) > 230  # paper beside it
