"""A non-modal notice bar above the table: one sentence, optionally a Retry button, a close button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class NoticeBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self._retry: Callable[[], None] | None = None
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.retry_button = QPushButton("Retry")
        self.retry_button.clicked.connect(self._on_retry)
        close = QPushButton("✕")
        close.setFlat(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.retry_button)
        layout.addWidget(close)
        self.hide()

    def show_message(self, message: str, *, level: str = "info",
                     retry: Callable[[], None] | None = None) -> None:
        self.setProperty("level", level)
        self.style().unpolish(self)  # re-read the stylesheet for the new level
        self.style().polish(self)
        self.text.setText(message)
        self._retry = retry
        self.retry_button.setVisible(retry is not None)
        self.show()

    def show_error(self, message: str, retry: Callable[[], None] | None = None) -> None:
        self.show_message(message, level="error", retry=retry)

    def _on_retry(self) -> None:
        retry, self._retry = self._retry, None
        self.hide()
        if retry is not None:
            retry()
