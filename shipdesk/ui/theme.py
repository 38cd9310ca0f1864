"""The look: Fusion style, a light palette, a small stylesheet and the state colours. No assets needed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

#: group key → (background, text) for the state column and the left list
STATE_COLOURS: dict[str, tuple[str, str]] = {
    "ready": ("#dcf5e3", "#145a2b"),
    "attention": ("#fff0c7", "#7a5200"),
    "labelled": ("#e3ecfb", "#1f4a8a"),
    "written_back": ("#e3ecfb", "#1f4a8a"),
    "in_transit": ("#e8e4fa", "#3d2f8a"),
    "exception": ("#fde0de", "#9b1c13"),
    "delivered": ("#eef0f2", "#5f6b76"),  # done: muted so open work stands out
    "voided": ("#ececec", "#666666"),
    "problem": ("#fde0de", "#9b1c13"),
}


def state_colours(group_key: str) -> tuple[str, str] | None:
    return STATE_COLOURS.get(group_key)


def state_swatch(group_key: str, size: int = 12) -> QIcon:
    """A small round swatch in the group's text colour, for the state list (no icon for "All")."""
    colours = STATE_COLOURS.get(group_key)
    if colours is None:
        return QIcon()
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colours[1]))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


#: the base font size: read from arm's length on a warehouse PC
BASE_POINT_SIZE = 10.5

STYLESHEET = """
QMainWindow, QDialog { background: #f6f7f9; }
QToolBar { spacing: 4px; padding: 4px 6px; border-bottom: 1px solid #d5dae1; background: #ffffff; }
QToolBar QToolButton { padding: 4px 8px; border-radius: 4px; }
QToolBar QToolButton:hover { background: #e3ecfb; }
QToolBar QToolButton#primaryAction { background: #2f6fd0; color: white; font-weight: 700; padding: 4px 14px; }
QToolBar QToolButton#primaryAction:hover { background: #255db3; }
QToolBar QToolButton#primaryAction:disabled { background: #a9c1ea; }
QToolBar QToolButton:checked { background: #cfe0fb; border: 1px solid #8aa4c8; }
QLabel#scanPrompt { font-size: 11pt; font-weight: 600; color: #3b4350; }
QLineEdit#scanBox {
    font-size: 20pt; padding: 8px 12px; border: 2px solid #8aa4c8; border-radius: 6px; background: white;
}
QLineEdit#scanBox:focus { border-color: #2f6fd0; }
QListWidget#stateList { font-size: 11pt; border: none; border-right: 1px solid #d5dae1; background: #eef1f5; }
QListWidget#stateList::item { padding: 7px 8px; border-radius: 4px; margin: 1px 4px; }
QListWidget#stateList::item:selected { background: #2f6fd0; color: white; }
QTableView { gridline-color: #e3e6ea; selection-background-color: #cfe0fb; selection-color: black;
             border: 1px solid #d5dae1; }
QHeaderView::section { padding: 4px 6px; font-weight: 600; background: #eef1f5; border: none;
                       border-bottom: 1px solid #d5dae1; border-right: 1px solid #e3e6ea; }
QLabel#emptyState { font-size: 13pt; color: #6b7480; background: transparent; }
QLabel#demoBadge, QLabel#demoToolbarBadge { background: #d9480f; color: white; font-weight: 700;
                   padding: 3px 10px; border-radius: 4px; }
QLabel#demoBanner { background: #fff0e6; color: #7a2e05; border: 1px solid #f0b48f; border-radius: 4px;
                    padding: 8px; }
QStatusBar QLabel { padding: 0 8px; }
QFrame#detailCard { background: #ffffff; border: 1px solid #d5dae1; border-radius: 6px; }
QLabel#stateBadge { font-weight: 700; padding: 2px 8px; border-radius: 4px; }
QListWidget#candidateList { font-size: 11pt; }
QListWidget#candidateList::item { padding: 6px; border-bottom: 1px solid #e3e6ea; }
QListWidget#candidateList::item:selected { background: #cfe0fb; color: black; }
QLabel#enteredAddress { font-size: 11pt; }
QPushButton#firstRunChoice { font-size: 11pt; padding: 8px 14px; }
QPushButton#firstRunChoice:default { border: 2px solid #2f6fd0; }
QLabel#addressStatus { background: #fff0c7; border: 1px solid #e5c46b; border-radius: 4px; padding: 8px;
                      font-size: 11pt; }
QGroupBox { font-weight: 600; }
QGroupBox QLabel, QGroupBox QListWidget, QGroupBox QLineEdit { font-weight: normal; }
QFrame#noticeBar { border-radius: 4px; padding: 2px; }
QFrame#noticeBar[level="error"] { background: #fde0de; border: 1px solid #e8a29c; }
QFrame#noticeBar[level="info"] { background: #e3ecfb; border: 1px solid #a9c1ea; }
QFrame#problemBox { background: #fff0c7; border: 1px solid #e5c46b; border-radius: 6px; }
QFrame#problemBox[level="error"] { background: #fde0de; border: 1px solid #e8a29c; }
QLabel[sectionTitle="true"] { font-weight: 700; color: #3b4350; margin-top: 6px; }
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
    font = app.font()
    font.setPointSizeF(max(font.pointSizeF(), BASE_POINT_SIZE))
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)
