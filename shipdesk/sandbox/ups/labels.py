"""Label images as UPS sends them: GIF/PNG drawn landscape (rotate 90° clockwise to read it as a
4x6 portrait label), ZPL/EPL/SPL printer text, PDF on request (label recovery)."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

PORTRAIT_SIZE = (800, 1200)  # 4x6 in at 200 dpi
IMAGE_FORMATS = ("GIF", "PNG")
PRINTER_FORMATS = ("ZPL", "EPL", "SPL")
RECOVERY_FORMATS = (*IMAGE_FORMATS, *PRINTER_FORMATS, "PDF")


@dataclass(frozen=True)
class LabelContent:
    tracking_number: str
    service_name: str
    ship_from: list[str]
    ship_to: list[str]
    weight: str  # e.g. "5 LBS"
    package_index: int  # 1-based
    package_count: int
    ship_date: str  # YYYY-MM-DD
    references: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RenderedLabel:
    format_code: str
    graphic: bytes
    html: bytes | None = None

    @property
    def graphic_b64(self) -> str:
        return base64.b64encode(self.graphic).decode("ascii")

    @property
    def html_b64(self) -> str | None:
        return base64.b64encode(self.html).decode("ascii") if self.html is not None else None


def spaced_tracking_number(number: str) -> str:
    """``1Z 999 AA1 01 2345 678 4`` as UPS prints it."""
    n = number
    return f"{n[:2]} {n[2:5]} {n[5:8]} {n[8:10]} {n[10:14]} {n[14:17]} {n[17:]}"


def render(content: LabelContent, format_code: str) -> RenderedLabel:
    code = format_code.upper()
    if code in IMAGE_FORMATS:
        image = _draw(content)
        graphic = _encode(image, code)
        html = _html_wrapper(content.tracking_number, code) if code == "GIF" else None
        return RenderedLabel(code, graphic, html)
    if code == "PDF":
        portrait = _draw(content).rotate(-90, expand=True)
        buffer = io.BytesIO()
        portrait.convert("RGB").save(buffer, "PDF", resolution=200.0)
        return RenderedLabel(code, buffer.getvalue())
    if code == "ZPL":
        return RenderedLabel(code, _zpl(content).encode("utf-8"))  # ^CI28: UTF-8 field data
    if code in ("EPL", "SPL"):
        return RenderedLabel(code, _epl(content).encode("ascii", "replace"))
    raise ValueError(f"unsupported label format {format_code}")


#: a font with Latin accents (Pillow's own default draws "Müller" as "M□ller"), where the computer has one
_FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "C:/Windows/Fonts/arial.ttf",
               "/Library/Fonts/Arial.ttf")


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in _FONT_FILES:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def _draw(content: LabelContent) -> Image.Image:
    """The label drawn portrait, then turned 90° counter-clockwise: 1200x800 like UPS's GIF."""
    image = Image.new("L", PORTRAIT_SIZE, 255)
    draw = ImageDraw.Draw(image)
    small, medium, large = _font(24), _font(32), _font(44)
    y = 20
    for line in content.ship_from[:5]:
        draw.text((24, y), line, fill=0, font=small)
        y += 28
    draw.text((560, 20), content.weight, fill=0, font=medium)
    draw.text((560, 60), f"{content.package_index} OF {content.package_count}", fill=0, font=medium)
    y = max(y, 120) + 20
    draw.text((24, y), "SHIP TO:", fill=0, font=small)
    y += 34
    for line in content.ship_to[:6]:
        draw.text((60, y), line, fill=0, font=medium)
        y += 40
    y += 10
    draw.line((0, y, PORTRAIT_SIZE[0], y), fill=0, width=6)
    draw.text((24, y + 16), content.service_name.upper(), fill=0, font=large)
    draw.text((24, y + 72), f"TRACKING #: {spaced_tracking_number(content.tracking_number)}", fill=0,
              font=medium)
    _draw_stripes(draw, content.tracking_number, top=y + 130, height=180)
    y += 340
    draw.line((0, y, PORTRAIT_SIZE[0], y), fill=0, width=6)
    draw.text((24, y + 16), f"BILLING: P/P   DATE: {content.ship_date}", fill=0, font=small)
    for index, reference in enumerate(content.references[:5]):
        draw.text((24, y + 56 + index * 30), f"REF {index + 1}: {reference}", fill=0, font=small)
    return image.rotate(90, expand=True)


def _draw_stripes(draw: ImageDraw.ImageDraw, data: str, *, top: int, height: int) -> None:
    """A barcode-like stripe pattern derived from the tracking number (looks right, scans as nothing)."""
    x = 60
    for char in data:
        for bit in f"{ord(char):08b}":
            width = 5 if bit == "1" else 2
            draw.rectangle((x, top, x + width - 1, top + height), fill=0)
            x += width + 3
            if x > PORTRAIT_SIZE[0] - 60:
                return


def _encode(image: Image.Image, code: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, code)
    return buffer.getvalue()


def _html_wrapper(tracking_number: str, code: str) -> bytes:
    name = f"label{tracking_number}.{code.lower()}"
    return (
        "<html><head><title>View/Print Label</title></head><body>"
        f'<img src="./{name}" alt="UPS label" style="transform: rotate(90deg)"></body></html>'
    ).encode("ascii")


def _zpl(c: LabelContent) -> str:
    fields = [
        "^XA", "^CI28", "^PW812", "^LL1218", "^LH0,0",
        *(f"^FO30,{30 + i * 28}^A0N,24,24^FD{line}^FS" for i, line in enumerate(c.ship_from[:5])),
        f"^FO560,30^A0N,32,32^FD{c.weight}^FS",
        f"^FO560,70^A0N,32,32^FD{c.package_index} OF {c.package_count}^FS",
        "^FO30,200^A0N,24,24^FDSHIP TO:^FS",
        *(f"^FO70,{235 + i * 40}^A0N,36,36^FD{line}^FS" for i, line in enumerate(c.ship_to[:6])),
        "^FO0,490^GB812,6,6^FS",
        f"^FO30,510^A0N,48,48^FD{c.service_name.upper()}^FS",
        f"^FO30,570^A0N,32,32^FDTRACKING #: {spaced_tracking_number(c.tracking_number)}^FS",
        f"^FO80,620^BY3^BCN,200,N,N,N^FD>:{c.tracking_number}^FS",
        "^FO0,860^GB812,6,6^FS",
        f"^FO30,880^A0N,24,24^FDBILLING: P/P   DATE: {c.ship_date}^FS",
        *(f"^FO30,{920 + i * 30}^A0N,24,24^FDREF {i + 1}: {ref}^FS"
          for i, ref in enumerate(c.references[:5])),
        "^XZ",
    ]
    return "\n".join(fields) + "\n"


def _epl(c: LabelContent) -> str:
    lines = ["N", "q812", "Q1218,24"]
    lines += [f'A30,{30 + i * 28},0,3,1,1,N,"{line}"' for i, line in enumerate(c.ship_from[:5])]
    lines.append('A30,200,0,3,1,1,N,"SHIP TO:"')
    lines += [f'A70,{235 + i * 40},0,4,1,1,N,"{line}"' for i, line in enumerate(c.ship_to[:6])]
    lines.append(f'A30,510,0,5,1,1,N,"{c.service_name.upper()}"')
    lines.append(f'A30,570,0,4,1,1,N,"TRACKING #: {spaced_tracking_number(c.tracking_number)}"')
    lines.append(f'B80,620,0,1,3,6,200,N,"{c.tracking_number}"')
    lines += [f'A30,{920 + i * 30},0,3,1,1,N,"REF {i + 1}: {ref}"' for i, ref in enumerate(c.references[:5])]
    lines.append("P1")
    return "\n".join(lines) + "\n"
