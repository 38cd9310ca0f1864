"""Turn the label data UPS returns into checked bytes: `decode_label(fmt, data) -> DecodedLabel`.

UPS sends ``ShippingLabel.GraphicImage`` as base64 text; the UPS client may already have decoded it.
Both are accepted. GIF and PNG are told apart by their magic bytes (UPS is asked for GIF, but some
accounts get PNG), so ``DecodedLabel.format`` is what the bytes are, not what was asked for. The HTML
wrapper UPS sends beside a GIF (``HTMLImage``) is not a label and is never passed here.

Bad data raises `UndecodableLabel` (a `LabelError`) with a sentence for the clerk; it keeps the raw
data in ``.raw`` so the archive can store what UPS sent even when it cannot be used.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from dataclasses import dataclass
from typing import Literal, cast

from PIL import Image, UnidentifiedImageError

from shipdesk.errors import UndecodableLabel
from shipdesk.i18n import _

LabelFormat = Literal["GIF", "PNG", "ZPL", "EPL", "SPL", "PDF"]
IMAGE_FORMATS: frozenset[str] = frozenset({"GIF", "PNG"})
RAW_PRINTER_FORMATS: frozenset[str] = frozenset({"ZPL", "EPL", "SPL"})
KNOWN_FORMATS: frozenset[str] = IMAGE_FORMATS | RAW_PRINTER_FORMATS | {"PDF"}


_GIF_MAGIC = (b"GIF87a", b"GIF89a")
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_PDF_MAGIC = b"%PDF-"
_ZPL_START = re.compile(rb"\^XA", re.IGNORECASE)
_ZPL_END = re.compile(rb"\^XZ", re.IGNORECASE)
_PRINT_WIDTH = re.compile(rb"\^PW(\d+)")
_LABEL_LENGTH = re.compile(rb"\^LL(\d+)")


@dataclass(frozen=True)
class DecodedLabel:
    """One package's label, decoded and checked. Sizes are in pixels (dots for ZPL when ^PW/^LL are set)."""

    format: LabelFormat
    data: bytes
    is_image: bool
    width_px: int | None = None
    height_px: int | None = None

    @property
    def extension(self) -> str:
        return self.format.lower()


def decode_label(fmt: str, data: bytes | str) -> DecodedLabel:
    """Decode and check one label as UPS returned it (base64 text or bytes already decoded)."""
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else bytes(data)
    wanted = fmt.strip().upper()
    if wanted not in KNOWN_FORMATS:
        raise UndecodableLabel(
            _("UPS sent a label in format '{fmt}', which shipdesk cannot print (it prints GIF, PNG, ZPL, EPL, SPL "
              "and PDF).").format(fmt=fmt),
            raw=raw,
            fmt=fmt,
        )
    if not raw.strip():
        raise UndecodableLabel(_("UPS sent an empty label."), raw=raw, fmt=wanted)
    payload = raw if _looks_decoded(wanted, raw) else _from_base64(wanted, raw)
    if _looks_like_html(payload):
        raise UndecodableLabel(
            _("UPS sent a web page (HTML) instead of the label; it is usually an error page."),
            raw=raw,
            fmt=wanted,
        )
    if wanted in IMAGE_FORMATS:
        return _image_label(wanted, payload, raw)
    if wanted == "PDF":
        if not payload.startswith(_PDF_MAGIC):
            raise UndecodableLabel(_("The PDF label from UPS is not a PDF file."), raw=raw, fmt=wanted)
        return DecodedLabel("PDF", payload, is_image=False)
    return _printer_language_label(wanted, payload, raw)


def _looks_decoded(fmt: str, raw: bytes) -> bool:
    head = raw.lstrip()[:16]
    if fmt in IMAGE_FORMATS:
        return head.startswith(_GIF_MAGIC) or head.startswith(_PNG_MAGIC)
    if fmt == "PDF":
        return head.startswith(_PDF_MAGIC)
    if fmt == "ZPL":
        return b"^" in raw[:4096]  # every ZPL command starts with a caret; base64 has none
    # EPL/SPL are plain printer text: base64 only ever holds [A-Za-z0-9+/=] and whitespace.
    return re.fullmatch(rb"[A-Za-z0-9+/=\s]+", raw) is None


def _from_base64(fmt: str, raw: bytes) -> bytes:
    if _looks_like_html(raw):
        raise UndecodableLabel(
            _("UPS sent a web page (HTML) instead of the label; it is usually an error page."),
            raw=raw,
            fmt=fmt,
        )
    compact = re.sub(rb"\s+", b"", raw)
    try:
        if len(compact) % 4:
            raise binascii.Error("length is not a multiple of 4")  # i18n: caught below, never shown
        decoded = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise UndecodableLabel(
            _("The {fmt} label from UPS is cut off or damaged (its base64 text does not decode).").format(fmt=fmt),
            raw=raw,
            fmt=fmt,
        ) from None
    if not decoded.strip():
        raise UndecodableLabel(_("UPS sent an empty label."), raw=raw, fmt=fmt)
    return decoded


def _looks_like_html(payload: bytes) -> bool:
    head = payload.lstrip()[:512].lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        head.startswith(b"<") and b"<html" in payload[:4096].lower()
    )


def _image_label(fmt: str, payload: bytes, raw: bytes) -> DecodedLabel:
    if payload.startswith(_GIF_MAGIC):
        actual = "GIF"
    elif payload.startswith(_PNG_MAGIC):
        actual = "PNG"
    else:
        raise UndecodableLabel(_("The {fmt} label from UPS is not a GIF or PNG image.").format(fmt=fmt), raw=raw,
                               fmt=fmt)
    try:
        with Image.open(io.BytesIO(payload)) as image:
            image.load()  # reads every pixel: a truncated file fails here, not at print time
            width, height = image.size
    except (OSError, UnidentifiedImageError, SyntaxError):
        raise UndecodableLabel(
            _("The {actual} label from UPS is cut off or damaged and cannot be shown.").format(actual=actual), raw=raw,
            fmt=fmt
        ) from None
    return DecodedLabel(cast(LabelFormat, actual), payload, is_image=True, width_px=width, height_px=height)


def _printer_language_label(fmt: str, payload: bytes, raw: bytes) -> DecodedLabel:
    if fmt == "ZPL":
        start = _ZPL_START.search(payload)
        if start is None or _ZPL_END.search(payload, start.end()) is None:
            raise UndecodableLabel(
                _("The ZPL label from UPS is incomplete (it must start with ^XA and end with ^XZ)."),
                raw=raw,
                fmt=fmt,
            )
        width = _PRINT_WIDTH.search(payload)
        length = _LABEL_LENGTH.search(payload)
        return DecodedLabel(
            "ZPL",
            payload,
            is_image=False,
            width_px=int(width.group(1)) if width else None,
            height_px=int(length.group(1)) if length else None,
        )
    return DecodedLabel(cast(LabelFormat, fmt), payload, is_image=False)
