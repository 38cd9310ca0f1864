"""A yes/no question the window asks before doing something that costs money or cannot be undone.

Made here instead of ``QMessageBox.question`` so a barcode scan can close it unanswered (``ui/scanner.py``):
a letter in a scan must never press "Yes". No is the default.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from shipdesk.ui.scanner import closed_by_scans


def ask(parent: QWidget, title: str, text: str, *, yes: str, undone: str, warning: bool = False) -> bool:
    """True when the person pressed ``yes``; ``undone`` says what is not done when a scan closes it."""
    box = QMessageBox(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("confirmDialog")
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(no_button)
    box.setEscapeButton(no_button)
    closed_by_scans(box, undone)
    box.exec()
    answered = box.clickedButton() is yes_button
    box.deleteLater()
    return answered
