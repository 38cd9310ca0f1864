"""Help › About: the version, where the data and the log files are, and a button that opens the log folder
(what IT asks for first when something went wrong)."""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from shipdesk import __version__
from shipdesk.core.logfile import HANDLER_NAME
from shipdesk.core.settings.paths import DataPaths
from shipdesk.i18n import _
from shipdesk.ui.scanner import closed_by_scans


def log_folder() -> Path:
    """Where this process writes its log file (the data folder's logs/ when none is open)."""
    for handler in logging.getLogger().handlers:
        if handler.get_name() == HANDLER_NAME and isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename).parent
    return DataPaths.default().logs


class AboutDialog(QDialog):
    def __init__(self, data_folder: Path, *, demo: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(_("About shipdesk"))
        self.logs = log_folder()
        self.data_folder = data_folder
        text = QLabel("".join((
            f"<h2>shipdesk {escape(__version__)}</h2>",  # i18n: the name and version
            "<p>{}</p>".format(escape(_("Acumatica shipments to UPS labels and back."))),
            _("<p><b>DEMO MODE</b>: built-in sandboxes, no real labels.</p>") if demo else "",
            _("<p><b>Data folder</b><br>{folder}</p>").format(folder=escape(str(data_folder))),
            _("<p><b>Log folder</b><br>{folder}</p>").format(folder=escape(str(self.logs))))))
        text.setObjectName("aboutText")
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_logs = QPushButton(_("Open log folder"))
        self.open_logs.setObjectName("openLogFolder")
        buttons.addButton(self.open_logs, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_logs.clicked.connect(self.open_log_folder)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        closed_by_scans(self, _("only the About window was closed"))

    def open_log_folder(self) -> bool:
        self.logs.mkdir(parents=True, exist_ok=True)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.logs)))
