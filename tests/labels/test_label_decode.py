"""decode_label: what UPS sends (base64 or bytes) becomes a checked label, or a sentence saying why not."""

from __future__ import annotations

import base64
import io

import pytest
from label_samples import make_landscape_gif, make_zpl
from PIL import Image

from shipdesk.errors import LabelError, UndecodableLabel
from shipdesk.labels.decode import decode_label


def test_base64_gif_decodes_to_the_image_with_its_size(landscape_gif: bytes) -> None:
    label = decode_label("GIF", base64.b64encode(landscape_gif).decode())
    assert label.format == "GIF"
    assert label.is_image
    assert label.data == landscape_gif
    assert (label.width_px, label.height_px) == (1200, 800)


def test_bytes_already_decoded_are_accepted_and_base64_with_line_breaks_too(landscape_gif: bytes) -> None:
    assert decode_label("gif", landscape_gif).data == landscape_gif
    wrapped = base64.encodebytes(landscape_gif)  # 76-character lines, like some proxies send
    assert decode_label("GIF", wrapped).data == landscape_gif


def test_format_follows_the_magic_bytes_when_ups_sends_png_for_gif() -> None:
    png = make_landscape_gif(fmt="PNG")
    label = decode_label("GIF", base64.b64encode(png))
    assert label.format == "PNG"
    assert label.extension == "png"


def test_zpl_keeps_the_exact_bytes_and_reads_its_size() -> None:
    zpl = make_zpl("1Z999AA10123456784")
    label = decode_label("ZPL", base64.b64encode(zpl).decode())
    assert label.data == zpl
    assert not label.is_image
    assert (label.width_px, label.height_px) == (812, 1218)


@pytest.mark.parametrize(
    ("fmt", "data", "expected"),
    [
        ("GIF", "", "empty label"),
        ("ZPL", "   \n", "empty label"),
        ("GIF", "<html><body><h1>500 Internal Server Error</h1></body></html>", "HTML"),
        ("GIF", base64.b64encode(b"<!DOCTYPE html><html><body>Error</body></html>").decode(), "HTML"),
        ("ZPL", "^FO20,20^FDno start or end^FS", "^XA"),
        ("ZPL", base64.b64encode(b"^XA^FO20,20^FDcut here").decode(), "^XA and end with ^XZ"),
        ("JPG", "abcd", "cannot print"),
    ],
)
def test_bad_label_data_gives_a_sentence_that_says_what_to_do(fmt: str, data: str, expected: str) -> None:
    with pytest.raises(LabelError) as caught:
        decode_label(fmt, data)
    message = str(caught.value)
    assert expected in message
    assert "Label Recovery" in message


def test_truncated_base64_is_reported_as_cut_off_and_the_raw_text_is_kept(landscape_gif: bytes) -> None:
    text = base64.b64encode(landscape_gif).decode()[:-3]
    with pytest.raises(UndecodableLabel) as caught:
        decode_label("GIF", text)
    assert "cut off or damaged" in str(caught.value)
    assert caught.value.raw == text.encode()  # the archive can still store what UPS sent


def test_image_cut_short_inside_valid_base64_is_rejected(landscape_gif: bytes) -> None:
    half = landscape_gif[: len(landscape_gif) // 2]
    half = half[: len(half) - len(half) % 3]  # keep the base64 itself well formed
    with pytest.raises(LabelError, match="cut off or damaged"):
        decode_label("GIF", base64.b64encode(half))


def test_an_image_that_is_not_gif_or_png_is_rejected() -> None:
    jpeg = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(jpeg, format="JPEG")
    with pytest.raises(LabelError, match="not a GIF or PNG image"):
        decode_label("GIF", base64.b64encode(jpeg.getvalue()))


def test_a_gif_cut_anywhere_is_rejected_and_a_whole_one_keeps_its_size(landscape_gif: bytes) -> None:
    """The GIF's blocks are walked up to its trailer instead of decoding every pixel: no cut slips through."""
    with Image.open(io.BytesIO(landscape_gif)) as image:
        size = image.size
    label = decode_label("GIF", base64.b64encode(landscape_gif))
    assert (label.width_px, label.height_px) == size
    for cut in range(13, len(landscape_gif)):  # past the header: a GIF, cut off
        with pytest.raises(LabelError, match="cut off or damaged"):
            decode_label("GIF", landscape_gif[:cut])
