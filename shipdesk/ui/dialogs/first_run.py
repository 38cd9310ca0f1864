"""First start with nothing configured: try the demo (built-in sandboxes) or set up the real connections."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from shipdesk.i18n import _

DEMO, SETUP = "demo", "setup"


class FirstRunDialog(QDialog):
    """``choice`` is DEMO, SETUP, or None when the user closed the dialog."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to shipdesk"))
        self.setMinimumWidth(520)
        self.choice: str | None = None
        intro = QLabel(_("<h2>Welcome to shipdesk</h2><p>shipdesk is not connected to Acumatica and UPS yet.</p>"))
        intro.setTextFormat(Qt.TextFormat.RichText)
        intro.setWordWrap(True)
        self.demo_button = QPushButton(_("Try demo mode\n(built-in sandboxes with sample shipments)"))
        self.setup_button = QPushButton(_("Set up\n(Acumatica and UPS credentials, printer, Ship Via map)"))
        for button, choice in ((self.demo_button, DEMO), (self.setup_button, SETUP)):
            button.setMinimumHeight(64)
            button.setObjectName("firstRunChoice")
            button.clicked.connect(lambda _checked=False, c=choice: self._choose(c))
        self.demo_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.demo_button)
        layout.addWidget(self.setup_button)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()
