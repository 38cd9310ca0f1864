"""Sample labels (UPS-like GIFs drawn with Pillow, ZPL) and checks on rendered pages, for the label tests."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image, ImageDraw, ImageStat

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "labels"

# Where the orientation marker sits on the upright label (fractions of width/height): a solid
# black block in the top-left corner, below and right of the border.
MARKER_BOX = (0.08, 0.06, 0.45, 0.22)


def make_landscape_gif(text: str = "1Z999AA10123456784", *, fmt: str = "GIF") -> bytes:
    """A 1200x800 landscape label like UPS's: the upright 800x1200 label turned so its top is on the LEFT.

    The label has a 30 px white margin (to be trimmed), a thick black border at its edge, a "TOP"
    marker block in the top-left corner and some text.
    """
    width, height = 800, 1200
    upright = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(upright)
    draw.rectangle((30, 30, width - 31, height - 31), outline=0, width=14)
    left, top, right, bottom = MARKER_BOX
    draw.rectangle((int(left * width), int(top * height), int(right * width), int(bottom * height)), fill=0)
    draw.text((100, 290), "TOP", fill=0, font_size=60)
    draw.text((80, 600), text, fill=0, font_size=40)
    landscape = upright.transpose(Image.Transpose.ROTATE_90)  # counter-clockwise: top edge -> left edge
    out = io.BytesIO()
    landscape.save(out, format=fmt)
    return out.getvalue()


def make_zpl(tracking: str, package: int = 1, of: int = 1) -> bytes:
    return (
        "^XA^CI28^PW812^LL1218^LH0,0\n"
        "^FO20,20^GB772,1178,6^FS\n"
        "^CF0,30^FO40,40^FDACME Industrial Supply^FS\n"
        "^FO40,80^A0N,28,28^FD100 Main St, Atlanta GA 30301^FS\n"
        f"^FO600,40^A0N,40,40^FD{package} OF {of}^FS\n"
        "^FO40,300^A0N,60,60^FDSHIP TO: Jürgen Müller^FS\n"
        "^FO40,400^FH^FDBerlin_5FMitte^FS\n"
        "^FO60,600^BY3^BCN,200,Y,N,N^FD" + tracking + "^FS\n"
        "^FO40,1000^BD2^FDmaxicode^FS\n"
        "^XZ\n"
    ).encode()


def media_boxes(pdf_bytes: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of every page's MediaBox."""
    found = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf_bytes)
    return [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in found]


def region_mean(image: Image.Image, box: tuple[float, float, float, float]) -> float:
    """Mean grey level (0 black .. 255 white) of a region given as fractions of the image size."""
    left, top, right, bottom = box
    w, h = image.size
    crop = image.crop((int(left * w), int(top * h), int(right * w), int(bottom * h)))
    return float(ImageStat.Stat(crop.convert("L")).mean[0])


# Regions (fractions of the upright page) to test where the marker ended up.
TOP_LEFT = (0.12, 0.08, 0.38, 0.18)
TOP_RIGHT = (0.62, 0.08, 0.88, 0.18)
BOTTOM_LEFT = (0.12, 0.82, 0.38, 0.92)
BOTTOM_RIGHT = (0.62, 0.82, 0.88, 0.92)


def assert_upright(image: Image.Image) -> None:
    """The marker block is in the top-left corner and nowhere else: the label reads the right way up."""
    assert image.height > image.width, f"page is not portrait: {image.size}"
    assert region_mean(image, TOP_LEFT) < 60, "the TOP marker is not in the top-left corner"
    for corner in (TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT):
        assert region_mean(image, corner) > 200, f"unexpected ink in {corner}: label turned the wrong way"


def edge_means(image: Image.Image, depth: int = 2) -> dict[str, float]:
    """Mean grey level of the outermost ``depth`` pixel rows/columns on each side."""
    w, h = image.size
    boxes = {"top": (0, 0, w, depth), "bottom": (0, h - depth, w, h), "left": (0, 0, depth, h)}
    boxes["right"] = (w - depth, 0, w, h)
    return {side: float(ImageStat.Stat(image.crop(box).convert("L")).mean[0]) for side, box in boxes.items()}
