"""The look: Fusion style, a light palette, a small stylesheet and the state colours. No assets needed."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

#: group key → (background, text) for the state column and the left list
STATE_COLOURS: dict[str, tuple[str, str]] = {
    "ready": ("#dcf5e3", "#145a2b"),
    "attention": ("#fff0c7", "#7a5200"),
    "labelled": ("#e3ecfb", "#1f4a8a"),
    "written_back": ("#e3ecfb", "#1f4a8a"),
    "in_transit": ("#e8e4fa", "#3d2f8a"),
    "exception": ("#fde0de", "#9b1c13"),
    "delivered": ("#e5efe8", "#51685a"),
    "voided": ("#ececec", "#666666"),
    "problem": ("#fde0de", "#9b1c13"),
}


def state_colours(group_key: str) -> tuple[str, str] | None:
    return STATE_COLOURS.get(group_key)


STYLESHEET = """
QMainWindow, QDialog { background: #f6f7f9; }
QLineEdit#scanBox {
    font-size: 20pt; padding: 8px 12px; border: 2px solid #8aa4c8; border-radius: 6px; background: white;
}
QLineEdit#scanBox:focus { border-color: #2f6fd0; }
QListWidget#stateList { font-size: 11pt; border: none; background: #eef1f5; }
QListWidget#stateList::item { padding: 6px 10px; }
QListWidget#stateList::item:selected { background: #2f6fd0; color: white; }
QTableView { gridline-color: #e3e6ea; selection-background-color: #cfe0fb; selection-color: black; }
QHeaderView::section { padding: 4px 6px; font-weight: 600; background: #eef1f5; border: none;
                       border-bottom: 1px solid #d5dae1; }
QLabel#demoBadge { background: #d9480f; color: white; font-weight: 700; padding: 2px 10px;
                   border-radius: 4px; }
QFrame#noticeBar { border-radius: 4px; padding: 2px; }
QFrame#noticeBar[level="error"] { background: #fde0de; border: 1px solid #e8a29c; }
QFrame#noticeBar[level="info"] { background: #e3ecfb; border: 1px solid #a9c1ea; }
QFrame#problemBox { background: #fff0c7; border: 1px solid #e5c46b; border-radius: 4px; }
QLabel[sectionTitle="true"] { font-weight: 700; color: #3b4350; margin-top: 8px; }
"""


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#f6f7f9"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#1d232b"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#f3f5f8"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#1d232b"))
    palette.setColor(QPalette.ColorRole.Button, QColor("#eef1f5"))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor("#1d232b"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#2f6fd0"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.ToolTipBase, QColor("#ffffe8"))
    palette.setColor(QPalette.ColorRole.ToolTipText, QColor("#1d232b"))
    app.setPalette(palette)
    app.setStyleSheet(STYLESHEET)
