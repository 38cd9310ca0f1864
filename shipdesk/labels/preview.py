"""Portrait PNG previews of labels for the app's label pane.

GIF/PNG labels are turned upright the same way they are printed. ZPL is drawn by our own small
renderer (`shipdesk.labels.zpl_preview`). Offline ZPL renderers on PyPI were tried (Nov 2026):
``zplkit`` 0.3.2 (Rust) renders well but refuses any non-ASCII character in its built-in font
(names like "Müller" are common in our data), is licensed OSL-3.0 and is a single young project;
``zpl-core`` 0.1.0 crashed (IndexError) on a UPS-style label; ``zpl-toolchain`` is not installable
here. A clerk needs to recognise the label, not a pixel-exact render, so a ~150-line Pillow renderer
with a clear "PREVIEW" mark is the smaller risk. EPL, SPL and PDF labels get a card naming the format.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from shipdesk.i18n import _
from shipdesk.labels.decode import DecodedLabel
from shipdesk.labels.images import open_label_image, to_png, upright
from shipdesk.labels.zpl_preview import render_zpl


def preview_png(label: DecodedLabel, *, max_height: int = 800) -> bytes:
    """A portrait PNG of the label, at most ``max_height`` pixels high (never enlarged)."""
    if label.is_image:
        image = upright(open_label_image(label))
    elif label.format == "ZPL":
        return to_png(render_zpl(label.data, max_height=max_height))  # drawn at the size shown
    else:
        image = _no_preview_card(label.format)
    if image.height > max_height:
        width = max(1, round(image.width * max_height / image.height))
        image = image.resize((width, max_height), Image.Resampling.LANCZOS)
    return to_png(image)


def _no_preview_card(fmt: str) -> Image.Image:
    card = Image.new("RGB", (400, 600), "white")
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 399, 599), outline="black", width=3)
    text = _("{format} label: no preview.\nPrint it to see it.").format(format=fmt)
    draw.text((20, 280), text, fill="black", font_size=24)
    return card
