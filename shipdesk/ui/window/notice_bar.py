"""A non-modal notice bar above the table: one sentence, optionally a Retry button, a close button.

A notice may carry a topic ("service": a service was not answering); ``clear(topic)`` takes it away when a
later action shows that problem is over, so a red sentence never outlives what it said."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from shipdesk.i18n import _


class NoticeBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self._retry: Callable[[], None] | None = None
        self.topic = ""
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.retry_button = QPushButton(_("Retry"))
        self.retry_button.clicked.connect(self._on_retry)
        close = QPushButton("✕")  # i18n: a symbol
        close.setFlat(True)
        close.setToolTip(_("Dismiss"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.retry_button)
        layout.addWidget(close)
        self.hide()

    def show_message(self, message: str, *, level: str = "info", retry: Callable[[], None] | None = None,
                     topic: str = "") -> None:
        self.topic = topic
        self.setProperty("level", level)
        self.style().unpolish(self)  # re-read the stylesheet for the new level
        self.style().polish(self)
        self.text.setText(message)
        self._retry = retry
        self.retry_button.setVisible(retry is not None)
        self.show()

    def show_error(self, message: str, retry: Callable[[], None] | None = None, *, topic: str = "") -> None:
        self.show_message(message, level="error", retry=retry, topic=topic)

    def clear(self, topic: str) -> None:
        """Hide the notice if it is about ``topic`` (a later success showed it is over)."""
        if topic and self.topic == topic:
            self.hide()
            self.topic = ""

    def _on_retry(self) -> None:
        retry, self._retry = self._retry, None
        self.hide()
        if retry is not None:
            retry()
