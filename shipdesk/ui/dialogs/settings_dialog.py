"""Settings: one dialog over the typed ``Config``, a tab per section of the config file, secrets to the keyring.

The tabs are made from the setting declarations (``core.settings.config``, through ``settings_fields``):
every key's label, tooltip, range, choices and value; a new setting shows up here by itself. Made by
hand: the Ship Via → UPS service table (codes fetched from Acumatica), the printer profiles, the UPS
environment picker, the password fields and "Test connection". The edited values are checked as the
config file is, so a wrong one is named before anything is saved or tested.

"Test connection" runs off the GUI thread and shows core's sentence verbatim (bad URL, wrong version
and the ones available, bad password, API login limit, UPS 250002...). Saving goes through
``services.save_settings`` (``save_config`` keeps the admin's comments; ``set_secret`` for secrets).
A password field left empty keeps the stored secret.

The declarations' texts are shown in the chosen language (``settings_fields.setting_text``); the dialog's own
words go through ``_()``. The language itself is read once at start, so the "Language and units" tab says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shipdesk.core.settings.config import (
    AcumaticaAuth,
    BoxSize,
    Config,
    ListenerCredentialMode,
    ShipOptionDefaults,
    check_settings,
)
from shipdesk.core.settings.schema import find, keys_of, plain
from shipdesk.core.settings.secrets import KNOWN_SECRETS
from shipdesk.errors import ConfigError, ShipdeskError
from shipdesk.i18n import N_, _, ngettext
from shipdesk.ui.bridge import TaskBridge
from shipdesk.ui.dialogs.printer_profiles import PrinterProfilesEditor
from shipdesk.ui.dialogs.settings_fields import FieldEditor, form_for, setting_text
from shipdesk.ui.dialogs.ship_via_map import ShipViaMap
from shipdesk.ui.dialogs.table_rows import TableRowsEditor
from shipdesk.ui.services import Services

UPS_ENVIRONMENTS = {
    N_("Production"): find(Config, "ups.base_url").default,  # the declared default
    N_("Test (customer integration)"): "https://wwwcie.ups.com",
}
CUSTOM_ENVIRONMENT = N_("Other address (sandbox)")
#: secret → the setting whose row it follows (the Track Alert secrets share the listener's one field)
SECRET_AFTER = {"acumatica.password": "acumatica.username", "acumatica.client_secret": "acumatica.client_id",
                "ups.client_secret": "ups.client_id", "store.password": "store.url"}
#: sections shown on another section's tab: this station's name sits with the shared store it joins
SHOWN_WITH = {"station": "store"}
STORE_NOTE = N_("Stations that label the same Acumatica shipments share one PostgreSQL database: a shipment is then "
              "labelled exactly once whichever station presses Ship, every station can reprint or void any label, "
              "one of them runs the sync for all and they share one UPS token. Leave the address empty for a "
              "single station. A change takes effect when shipdesk is started again. See docs/shared-store.md.")
LISTENER_SECRET = {ListenerCredentialMode.TOKEN: "track_alert.client_secret",
                   ListenerCredentialMode.CREDENTIAL: "track_alert.credential"}
#: keys with a hand-made widget: the label format follows the default printer, which the profiles pick
HAND_MADE = {"ups.label_format", "printing.default_profile"}
SHOWN_WHERE = N_("the settings")  # error sentences about a value typed here: "In the settings, [ups] ..."

DEMO_NOTE = N_("<b>DEMO MODE is running</b> against the built-in sandboxes. This window shows and saves your "
             "real settings, in {where}; the sandbox addresses and demo passwords are never written there. "
             "Test connection checks the settings shown here. They take effect when shipdesk is started "
             "without --demo.")
REGION_NOTE = N_("The language changes when shipdesk is started again; the units and the currency apply to what "
                 "is shown from then on.")


def _ok(text: str) -> str:
    return f"<span style='color:#145a2b'>✓ {escape(text)}</span>"


def _bad(text: str) -> str:  # server answers may hold '<' or '&': shown as sent, never as markup
    return f"<span style='color:#9b1c13'>✗ {escape(text)}</span>"


def _password() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(_("leave empty to keep the stored one"))
    return field


def _result_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class SettingsDialog(QDialog):
    def __init__(self, services: Services, bridge: TaskBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("shipdesk settings — DEMO MODE") if services.demo else _("shipdesk settings"))
        self.setMinimumSize(860, 580)
        self._services, self._bridge = services, bridge
        self._config = services.editable_config
        self.editors: dict[str, FieldEditor] = {}
        self.secret_fields = {name: _password() for name in SECRET_AFTER}
        self.listener_secret, self._listener_secret_label = _password(), QLabel()
        self.tabs = QTabWidget()
        for key in keys_of(Config):
            if key.name in SHOWN_WITH:
                continue
            self.tabs.addTab(self._page(key.name), setting_text(key.setting.label).replace("&", "&&"))
            if key.name == "ups":
                self.ship_vias = ShipViaMap(self._config.ups.services)
                self.ship_vias.fetch_button.clicked.connect(self.fetch_codes)
                self.tabs.addTab(self.ship_vias, setting_text(find(Config, "ups.services").setting.label))

        self.save_result = QLabel()
        self.save_result.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        # demo mode edits the real config file, never the sandbox settings (see services.editable_config)
        where = str(self._config.source) if self._config.source else _("your config file")
        self.demo_banner = QLabel(_(DEMO_NOTE).format(where=escape(where)))  # i18n: marked with N_() above
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setWordWrap(True)
        self.demo_banner.setVisible(services.demo)
        layout = QVBoxLayout(self)
        for widget, stretch in ((self.demo_banner, 0), (self.tabs, 1), (self.save_result, 0), (self.buttons, 0)):
            layout.addWidget(widget, stretch)

    def field(self, path: str) -> QWidget:
        """The widget of a declared key, by its dotted path (``sync.listener.port``)."""
        section, _, name = path.rpartition(".")
        return self.printers.field(name) if section == "printing.profiles" else self.editors[path].widget

    # -- pages -------------------------------------------------------------------------------------
    def _page(self, section: str) -> QWidget:
        """The section's declared keys (scrolled when long), then whatever it needs made by hand."""
        form = form_for(type(getattr(self._config, section)), section, getattr(self._config, section),
                        self.editors, HAND_MADE)
        for secret, after in SECRET_AFTER.items():
            row = _row_of(form, self.editors[after].widget) if after in self.editors else -1
            if row >= 0:
                form.insertRow(row + 1, setting_text(KNOWN_SECRETS[secret].label), self.secret_fields[secret])
        keys, page = QWidget(), QWidget()
        inside, below = QVBoxLayout(keys), QVBoxLayout(page)
        inside.addLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(keys)
        below.addWidget(scroll, 1)
        by_hand: dict[str, Callable[[QVBoxLayout, QVBoxLayout, QFormLayout], None]] = {
            "acumatica": self._acumatica_page, "ups": self._ups_page, "printing": self._printing_page,
            "sync": self._sync_page, "store": self._store_page, "scale": self._scale_page,
            "packing": self._packing_page, "region": self._region_page}
        if section in by_hand:
            by_hand[section](inside, below, form)
        inside.addStretch(1)
        return page

    def _acumatica_page(self, inside: QVBoxLayout, below: QVBoxLayout, form: QFormLayout) -> None:
        self.acu_test, self.acu_result = self._test_row(below, self.test_acumatica)
        self._acu_form = form
        self.editors["acumatica.auth"].changed.connect(self._on_auth)
        self._on_auth()

    def _on_auth(self) -> None:
        oauth = self.editors["acumatica.auth"].value() == AcumaticaAuth.OAUTH
        for widget in (self.field("acumatica.client_id"), self.secret_fields["acumatica.client_secret"]):
            widget.setEnabled(oauth)
            self._acu_form.setRowVisible(widget, oauth)  # only the fields the chosen sign-in uses are shown

    def _ups_page(self, inside: QVBoxLayout, below: QVBoxLayout, form: QFormLayout) -> None:
        self.ups_env = QComboBox()
        for name, url in UPS_ENVIRONMENTS.items():
            self.ups_env.addItem(setting_text(name), url)
        self.ups_env.addItem(_(CUSTOM_ENVIRONMENT), "")  # i18n: marked with N_() above
        known = self.ups_env.findData(self._config.ups.base_url)
        self.ups_env.setCurrentIndex(known if known >= 0 else self.ups_env.count() - 1)
        form.insertRow(_row_of(form, self.field("ups.base_url")), _("Environment"), self.ups_env)
        self.ups_env.currentIndexChanged.connect(self._on_environment)
        self._on_environment()
        self.ups_test, self.ups_result = self._test_row(below, self.test_ups)

    def _on_environment(self, _index: int = 0) -> None:
        url = str(self.ups_env.currentData() or "")  # "": another address, typed
        if url:
            self.editors["ups.base_url"].set_value(url)
        base_url = self.field("ups.base_url")
        if isinstance(base_url, QLineEdit):
            base_url.setReadOnly(bool(url))

    def _store_page(self, inside: QVBoxLayout, below: QVBoxLayout, form: QFormLayout) -> None:
        note = QLabel(_(STORE_NOTE))  # i18n: marked with N_() above
        note.setWordWrap(True)
        inside.insertWidget(0, note)
        for key in keys_of(Config):  # this station's name, on the tab of the store it joins
            if SHOWN_WITH.get(key.name) == "store":
                title = escape(setting_text(key.setting.label))
                inside.addWidget(QLabel(f"<b>{title}</b>"))  # i18n: markup around a translated title
                inside.addLayout(form_for(key.item, key.name, getattr(self._config, key.name), self.editors,
                                          HAND_MADE))
        self.store_test, self.store_result = self._test_row(below, self.test_store)

    def _printing_page(self, inside: QVBoxLayout, below: QVBoxLayout, form: QFormLayout) -> None:
        p = self._config.printing
        self.printers = PrinterProfilesEditor(p.profiles, p.default_profile, _system_printers())
        if not p.profiles:
            self.printers.add_profile()
        inside.insertWidget(0, self.printers, 1)

    def _sync_page(self, inside: QVBoxLayout, below: QVBoxLayout, form: QFormLayout) -> None:
        listener = self.field("sync.listener.enabled").layout()
        assert isinstance(listener, QFormLayout)  # the listener's group box holds its keys' form
        listener.addRow(self._listener_secret_label, self.listener_secret)
        self.editors["sync.listener.credential_mode"].changed.connect(self._on_listener_mode)
        self._on_listener_mode()

    def _listener_mode(self) -> ListenerCredentialMode:
        return ListenerCredentialMode(self.editors["sync.listener.credential_mode"].value())

    def _on_listener_mode(self) -> None:
        mode = self._listener_mode()
        self._listener_secret_label.setText(setting_text(KNOWN_SECRETS[LISTENER_SECRET[mode]].label))
        self.field("sync.listener.token_url_path").setEnabled(mode is ListenerCredentialMode.TOKEN)

    def _scale_page(self, inside: QVBoxLayout, below: QVBoxLayout, form: QFormLayout) -> None:
        self.scale_test, self.scale_result = self._test_row(below, self.test_scale)
        self.scale_test.setText(_("Test the scale"))

    def _packing_page(self, inside: QVBoxLayout, below: QVBoxLayout, form: QFormLayout) -> None:
        packing = self._config.packing
        self.boxes = TableRowsEditor(BoxSize, packing.boxes, _("Add box"))
        self.option_defaults = TableRowsEditor(ShipOptionDefaults, packing.option_defaults, _("Add defaults"))
        for title, editor in ((find(Config, "packing.boxes").setting.help, self.boxes),
                              (find(Config, "packing.option_defaults").setting.help, self.option_defaults)):
            note = QLabel(setting_text(title).replace("`", ""))
            note.setWordWrap(True)
            inside.addWidget(note)
            inside.addWidget(editor)

    def _region_page(self, inside: QVBoxLayout, below: QVBoxLayout, form: QFormLayout) -> None:
        note = QLabel(_(REGION_NOTE))  # i18n: marked with N_() above
        note.setObjectName("regionNote")
        note.setWordWrap(True)
        inside.insertWidget(0, note)

    def test_scale(self) -> None:
        self._run(self.scale_test, self.scale_result, _("Reading the scale…"),
                  lambda config, _secrets: self._services.test_scale(config),
                  lambda message: self.scale_result.setText(_ok(message)))

    def _test_row(self, layout: QVBoxLayout, test: Callable[[], None]) -> tuple[QPushButton, QLabel]:
        button, result = QPushButton(_("Test connection")), _result_label()
        button.clicked.connect(test)
        row = QHBoxLayout()
        row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(result)
        return button, result

    # -- reading the form --------------------------------------------------------------------------
    def edited_config(self) -> Config:
        """The settings as shown, checked as the config file is: ConfigError names a wrong value."""
        data: dict[str, Any] = plain(self._config)
        for path, editor in self.editors.items():
            *sections, name = path.split(".")
            table = data
            for section in sections:
                table = table[section]
            table[name] = editor.value()
        profiles, default = self.printers.profiles(), self.printers.default_profile()
        data["ups"]["services"] = self.ship_vias.service_map()
        data["printing"].update(profiles=plain(profiles), default_profile=default)
        data["packing"].update(boxes=self.boxes.values(), option_defaults=self.option_defaults.values())
        # UPS is asked for what the default printer takes (thermal: ZPL, system printer: GIF)
        default_printer = next((p for p in profiles if p.name == default), None)
        if default_printer:
            data["ups"]["label_format"] = default_printer.label_format.value
        where = _(SHOWN_WHERE)  # i18n: marked with N_() above
        return replace(check_settings(data, where), source=self._config.source)

    def _checked_config(self, shown_in: QLabel) -> Config | None:
        try:
            return self.edited_config()
        except ConfigError as error:
            shown_in.setText(_bad(str(error)))
            return None

    def edited_secrets(self) -> dict[str, str]:
        out = {name: field.text() for name, field in self.secret_fields.items() if field.text()}
        if self.listener_secret.text():
            out[LISTENER_SECRET[self._listener_mode()]] = self.listener_secret.text()
        return out

    # -- actions (off the GUI thread) ---------------------------------------------------------------
    def test_acumatica(self) -> None:
        self._run(self.acu_test, self.acu_result, _("Connecting to Acumatica…"), self._services.test_acumatica,
                  lambda message: self.acu_result.setText(_ok(message)))

    def test_ups(self) -> None:
        self._run(self.ups_test, self.ups_result, _("Asking UPS for a token…"), self._services.test_ups,
                  lambda message: self.ups_result.setText(_ok(message)))

    def test_store(self) -> None:
        self._run(self.store_test, self.store_result, _("Connecting to the shared store…"), self._services.test_store,
                  lambda message: self.store_result.setText(_ok(message)))

    def fetch_codes(self) -> None:
        def fetched(codes: list[str]) -> None:
            added = self.ship_vias.add_codes(codes)
            said = (ngettext("Acumatica has {count} Ship Via code.", "Acumatica has {count} Ship Via codes.",
                             len(codes)).format(count=len(codes)),
                    ngettext("{count} added here.", "{count} added here.", added).format(count=added),
                    _("Pick a UPS service for each one shipped with UPS."))
            self.ship_vias.result.setText(_ok(" ".join(said)))

        self._run(self.ship_vias.fetch_button, self.ship_vias.result, _("Reading Ship Via codes from Acumatica…"),
                  self._services.ship_via_codes, fetched)

    def save(self) -> None:
        self._run(self.buttons, self.save_result, _("Saving…"), self._services.save_settings,
                  lambda _saved: self.accept())

    def _run(self, button: QWidget, result: QLabel, waiting: str, call: Callable[..., Any],
             done: Callable[[Any], None]) -> None:
        """``call(config, secrets)`` off the GUI thread with ``button`` off meanwhile; its failure is shown
        in ``result`` as core's sentence. A wrong value typed here is named at once and nothing runs."""
        config = self._checked_config(result)
        if config is None:
            return
        button.setEnabled(False)
        result.setText(waiting)

        def passed(value: Any) -> None:
            button.setEnabled(True)
            done(value)

        def failed(error: ShipdeskError) -> None:
            button.setEnabled(True)
            result.setText(_bad(str(error)))

        self._bridge.run_task(call, config, self.edited_secrets(), on_success=passed, on_error=failed)


def _row_of(form: QFormLayout, widget: QWidget) -> int:
    """The form row that holds ``widget`` (-1: none)."""
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        if item is not None and item.widget() is widget:
            return row
    return -1


def _system_printers() -> list[str]:
    try:
        from PySide6.QtPrintSupport import QPrinterInfo
    except ImportError:  # print support missing from this Qt build
        return []
    return [info.printerName() for info in QPrinterInfo.availablePrinters()]
