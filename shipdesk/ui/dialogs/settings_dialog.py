"""Settings: one dialog over the typed ``Config``, tab per concern, secrets to the keyring.

"Test connection" runs off the GUI thread and shows core's sentence verbatim (bad URL, wrong version
and the ones available, bad password, API login limit, UPS 250002...). Saving goes through
``services.save_settings`` (``save_config`` keeps the admin's comments; ``set_secret`` for secrets).
A password field left empty keeps the stored secret.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shipdesk.core.settings.config import (
    ADDRESS_VALIDATION_POLICIES,
    LISTENER_CREDENTIAL_MODES,
    AcumaticaConfig,
    Config,
    ListenerConfig,
    PrintingConfig,
    ShipperConfig,
    SyncConfig,
    UpsConfig,
)
from shipdesk.errors import ShipdeskError
from shipdesk.ui.bridge import TaskBridge
from shipdesk.ui.dialogs.printer_profiles import PrinterProfilesEditor
from shipdesk.ui.services import Services
from shipdesk.ups.wire import SERVICE_NAMES

UPS_ENVIRONMENTS = {
    "Production": "https://onlinetools.ups.com",
    "Test (customer integration)": "https://wwwcie.ups.com",
}
CUSTOM_ENVIRONMENT = "Other address (sandbox)"
LISTENER_MODE_TEXT = {"token": "Client ID and secret at the token URL (Track Alert v2)",
                      "credential": "The subscription credential header (Track Alert v1)"}
POLICY_TEXT = {
    "always": "Always: every shipment's address is checked with UPS before its label.",
    "ask": "Ask: checked before the label; when UPS is unsure, the clerk picks or overrides.",
    "never": "Never: addresses go to UPS as entered (Acumatica's residential flag is used).",
}


DEMO_NOTE = ("<b>DEMO MODE is running</b> against the built-in sandboxes. This window shows and saves your "
             "real settings, in {where}; the sandbox addresses and demo passwords are never written there. "
             "Test connection checks the settings shown here. They take effect when shipdesk is started "
             "without --demo.")


def _ok(text: str) -> str:
    return f"<span style='color:#145a2b'>✓ {escape(text)}</span>"


def _bad(text: str) -> str:  # server answers may hold '<' or '&': shown as sent, never as markup
    return f"<span style='color:#9b1c13'>✗ {escape(text)}</span>"


def _password() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText("leave empty to keep the stored one")
    return field


class SettingsDialog(QDialog):
    def __init__(self, services: Services, bridge: TaskBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("shipdesk settings")
        self.setMinimumSize(860, 580)
        self._services, self._bridge = services, bridge
        self._config = services.editable_config
        self.tabs = QTabWidget()
        self.tabs.addTab(self._acumatica_tab(), "Acumatica")
        self.tabs.addTab(self._ups_tab(), "UPS")
        self.tabs.addTab(self._shipper_tab(), "Shipper address")
        self.tabs.addTab(self._services_tab(), "Ship Via → UPS service")
        self.tabs.addTab(self._printing_tab(), "Printers && labels")
        self.tabs.addTab(self._validation_tab(), "Address validation")
        self.tabs.addTab(self._sync_tab(), "Sync")

        self.save_result = QLabel()
        self.save_result.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        # demo mode edits the real config file, never the sandbox settings (see services.editable_config)
        self.demo_banner = QLabel(DEMO_NOTE.format(where=escape(str(self._config.source or "your config file"))))
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setWordWrap(True)
        self.demo_banner.setVisible(services.demo)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.save_result)
        layout.addWidget(self.buttons)
        if services.demo:
            self.setWindowTitle("shipdesk settings — DEMO MODE")

    # -- tabs --------------------------------------------------------------------------------------
    def _acumatica_tab(self) -> QWidget:
        a = self._config.acumatica
        self.acu_url = QLineEdit(a.url)
        self.acu_url.setPlaceholderText("https://yourcompany.acumatica.com")
        self.acu_endpoint = QLineEdit(a.endpoint)
        self.acu_version = QLineEdit(a.version)
        self.acu_company = QLineEdit(a.company)
        self.acu_branch = QLineEdit(a.branch)
        self.acu_user = QLineEdit(a.username)
        self.acu_password = _password()
        self.acu_auth = QComboBox()
        self.acu_auth.addItem("User name and password (session)", "cookie")
        self.acu_auth.addItem("OAuth 2.0 (connected application)", "oauth")
        self.acu_auth.setCurrentIndex(max(0, self.acu_auth.findData(a.auth)))
        self.acu_client_id = QLineEdit(a.client_id)
        self.acu_client_id.setPlaceholderText("GUID@Tenant, from the Connected Applications screen")
        self.acu_client_secret = _password()
        self.acu_auth.currentIndexChanged.connect(self._on_auth)
        self.acu_statuses = QLineEdit(", ".join(a.ready_statuses))
        self.acu_confirm = QCheckBox("Confirm the shipment in Acumatica after the label is written back")
        self.acu_confirm.setChecked(a.confirm_after_label)
        self.acu_test = QPushButton("Test connection")
        self.acu_test.clicked.connect(self.test_acumatica)
        self.acu_result = QLabel()
        self.acu_result.setWordWrap(True)
        self.acu_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow("Instance URL", self.acu_url)
        form.addRow("Endpoint", self.acu_endpoint)
        form.addRow("Version", self.acu_version)
        form.addRow("Tenant (company)", self.acu_company)
        form.addRow("Branch", self.acu_branch)
        form.addRow("Sign-in", self.acu_auth)
        form.addRow("User", self.acu_user)
        form.addRow("Password", self.acu_password)
        form.addRow("OAuth client ID", self.acu_client_id)
        form.addRow("OAuth client secret", self.acu_client_secret)
        form.addRow("Ready statuses", self.acu_statuses)
        form.addRow("", self.acu_confirm)
        self._acu_form = form
        self._on_auth()
        return self._with_test(form, self.acu_test, self.acu_result)

    def _on_auth(self) -> None:
        oauth = self.acu_auth.currentData() == "oauth"
        self.acu_client_id.setEnabled(oauth)
        self.acu_client_secret.setEnabled(oauth)
        # only the fields the chosen sign-in uses are shown
        self._acu_form.setRowVisible(self.acu_client_id, oauth)
        self._acu_form.setRowVisible(self.acu_client_secret, oauth)

    def _ups_tab(self) -> QWidget:
        u = self._config.ups
        self.ups_env = QComboBox()
        self.ups_env.addItems([*UPS_ENVIRONMENTS, CUSTOM_ENVIRONMENT])
        known = {url: name for name, url in UPS_ENVIRONMENTS.items()}
        self.ups_env.setCurrentText(known.get(u.base_url, CUSTOM_ENVIRONMENT))
        self.ups_url = QLineEdit(u.base_url)
        self.ups_env.currentTextChanged.connect(self._on_environment)
        self._on_environment(self.ups_env.currentText())
        self.ups_client_id = QLineEdit(u.client_id)
        self.ups_secret = _password()
        self.ups_account = QLineEdit(u.account_number)
        self.ups_account.setMaxLength(6)
        self.ups_negotiated = QCheckBox("Ask UPS for negotiated (account) rates")
        self.ups_negotiated.setChecked(u.negotiated_rates)
        self.ups_test = QPushButton("Test connection")
        self.ups_test.clicked.connect(self.test_ups)
        self.ups_result = QLabel()
        self.ups_result.setWordWrap(True)
        self.ups_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow("Environment", self.ups_env)
        form.addRow("Base URL", self.ups_url)
        form.addRow("Client ID", self.ups_client_id)
        form.addRow("Client secret", self.ups_secret)
        form.addRow("Account number", self.ups_account)
        form.addRow("", self.ups_negotiated)
        return self._with_test(form, self.ups_test, self.ups_result)

    def _on_environment(self, name: str) -> None:
        url = UPS_ENVIRONMENTS.get(name)
        if url:
            self.ups_url.setText(url)
        self.ups_url.setReadOnly(url is not None)

    def _shipper_tab(self) -> QWidget:
        s = self._config.shipper
        lines = [*s.address_lines, "", ""]
        self.shipper_name = QLineEdit(s.name)
        self.shipper_attention = QLineEdit(s.attention)
        self.shipper_line1 = QLineEdit(lines[0])
        self.shipper_line2 = QLineEdit(lines[1])
        self.shipper_city = QLineEdit(s.city)
        self.shipper_state = QLineEdit(s.state)
        self.shipper_postal = QLineEdit(s.postal_code)
        self.shipper_country = QLineEdit(s.country)
        self.shipper_country.setMaxLength(2)
        self.shipper_phone = QLineEdit(s.phone)
        self.shipper_email = QLineEdit(s.email)
        page = QWidget()
        form = QFormLayout(page)
        for title, field in (("Company", self.shipper_name), ("Attention", self.shipper_attention),
                             ("Address line 1", self.shipper_line1), ("Address line 2", self.shipper_line2),
                             ("City", self.shipper_city), ("State / province", self.shipper_state),
                             ("Postal code", self.shipper_postal),
                             ("Country (2 letters)", self.shipper_country),
                             ("Phone", self.shipper_phone), ("Email", self.shipper_email)):
            form.addRow(title, field)
        return page

    def _services_tab(self) -> QWidget:
        self.service_table = QTableWidget(0, 2)
        self.service_table.setHorizontalHeaderLabels(["Acumatica Ship Via", "UPS service"])
        self.service_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.service_table.verticalHeader().hide()
        for ship_via, code in sorted(self._config.ups.services.items()):
            self._add_service_row(ship_via, code)
        add = QPushButton("Add")
        add.clicked.connect(lambda: self._add_service_row("", ""))
        remove = QPushButton("Remove")
        remove.clicked.connect(lambda: self.service_table.removeRow(self.service_table.currentRow()))
        self.fetch_ship_vias = QPushButton("Fetch Ship Via codes from Acumatica")
        self.fetch_ship_vias.clicked.connect(self.fetch_codes)
        self.services_result = QLabel()
        self.services_result.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (add, remove):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.fetch_ship_vias)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Shipments whose Ship Via is not listed here are not labelled "
                                "(they show as needing attention)."))
        layout.addWidget(self.service_table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.services_result)
        return page

    def _add_service_row(self, ship_via: str, code: str) -> None:
        row = self.service_table.rowCount()
        self.service_table.insertRow(row)
        self.service_table.setItem(row, 0, QTableWidgetItem(ship_via))
        combo = QComboBox()
        combo.addItem("— not shipped with UPS —", "")
        for c, name in sorted(SERVICE_NAMES.items()):
            combo.addItem(f"{c}  {name}", c)
        if code and combo.findData(code) < 0:
            combo.addItem(code, code)
        combo.setCurrentIndex(max(0, combo.findData(code)))
        self.service_table.setCellWidget(row, 1, combo)

    def service_map(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for row in range(self.service_table.rowCount()):
            item = self.service_table.item(row, 0)
            combo = self.service_table.cellWidget(row, 1)
            ship_via = item.text().strip() if item else ""
            code = combo.currentData() if isinstance(combo, QComboBox) else ""
            if ship_via and code:
                out[ship_via] = code
        return out

    def _printing_tab(self) -> QWidget:
        p = self._config.printing
        self.printers = PrinterProfilesEditor(p.profiles, p.default_profile, _system_printers())
        # the selected profile's fields, under the names the rest of the dialog and its tests use
        self.printer_name, self.printer_kind = self.printers.printer_name, self.printers.printer_kind
        self.printer_queue, self.printer_host = self.printers.printer_queue, self.printers.printer_host
        self.printer_port, self.label_format = self.printers.printer_port, self.printers.label_format
        if not p.profiles:
            self.printers.add_profile()
        self.scan_to_ship = QCheckBox("Scan to ship: scanning a shipment creates and prints its label at "
                                      "once")
        self.scan_to_ship.setChecked(p.scan_to_ship)
        self.print_after_label = QCheckBox("Print each label as soon as UPS returns it")
        self.print_after_label.setChecked(p.print_after_label)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.printers, 1)
        layout.addWidget(self.scan_to_ship)
        layout.addWidget(self.print_after_label)
        return page

    def _validation_tab(self) -> QWidget:
        self.policy = QComboBox()
        for policy in ADDRESS_VALIDATION_POLICIES:
            self.policy.addItem(POLICY_TEXT[policy], policy)
        self.policy.setCurrentIndex(max(0, self.policy.findData(self._config.ups.address_validation)))
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Check ship-to addresses with UPS Address Validation (US and Puerto Rico):"))
        layout.addWidget(self.policy)
        layout.addStretch(1)
        return page

    def _sync_tab(self) -> QWidget:
        s = self._config.sync
        self.sync_interval = QSpinBox()
        self.sync_interval.setRange(1, 24 * 60)
        self.sync_interval.setSuffix(" minutes")
        self.sync_interval.setValue(s.interval_minutes)
        self.sync_concurrency = QSpinBox()
        self.sync_concurrency.setRange(1, 32)
        self.sync_concurrency.setValue(s.concurrency)
        self.sync_rate = QDoubleSpinBox()
        self.sync_rate.setRange(0.0, 1000.0)
        self.sync_rate.setDecimals(1)
        self.sync_rate.setSuffix(" per second")
        self.sync_rate.setSpecialValueText("no limit (the rate adapts to UPS)")  # shown for 0
        self.sync_rate.setValue(s.max_requests_per_second)
        self.track_alert = QCheckBox("Subscribe each new label to UPS Track Alert (UPS pushes the scans)")
        self.track_alert.setToolTip("Polling still runs as the safety net; subscriptions are renewed before "
                                    "their 14 days run out.")
        self.track_alert.setChecked(s.track_alert)
        polling = QFormLayout()
        polling.addRow("Check Acumatica and UPS every", self.sync_interval)
        polling.addRow("Parallel UPS requests", self.sync_concurrency)
        polling.addRow("UPS requests, at most", self.sync_rate)
        polling.addRow("", self.track_alert)

        listen = s.listener
        self.listener_box = QGroupBox("Track Alert listener on this PC (needs a public HTTPS address in front)")
        self.listener_box.setCheckable(True)
        self.listener_box.setChecked(listen.enabled)
        self.listener_host = QLineEdit(listen.host)
        self.listener_port = QSpinBox()
        self.listener_port.setRange(1, 65535)
        self.listener_port.setValue(listen.port)
        self.listener_path = QLineEdit(listen.path)
        self.listener_token_path = QLineEdit(listen.token_url_path)
        self.listener_mode = QComboBox()
        for mode in LISTENER_CREDENTIAL_MODES:
            self.listener_mode.addItem(LISTENER_MODE_TEXT.get(mode, mode), mode)
        self.listener_mode.setCurrentIndex(max(0, self.listener_mode.findData(listen.credential_mode)))
        self.listener_secret = _password()
        self._listener_secret_label = QLabel()
        self.listener_mode.currentIndexChanged.connect(self._on_listener_mode)
        self._on_listener_mode()
        listener = QFormLayout(self.listener_box)
        listener.addRow("Listen on address", self.listener_host)
        listener.addRow("Port", self.listener_port)
        listener.addRow("Event path", self.listener_path)
        listener.addRow("Token URL path", self.listener_token_path)
        listener.addRow("UPS signs in with", self.listener_mode)
        listener.addRow(self._listener_secret_label, self.listener_secret)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(polling)
        layout.addWidget(self.listener_box)
        layout.addStretch(1)
        return page

    def _on_listener_mode(self) -> None:
        token = self.listener_mode.currentData() == "token"
        self._listener_secret_label.setText("Token URL client secret" if token else "v1 credential")
        self.listener_token_path.setEnabled(token)

    @staticmethod
    def _with_test(form: QFormLayout, button: QPushButton, result: QLabel) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(result)
        layout.addStretch(1)
        return page

    # -- reading the form --------------------------------------------------------------------------
    def edited_config(self) -> Config:
        c = self._config
        statuses = tuple(s.strip() for s in self.acu_statuses.text().split(",") if s.strip()) or ("Open",)
        acumatica: AcumaticaConfig = replace(
            c.acumatica, url=self.acu_url.text().strip().rstrip("/"),
            endpoint=self.acu_endpoint.text().strip() or "Default", version=self.acu_version.text().strip(),
            company=self.acu_company.text().strip(), branch=self.acu_branch.text().strip(),
            username=self.acu_user.text().strip(), ready_statuses=statuses,
            auth=self.acu_auth.currentData(), client_id=self.acu_client_id.text().strip(),
            confirm_after_label=self.acu_confirm.isChecked())
        ups: UpsConfig = replace(
            c.ups, base_url=self.ups_url.text().strip().rstrip("/"),
            client_id=self.ups_client_id.text().strip(), account_number=self.ups_account.text().strip().upper(),
            negotiated_rates=self.ups_negotiated.isChecked(),
            services=self.service_map(), address_validation=self.policy.currentData(),
            label_format=self._default_label_format(c.ups.label_format))
        lines = tuple(x for x in (self.shipper_line1.text().strip(), self.shipper_line2.text().strip()) if x)
        shipper: ShipperConfig = replace(
            c.shipper, name=self.shipper_name.text().strip(), attention=self.shipper_attention.text().strip(),
            address_lines=lines, city=self.shipper_city.text().strip(),
            state=self.shipper_state.text().strip(),
            postal_code=self.shipper_postal.text().strip(),
            country=self.shipper_country.text().strip().upper(), phone=self.shipper_phone.text().strip(),
            email=self.shipper_email.text().strip())
        printing = self._edited_printing(c.printing)
        listener: ListenerConfig = replace(
            c.sync.listener, enabled=self.listener_box.isChecked(),
            host=self.listener_host.text().strip() or "127.0.0.1", port=self.listener_port.value(),
            path=self.listener_path.text().strip() or "/ups/track-alert",
            token_url_path=self.listener_token_path.text().strip() or "/ups/oauth/token",
            credential_mode=self.listener_mode.currentData())
        sync: SyncConfig = replace(c.sync, interval_minutes=self.sync_interval.value(),
                                   track_alert=self.track_alert.isChecked(),
                                   concurrency=self.sync_concurrency.value(),
                                   max_requests_per_second=self.sync_rate.value(), listener=listener)
        return replace(c, acumatica=acumatica, ups=ups, shipper=shipper, printing=printing, sync=sync)

    def _edited_printing(self, p: PrintingConfig) -> PrintingConfig:
        profiles = self.printers.profiles()
        # the UPS label format follows the default printer (thermal: ZPL, system printer: GIF)
        return replace(p, profiles=profiles, default_profile=self.printers.default_profile(),
                       scan_to_ship=self.scan_to_ship.isChecked(),
                       print_after_label=self.print_after_label.isChecked())

    def _default_label_format(self, current: str) -> str:
        default = self.printers.default_profile()
        profile = next((x for x in self.printers.profiles() if x.name == default), None)
        return profile.label_format if profile else current

    def edited_secrets(self) -> dict[str, str]:
        out = {}
        if self.acu_password.text():
            out["acumatica.password"] = self.acu_password.text()
        if self.acu_client_secret.text():
            out["acumatica.client_secret"] = self.acu_client_secret.text()
        if self.ups_secret.text():
            out["ups.client_secret"] = self.ups_secret.text()
        if self.listener_secret.text():
            name = ("track_alert.client_secret" if self.listener_mode.currentData() == "token"
                    else "track_alert.credential")
            out[name] = self.listener_secret.text()
        return out

    # -- actions (off the GUI thread) ---------------------------------------------------------------
    def test_acumatica(self) -> None:
        self._run_check(self.acu_test, self.acu_result, "Connecting to Acumatica…",
                        self._services.test_acumatica, self.edited_config(), self.edited_secrets())

    def test_ups(self) -> None:
        self._run_check(self.ups_test, self.ups_result, "Asking UPS for a token…",
                        self._services.test_ups, self.edited_config(), self.edited_secrets())

    def _run_check(self, button: QPushButton, result: QLabel, waiting: str, fn: Callable[..., str],
                   *args: object) -> None:
        button.setEnabled(False)
        result.setText(waiting)

        def passed(message: str) -> None:
            button.setEnabled(True)
            result.setText(_ok(message))

        def failed(error: ShipdeskError) -> None:
            button.setEnabled(True)
            result.setText(_bad(str(error)))

        self._bridge.run_task(fn, *args, on_success=passed, on_error=failed)

    def fetch_codes(self) -> None:
        self.fetch_ship_vias.setEnabled(False)
        self.services_result.setText("Reading Ship Via codes from Acumatica…")

        def fetched(codes: list[str]) -> None:
            self.fetch_ship_vias.setEnabled(True)
            known = {item.text().strip() for r in range(self.service_table.rowCount())
                     if (item := self.service_table.item(r, 0)) is not None}
            added = [c for c in codes if c not in known]
            for code in added:
                self._add_service_row(code, "")
            self.services_result.setText(_ok(f"{len(codes)} Ship Via codes in Acumatica; {len(added)} added "
                                             "here. Pick a UPS service for each one shipped with UPS."))

        def failed(error: ShipdeskError) -> None:
            self.fetch_ship_vias.setEnabled(True)
            self.services_result.setText(_bad(str(error)))

        self._bridge.run_task(self._services.ship_via_codes, self.edited_config(), self.edited_secrets(),
                              on_success=fetched, on_error=failed)

    def save(self) -> None:
        self.buttons.setEnabled(False)
        self.save_result.setText("Saving…")

        def saved(_config: Config) -> None:
            self.buttons.setEnabled(True)
            self.accept()

        def failed(error: ShipdeskError) -> None:
            self.buttons.setEnabled(True)
            self.save_result.setText(_bad(str(error)))

        self._bridge.run_task(self._services.save_settings, self.edited_config(), self.edited_secrets(),
                              on_success=saved, on_error=failed)


def _system_printers() -> list[str]:
    try:
        from PySide6.QtPrintSupport import QPrinterInfo
    except ImportError:  # print support missing from this Qt build
        return []
    return [info.printerName() for info in QPrinterInfo.availablePrinters()]
