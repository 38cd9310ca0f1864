"""Tools › Day summary…: the day's summary PDF (per service, charges, voids, exceptions, the driver's pickup
receipt) for a chosen day: saved where the supervisor says, then opened or printed by the PC's PDF viewer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shipdesk.errors import ShipdeskError
from shipdesk.i18n import _
from shipdesk.ui.bridge import TaskBridge, async_slot, run_in_worker
from shipdesk.ui.scanner import closed_by_scans
from shipdesk.ui.services import Services


def print_file(path: Path) -> str:
    """Hand the PDF to the OS to print (Windows: the viewer's print verb; elsewhere CUPS ``lp``)."""
    if sys.platform == "win32":
        os.startfile(str(path), "print")  # type: ignore[attr-defined]  # Windows only
        return _("Sent {file} to the default printer.").format(file=path.name)
    if shutil.which("lp"):
        subprocess.run(["lp", str(path)], check=True, capture_output=True)
        return _("Sent {file} to the default printer.").format(file=path.name)
    raise ShipdeskError(_("This PC has no print command for PDFs."),
                        hint=_("Open the PDF and print it from the viewer."))


class DaySummaryDialog(QDialog):
    def __init__(self, services: Services, bridge: TaskBridge, default_folder: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.bridge, self.folder = services, bridge, default_folder
        self.saved: Path | None = None
        self.setWindowTitle(_("Day summary"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        form.addRow(_("Day"), self.day)
        layout.addLayout(form)
        self.outcome = QLabel(_("The labels of the day per service, the voided ones, the exceptions, and a page "
                               "for the UPS driver to sign."))
        self.outcome.setWordWrap(True)
        layout.addWidget(self.outcome)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton(_("Save PDF…"))
        self.open_button = QPushButton(_("Open"))
        self.print_button = QPushButton(_("Print"))
        for button in (self.save_button, self.open_button, self.print_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.save_button.clicked.connect(self.choose_and_save)
        self.open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.saved))))
        self.print_button.clicked.connect(self.print_saved)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        closed_by_scans(self, _("only the day summary was closed"))

    def chosen_day(self) -> date:
        return date.fromisoformat(self.day.date().toString("yyyy-MM-dd"))

    def choose_and_save(self) -> None:
        day = self.chosen_day()
        suggested = self.folder / f"day-summary-{day.isoformat()}.pdf"
        name, _filter = QFileDialog.getSaveFileName(self, _("Save the day summary"), str(suggested),
                                                    "PDF (*.pdf);;CSV (*.csv)")  # i18n: file types
        if name:
            self.save(Path(name))

    @async_slot
    async def save(self, target: Path) -> None:
        self.save_button.setEnabled(False)
        self.outcome.setText(_("Writing the day summary…"))
        try:
            self.outcome.setText(await run_in_worker(self.services.day_summary, self.chosen_day(), target))
            self.saved = target
        except ShipdeskError as error:
            self.outcome.setText(str(error))
        finally:
            self.save_button.setEnabled(True)
        self.open_button.setEnabled(self.saved is not None)
        self.print_button.setEnabled(self.saved is not None and self.saved.suffix.lower() == ".pdf")

    @async_slot
    async def print_saved(self) -> None:
        if self.saved is None:
            return
        try:
            self.outcome.setText(await run_in_worker(print_file, self.saved))
        except ShipdeskError as error:
            self.outcome.setText(str(error))
