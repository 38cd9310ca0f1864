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


def render_zpl(zpl: bytes, *, dpi: int = 203) -> Image.Image:
    """Draw the first label in ``zpl`` (dots = pixels at ``dpi``) and mark it as a preview."""
    text = zpl.decode("utf-8", "replace")
    start, end = text.find("^XA"), text.find("^XZ")
    body = text[start : end if end > start else len(text)] if start >= 0 else text
    width = _first_int(body, "^PW") or round(DEFAULT_WIDTH_DOTS * dpi / 203)
    height = _first_int(body, "^LL") or round(DEFAULT_HEIGHT_DOTS * dpi / 203)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    state = _State()
    for match in _COMMAND.finditer(body):
        _apply(draw, image, state, match.group(1), match.group(2))
    return _mark_as_preview(image)


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
        state.module_width, _, state.bar_height = _ints(args, 3, (2, 3, state.bar_height))
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
        box = (f.x, f.y, f.x + max(w, t) - 1, f.y + max(h, t) - 1)
        draw.rectangle(box, outline=colour, fill=colour if t >= min(w, h) else None, width=t)
    elif name == "GF":
        _graphic(image, f.x, f.y, args)
    elif name == "FS":
        _draw_field(draw, state)
        state.field = _Field(font_height=state.default_font_height)


def _draw_field(draw: ImageDraw.ImageDraw, state: _State) -> None:
    f = state.field
    if f.data is None:
        return
    data = _HEX_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), f.data) if f.hex_escapes else f.data
    if f.barcode == "BC":
        _code128_lookalike(draw, f.x, f.y, data, state.module_width, f.barcode_height, f.show_text)
    elif f.barcode:
        size = 200
        draw.rectangle((f.x, f.y, f.x + size, f.y + size), fill="#c8c8c8", outline="black", width=2)
        draw.text((f.x + 8, f.y + 8), f"barcode {f.barcode}", fill="black", font=_font(20))
    else:
        top = f.y - f.font_height if f.baseline else f.y
        draw.text((f.x, top), data, fill="black", font=_font(f.font_height))


def _code128_lookalike(
    draw: ImageDraw.ImageDraw, x: int, y: int, data: str, module: int, height: int, show_text: bool
) -> None:
    """Bars as wide as the real Code 128 would be (11 modules a character + start/check/stop)."""
    modules: list[bool] = []
    for index, char in enumerate(data):
        bits = ((ord(char) * 2654435761 + index * 40503) >> 7) & 0x1FF
        modules += [True] + [bool(bits >> b & 1) for b in range(9)] + [False]
    modules = [True, True, False, True, *modules, True, True, False, False, True, True, True]
    for offset, dark in enumerate(modules):
        if dark:
            left = x + offset * module
            draw.rectangle((left, y, left + module - 1, y + height - 1), fill="black")
    if show_text:
        draw.text((x, y + height + 4), data, fill="black", font=_font(max(14, module * 9)))


def _graphic(image: Image.Image, x: int, y: int, args: str) -> None:
    """^GFA,total,total,bytes_per_row,hexdata: only uncompressed hex is drawn, else a grey box."""
    parts = args.split(",", 4)
    if len(parts) < 5 or not parts[0].strip().upper().startswith("A"):
        return
    total, per_row = _ints(",".join(parts[1:2] + parts[3:4]), 2, (0, 1))
    hexdata = re.sub(r"\s+", "", parts[4])
    rows = max(1, total // max(1, per_row))
    if len(hexdata) == total * 2 and re.fullmatch(r"[0-9A-Fa-f]*", hexdata):
        bitmap = Image.frombytes("1", (per_row * 8, rows), bytes.fromhex(hexdata))
        # ZPL sets a bit for black; Pillow's mode "1" reads a set bit as white
        image.paste("black", (x, y), bitmap)
    else:
        ImageDraw.Draw(image).rectangle((x, y, x + per_row * 8, y + rows), fill="#c8c8c8")


def _mark_as_preview(image: Image.Image) -> Image.Image:
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    size = max(24, image.width // 6)
    ImageDraw.Draw(overlay).text(
        (image.width // 2, image.height // 2),
        "PREVIEW",
        fill=(220, 0, 0, 110),
        font=_font(size),
        anchor="mm",
    )
    overlay = overlay.rotate(55, center=(image.width // 2, image.height // 2))
    # a band along the bottom edge so the sender and ship-to stay readable
    band_height = max(16, image.width // 22)
    banner = ImageDraw.Draw(overlay)
    banner.rectangle((0, image.height - band_height, image.width, image.height), fill=(220, 0, 0, 200))
    banner.text(
        (image.width // 2, image.height - band_height // 2),
        "PREVIEW - the printed label is the real one",
        fill="white",
        font=_font(band_height * 2 // 3),
        anchor="mm",
    )
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
