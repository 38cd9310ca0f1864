"""Image steps shared by the PDF, preview and Qt printer paths: turn upright, trim white, place on a page.

Orientation: UPS's GIF (and PNG) label is landscape with the TOP of the label on the LEFT edge (the
text reads bottom to top). Turning it 90° clockwise puts the left edge at the top, so that is the
turn we make. An image that is already portrait is left as it is.
"""

from __future__ import annotations

import io

from PIL import Image, ImageChops

from shipdesk.errors import UndecodableLabel
from shipdesk.i18n import _
from shipdesk.labels.decode import DecodedLabel

#: pixels lighter than this count as paper when trimming the white border
_PAPER_LEVEL = 245
#: when the trimmed label is within this fraction of the page's aspect ratio it is stretched to fill
#: the page exactly (a few percent is invisible and keeps barcodes scannable); otherwise it is fitted
_FILL_TOLERANCE = 0.10


def open_label_image(label: DecodedLabel) -> Image.Image:
    """The label's pixels as a greyscale image (GIF palettes and PNG alpha flattened onto white)."""
    if not label.is_image:
        raise UndecodableLabel(
            _("A {format} label is not an image and cannot be drawn on a page.").format(format=label.format),
            raw=label.data,
            fmt=label.format,
        )
    with Image.open(io.BytesIO(label.data)) as source:
        rgba = source.convert("RGBA")
    paper = Image.new("RGBA", rgba.size, "white")
    return Image.alpha_composite(paper, rgba).convert("L")


def upright(image: Image.Image) -> Image.Image:
    """Turn a landscape UPS label so its top is at the top (90° clockwise); portrait stays as it is."""
    if image.width > image.height:
        return image.transpose(Image.Transpose.ROTATE_270)  # ROTATE_270 counter-clockwise = 90° clockwise
    return image


def trim_white(image: Image.Image) -> Image.Image:
    """Cut away the white border around the printed content (an all-white image is returned unchanged)."""
    ink = ImageChops.invert(image.convert("L")).point(lambda v: 255 if v > 255 - _PAPER_LEVEL else 0)
    box = ink.getbbox()
    return image.crop(box) if box else image


def printable_label(label: DecodedLabel) -> Image.Image:
    """The label as it goes on a 4x6 page: upright and trimmed to its content."""
    return trim_white(upright(open_label_image(label)))


def place_on_page(
    image_width: float, image_height: float, page_width: float, page_height: float
) -> tuple[float, float, float, float]:
    """Where to draw an image on a page: (x, y, width, height) with y measured from the top.

    Fills the whole page when the aspect ratios nearly agree; otherwise keeps the aspect ratio and
    centres the image so a barcode is never squashed.
    """
    image_ratio = image_width / image_height
    page_ratio = page_width / page_height
    if abs(image_ratio / page_ratio - 1) <= _FILL_TOLERANCE:
        return 0.0, 0.0, page_width, page_height
    scale = min(page_width / image_width, page_height / image_height)
    width, height = image_width * scale, image_height * scale
    return (page_width - width) / 2, (page_height - height) / 2, width, height


def to_png(image: Image.Image) -> bytes:
    """PNG bytes for the screen or a print job. The fastest compression: these bytes never leave memory,
    and ``optimize=True`` cost 50 ms a label preview to save a few kilobytes nobody stores."""
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()
