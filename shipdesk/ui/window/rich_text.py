"""Read-only rich text as tall as its text, laid out once for the width it gets.

The detail pane's cards hold HTML tables (packages, UPS events, history). A word-wrapped ``QLabel`` lays its
whole text out again for each size its layout asks about (its hint, its minimum, its height at a width):
several full layouts per card every time the pane changes, 30-140 ms on the GUI thread for one shipment
under load. A text browser keeps one laid-out document and relayouts only when its width changes; its height
follows the document. It reads like a label: ``text()`` is the HTML it was given, text can be selected
with the mouse, clicks do not take the focus from the scan box for good (click focus, as a selectable label).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSizeF, Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QWidget


class RichText(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._html = ""
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setOpenLinks(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.viewport().setAutoFillBackground(False)  # the card's own background shows through
        self.document().setDocumentMargin(0)
        self.setWordWrapMode(QTextOption.WrapMode.WordWrap)  # as a label: never inside a tracking number
        # take the width the card gives (never widen the pane to the longest table row); height: the text's
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(1)
        self.setFixedHeight(0)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)

    def text(self) -> str:
        """The HTML last set (as ``QLabel.text()``)."""
        return self._html

    def setText(self, html: str) -> None:
        self._html = html
        self.setHtml(html)

    def _fit(self, size: QSizeF) -> None:
        self.setFixedHeight(math.ceil(size.height()))
