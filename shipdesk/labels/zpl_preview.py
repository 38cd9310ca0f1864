"""An approximate picture of a ZPL label, so a clerk can see on screen which label it is.

This is not a ZPL emulator. It draws the subset UPS labels and our sandbox use: ^XA/^XZ, ^LH, ^PW/^LL,
^FO/^FT positions, ^CF and ^A fonts, ^FD/^FH field data, ^GB boxes, ^GFA graphics (uncompressed hex),
^BY/^BC Code 128 (bars that look like a barcode but are NOT scannable), and a labelled grey box for
any other barcode (MaxiCode, PDF417...). Rotated fields are drawn unrotated. Every picture carries a
"PREVIEW" mark: the printer's output is the real label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from shipdesk.i18n import _

DEFAULT_WIDTH_DOTS = 812  # 4 in at 203 dpi
DEFAULT_HEIGHT_DOTS = 1218  # 6 in at 203 dpi

_COMMAND = re.compile(r"[\^~]([A-Z@][A-Z0-9@]?)([^\^~]*)", re.DOTALL)
_HEX_ESCAPE = re.compile(r"_([0-9A-Fa-f]{2})")
_FONT_FILES = (
    "DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "arialbd.ttf",
)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
MARK_RED = (220, 0, 0)


@lru_cache(maxsize=32)
def _font(height: int) -> Font:
    for candidate in _FONT_FILES:
        if candidate.startswith("/") and not Path(candidate).exists():
            continue
        try:
            return ImageFont.truetype(candidate, max(6, height))
        except OSError:
            continue
    return ImageFont.load_default(size=max(6, height))


def _ints(args: str, count: int, defaults: tuple[int, ...]) -> list[int]:
    parts = [p.strip() for p in args.split(",")]
    values = []
    for i in range(count):
        raw = parts[i] if i < len(parts) else ""
        values.append(int(raw) if raw.isdigit() else defaults[i])
    return values


@dataclass
class _Field:
    """What the commands since the last ^FS say about the next field."""

    x: int = 0
    y: int = 0
    baseline: bool = False  # ^FT gives the text's baseline, ^FO its top
    font_height: int = 30
    barcode: str | None = None  # "BC" or the other barcode command seen
    barcode_height: int = 100
    show_text: bool = True
    hex_escapes: bool = False
    data: str | None = None


@dataclass
class _State:
    home: tuple[int, int] = (0, 0)
    default_font_height: int = 30
    module_width: int = 2
    bar_height: int = 100
    field: _Field = field(default_factory=_Field)
    scale: float = 1.0  # pixels per dot: positions and sizes are in dots until they are drawn

    def px(self, dots: float) -> int:
        return round(dots * self.scale)


def render_zpl(zpl: bytes, *, dpi: int = 203, max_height: int | None = None) -> Image.Image:
    """Draw the first label in ``zpl`` (a dot is a pixel at ``dpi``), no taller than ``max_height``
    (never enlarged), and mark it as a preview.

    A smaller picture is drawn at its own size (fonts, boxes and positions scaled; bars and graphics drawn
    at full size in one row or their own bitmap, then shrunk smoothly), not drawn at full size and shrunk
    as a whole: a preview costs what its pixels cost. The label is drawn in greys (ZPL prints black on
    white); the red marks go on last."""
    text = zpl.decode("utf-8", "replace")
    start, end = text.find("^XA"), text.find("^XZ")
    body = text[start : end if end > start else len(text)] if start >= 0 else text
    width = _first_int(body, "^PW") or round(DEFAULT_WIDTH_DOTS * dpi / 203)
    height = _first_int(body, "^LL") or round(DEFAULT_HEIGHT_DOTS * dpi / 203)
    state = _State(scale=min(1.0, max_height / height) if max_height else 1.0)
    image = Image.new("L", (max(1, state.px(width)), max(1, state.px(height))), 255)
    draw = ImageDraw.Draw(image)
    for match in _COMMAND.finditer(body):
        _apply(draw, image, state, match.group(1), match.group(2))
    return _mark_as_preview(image.convert("RGB"))


def _first_int(body: str, command: str) -> int | None:
    found = re.search(re.escape(command) + r"(\d+)", body)
    return int(found.group(1)) if found else None


def _apply(draw: ImageDraw.ImageDraw, image: Image.Image, state: _State, name: str, args: str) -> None:
    f = state.field
    if name == "LH":
        state.home = tuple(_ints(args, 2, (0, 0)))  # type: ignore[assignment]
    elif name in ("FO", "FT"):
        x, y = _ints(args, 2, (0, 0))
        f.x, f.y, f.baseline = x + state.home[0], y + state.home[1], name == "FT"
    elif name == "CF":
        state.default_font_height = f.font_height = _ints(args[1:].lstrip(","), 1, (30,))[0]
    elif name.startswith("A") and len(name) == 2:
        f.font_height = _ints(args.lstrip("NRIB").lstrip(","), 1, (state.default_font_height,))[0]
    elif name == "BY":
        state.module_width, _ratio, state.bar_height = _ints(args, 3, (2, 3, state.bar_height))
    elif name == "BC":
        f.barcode = "BC"
        parts = args.split(",")
        f.barcode_height = _ints(",".join(parts[1:2]), 1, (state.bar_height,))[0]
        f.show_text = (parts[2].strip().upper() if len(parts) > 2 else "Y") != "N"
    elif name.startswith("B") and name not in ("BY",):
        f.barcode = name
    elif name == "FH":
        f.hex_escapes = True
    elif name == "FD":
        f.data = args
    elif name == "GB":
        w, h, t = _ints(args, 3, (1, 1, 1))
        colour = "white" if args.split(",")[3:4] == ["W"] else "black"
        px = state.px
        box = (px(f.x), px(f.y), max(px(f.x), px(f.x + max(w, t)) - 1), max(px(f.y), px(f.y + max(h, t)) - 1))
        draw.rectangle(box, outline=colour, fill=colour if t >= min(w, h) else None, width=max(1, px(t)))
    elif name == "GF":
        _graphic(image, state, args)
    elif name == "FS":
        _draw_field(draw, image, state)
        state.field = _Field(font_height=state.default_font_height)


def _draw_field(draw: ImageDraw.ImageDraw, image: Image.Image, state: _State) -> None:
    f = state.field
    if f.data is None:
        return
    px = state.px
    data = _HEX_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), f.data) if f.hex_escapes else f.data
    if f.barcode == "BC":
        _code128_lookalike(draw, image, state, data)
    elif f.barcode:
        size = 200
        draw.rectangle((px(f.x), px(f.y), px(f.x + size), px(f.y + size)), fill="#c8c8c8", outline="black",
                       width=max(1, px(2)))
        draw.text((px(f.x + 8), px(f.y + 8)), f"barcode {f.barcode}", fill="black", font=_font(px(20)))
    else:
        top = f.y - f.font_height if f.baseline else f.y
        draw.text((px(f.x), px(top)), data, fill="black", font=_font(px(f.font_height)))


def _code128_lookalike(draw: ImageDraw.ImageDraw, image: Image.Image, state: _State, data: str) -> None:
    """Bars as wide as the real Code 128 would be (11 modules a character + start/check/stop), drawn at
    full size in one row of pixels and shrunk to the picture's scale, so thin bars stay as even as a
    shrunk label's."""
    f, module = state.field, state.module_width
    modules: list[bool] = []
    for index, char in enumerate(data):
        bits = ((ord(char) * 2654435761 + index * 40503) >> 7) & 0x1FF
        modules += [True] + [bool(bits >> b & 1) for b in range(9)] + [False]
    modules = [True, True, False, True, *modules, True, True, False, False, True, True, True]
    row = Image.frombytes("L", (len(modules) * module, 1),
                          b"".join((b"\x00" if dark else b"\xff") * module for dark in modules))
    width, height = max(1, state.px(row.width)), max(1, state.px(f.barcode_height))
    if width != row.width:
        row = row.resize((width, 1), Image.Resampling.LANCZOS)
    image.paste(row.resize((width, height), Image.Resampling.NEAREST), (state.px(f.x), state.px(f.y)))
    if f.show_text:
        draw.text((state.px(f.x), state.px(f.y + f.barcode_height + 4)), data, fill="black",
                  font=_font(state.px(max(14, module * 9))))


def _graphic(image: Image.Image, state: _State, args: str) -> None:
    """^GFA,total,total,bytes_per_row,hexdata: only uncompressed hex is drawn, else a grey box."""
    f, px = state.field, state.px
    parts = args.split(",", 4)
    if len(parts) < 5 or not parts[0].strip().upper().startswith("A"):
        return
    total, per_row = _ints(",".join(parts[1:2] + parts[3:4]), 2, (0, 1))
    hexdata = re.sub(r"\s+", "", parts[4])
    rows = max(1, total // max(1, per_row))
    if len(hexdata) == total * 2 and re.fullmatch(r"[0-9A-Fa-f]*", hexdata):
        # ZPL sets a bit for black; Pillow's mode "1" reads a set bit as white: as a mask, it paints black
        ink = Image.frombytes("1", (per_row * 8, rows), bytes.fromhex(hexdata)).convert("L")
        size = (max(1, px(ink.width)), max(1, px(ink.height)))
        if size != ink.size:
            ink = ink.resize(size, Image.Resampling.LANCZOS)
        image.paste(0, (px(f.x), px(f.y)), ink)
    else:
        ImageDraw.Draw(image).rectangle((px(f.x), px(f.y), px(f.x + per_row * 8), px(f.y + rows)), fill=200)


def _mark_as_preview(image: Image.Image) -> Image.Image:
    """A translucent red "PREVIEW" across the middle and a red band along the bottom edge (so the
    sender and ship-to stay readable), painted onto ``image`` (RGB) through masks: no full-size overlay."""
    width, height = image.size
    font = _font(max(24, width // 6))
    left, top, right, bottom = (round(v) for v in font.getbbox("PREVIEW"))
    word = Image.new("L", (right - left + 4, bottom - top + 4), 0)
    ImageDraw.Draw(word).text((2 - left, 2 - top), "PREVIEW", fill=110, font=font)  # the red's opacity
    word = word.rotate(55, expand=True)
    image.paste(MARK_RED, ((width - word.width) // 2, (height - word.height) // 2), word)
    band_height = max(16, width // 22)
    band = (0, height - band_height, width, height)
    image.paste(MARK_RED, band, Image.new("L", (width, band_height), 200))
    mark = _("PREVIEW - the printed label is the real one")
    ImageDraw.Draw(image).text((width // 2, height - band_height // 2), mark, fill="white",
                               font=_font(band_height * 2 // 3), anchor="mm")
    return image
