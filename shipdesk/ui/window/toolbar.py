"""The window's commands: one ``QAction`` each (toolbar button, menu entry and shortcut at once), wired to
what they do. ``WindowCommands.by_name`` holds them ("ship", "validate", ..., "scan_to_ship", "settings",
"quit", "about"). The menus follow desktop conventions: File (Quit, Ctrl+Q), Shipment, Tools, Help (About)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QToolBar, QWidget

from shipdesk.i18n import _
from shipdesk.ui.icons import icon
from shipdesk.ui.window.shipment_actions import ShipmentActions

SCAN_TO_SHIP_KEYS = "Ctrl+Shift+S"


class WindowCommands:
    def __init__(self, window: QMainWindow, actions: ShipmentActions, *, open_settings: Callable[[], None],
                 scan_to_ship: bool, set_scan_to_ship: Callable[[bool], None], demo: bool,
                 quit_app: Callable[[], None], open_about: Callable[[], None]) -> None:
        self._window = window
        self._actions = actions
        self.toolbar = QToolBar(_("Actions"))
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        window.addToolBar(self.toolbar)
        self.by_name: dict[str, QAction] = {}

        ship = self._add("ship", _("Ship"), "Ctrl+L", actions.ship_selected, _("Create and print the UPS label"))
        ship_button = self.toolbar.widgetForAction(ship)
        if ship_button is not None:
            ship_button.setObjectName("primaryAction")  # the one button a packer presses all day
        self._add("validate", _("Validate address"), "Ctrl+Shift+V", actions.validate_selected,
                  _("Check the ship-to address with UPS"))
        self._add("rate", _("Rate"), "Ctrl+R", actions.rate_selected, _("Ask UPS what it will cost"))
        self._add("shop", _("Shop all services"), "Ctrl+Shift+R", actions.shop_selected,
                  _("Every UPS service with its price and delivery day"), toolbar=False)
        self._add("reprint", _("Reprint"), "Ctrl+P", actions.reprint_selected, _("Print the stored label again"))
        self._add("void", _("Void"), "Ctrl+Shift+Delete", actions.void_selected,
                  _("Cancel the UPS label and clear the tracking numbers in Acumatica"))
        self.toolbar.addSeparator()
        self._add("refresh", _("Refresh"), "F5", actions.pull, _("Fetch ready shipments from Acumatica"))
        self._add_scan_to_ship(scan_to_ship, set_scan_to_ship)
        self.toolbar.addSeparator()
        self._add("settings", _("Settings"), "Ctrl+,", open_settings, _("Connections, printers, Ship Via map"))
        self._add("quit", _("Quit"), "Ctrl+Q", quit_app, _("Close shipdesk (running work finishes first)"),
                  toolbar=False)
        self._add("about", _("About shipdesk"), "", open_about, _("Version, data and log folders"), toolbar=False)
        if demo:
            self._add_demo_badge()
        self._add_menus()

    def set_enabled(self, enabled: bool) -> None:
        for action in self.by_name.values():
            action.setEnabled(enabled)

    def _add(self, key: str, title: str, shortcut: str, handler: Callable[[], None], tip: str, *,
             toolbar: bool = True) -> QAction:
        action = QAction(icon(key), title, self._window)
        action.setObjectName(f"{key}Action")
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            keys = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            tip = f"{tip} ({keys})"
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: handler())  # the handlers take no "checked"
        if toolbar:
            self.toolbar.addAction(action)
        self._window.addAction(action)
        self.by_name[key] = action
        return action

    def _add_scan_to_ship(self, on: bool, toggled: Callable[[bool], None]) -> None:
        scan_ship = QAction(icon("scan"), _("Scan to ship"), self._window)
        scan_ship.setCheckable(True)
        scan_ship.setChecked(on)
        scan_ship.setShortcut(QKeySequence(SCAN_TO_SHIP_KEYS))
        scan_ship.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        keys = QKeySequence(SCAN_TO_SHIP_KEYS).toString(QKeySequence.SequenceFormat.NativeText)
        scan_ship.setToolTip(_("When on, scanning a shipment creates and prints its label at once ({keys})").format(
            keys=keys))
        scan_ship.toggled.connect(toggled)
        self.toolbar.addAction(scan_ship)
        self._window.addAction(scan_ship)
        self.by_name["scan_to_ship"] = scan_ship

    def _add_demo_badge(self) -> None:
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        badge = QLabel(_("DEMO MODE · no real labels"))
        badge.setObjectName("demoToolbarBadge")
        badge.setToolTip(_("Talking to the built-in sandboxes: nothing is sent to UPS or your Acumatica."))
        self.toolbar.addWidget(badge)

    def _add_menus(self) -> None:
        """The same actions in menus, where their shortcuts are listed beside them."""
        by_name = self.by_name
        menus = self._window.menuBar()
        file = menus.addMenu(_("&File"))
        file.addAction(by_name["quit"])
        shipment = menus.addMenu(_("&Shipment"))
        for key in ("ship", "validate", "rate", "shop", "reprint", "void"):
            shipment.addAction(by_name[key])
        return_label = QAction(_("Return label…"), self._window)  # menu only: the toolbar is the packer's
        return_label.setToolTip(_("A UPS return label for the selected shipment: printed, or emailed by UPS"))
        return_label.triggered.connect(lambda _checked=False: self._actions.return_selected())
        shipment.addAction(return_label)
        by_name["return"] = return_label
        pack = QAction(_("Pack…"), self._window)  # boxes, weights (the scale), service and options; Enter ships
        pack.setShortcut(QKeySequence("Ctrl+K"))
        pack.setToolTip(_("Packages, service with price and date, options; the packages are saved to Acumatica"))
        pack.triggered.connect(lambda _checked=False: self._actions.pack_selected())
        shipment.insertAction(by_name["ship"], pack)
        self._window.addAction(pack)
        by_name["pack"] = pack
        shipment.addSeparator()
        shipment.addAction(by_name["scan_to_ship"])
        tools = menus.addMenu(_("&Tools"))
        tools.addAction(by_name["refresh"])
        tools.addAction(by_name["settings"])
        summary = QAction(_("Day summary…"), self._window)  # what left today, and the driver's pickup receipt
        summary.triggered.connect(lambda _checked=False: self._actions.day_summary())
        tools.addAction(summary)
        by_name["day_summary"] = summary
        tools.addSeparator()
        for key, title, running in (("automatic_stop", _("Stop automatic labelling"), False),
                                    ("automatic_start", _("Start automatic labelling"), True)):
            action = QAction(title, self._window)  # menu only: the switch every station and the sync see
            action.setToolTip(_("Automatic labelling ([ship] automatic): no label is bought while it is stopped")
                              if not running else _("Let the sync label ready shipments again"))
            action.triggered.connect(lambda _checked=False, on=running: self._actions.set_automatic(on))
            tools.addAction(action)
            by_name[key] = action
        help_menu = menus.addMenu(_("&Help"))
        help_menu.addAction(by_name["about"])
