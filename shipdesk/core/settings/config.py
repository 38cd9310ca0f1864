"""Every setting of the config file, declared once; the typed, frozen ``Config`` the code reads.

**A new setting: add one line here**, ``name: type = setting(default, "help", label=..., ...)``, in the
table of its section, then run ``python -m shipdesk.core.settings.docs`` to put it in
docs/configuration.md. Nothing else: that line is what the file is read and checked against (type,
range, choices), what ``save_config`` compares to (defaults are not written), what the documentation
lists, and what the settings dialog shows (label, tooltip, range, choices). A key that is not declared
is an error naming the closest declared one. A key that is no longer used goes to its table's
``RETIRED``, so files that still hold it keep loading.

``load_config(path)`` reads and checks the file; a missing file gives the unconfigured defaults
(``is_configured`` is false: the app offers demo mode). ``save_config`` edits the existing file with
tomlkit, so comments, key order and retired keys survive. Secrets are never in this file: see
``secrets``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from shipdesk.core.settings.paths import Scope
from shipdesk.core.settings.reading import read_table
from shipdesk.core.settings.schema import Table, named, sections, setting, table
from shipdesk.core.settings.writing import write_table
from shipdesk.devices.scales.settings import ScaleKind, ScaleSettings
from shipdesk.errors import ConfigError
from shipdesk.i18n import _
from shipdesk.labels.printers import LabelFormat, PrinterKind
from shipdesk.ups.services import ServiceCode


class AcumaticaAuth(StrEnum):
    COOKIE = "cookie"
    OAUTH = "oauth"


class AddressValidation(StrEnum):
    ALWAYS = "always"
    ASK = "ask"
    NEVER = "never"


class AutomaticLabels(StrEnum):
    PRINT = "print"  # to the automatic printer profile as soon as UPS returns them
    ARCHIVE = "archive"  # only archived: a station prints each when its shipment is scanned


class ListenerCredentialMode(StrEnum):
    TOKEN = "token"  # Track Alert v2: a bearer token from the listener's token URL
    CREDENTIAL = "credential"  # Track Alert v1: the subscription's "credential" header


MINUTES, DAY, WEEK = " minutes", 24 * 60, 7 * 24 * 60
#: UPS needs these shipper keys for international shipments (Shipping.yaml: Shipper.AttentionName, Phone.Number)
INTERNATIONAL_SHIPPER_KEYS = ("attention", "phone")
#: UPS services that only cross borders: mapping one means shipments can leave the shipper's country
INTERNATIONAL_SERVICES = frozenset({ServiceCode.WORLDWIDE_EXPRESS, ServiceCode.WORLDWIDE_EXPEDITED,
                                    ServiceCode.STANDARD, ServiceCode.WORLDWIDE_EXPRESS_PLUS,
                                    ServiceCode.WORLDWIDE_SAVER})


# -- [acumatica] ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CustomFields(Table):
    """Acumatica custom fields (on the Shipment) that receive tracking results; "" = do not write."""

    delivered_date: str = setting("", "Field for the delivery date and time, as UPS reports it in local time "
                                  "(for example `UsrDeliveredDate`).", label="Delivery date",
                                  example="UsrDeliveredDate")
    status: str = setting("", "Field for the one-word UPS status (for example `UsrUpsStatus`).", label="UPS status",
                          example="UsrUpsStatus")
    signed_by: str = setting("", "Field for the signer's name (for example `UsrSignedBy`).", label="Signed by",
                             example="UsrSignedBy")


@dataclass(frozen=True)
class AcumaticaPushConfig(Table):
    """Acumatica push notifications (SM302000) to the listener of ``[sync.listener]``: see acumatica-push.md."""

    enabled: bool = setting(False, "Take Acumatica's push notifications on the listener (host and port of "
                            "`[sync.listener]`); each one makes the sync pull the shipments it names at once. Needs "
                            "secret `acumatica.push_secret`. Polling stays on. See "
                            "[acumatica-push.md](acumatica-push.md).", label="Take Acumatica push notifications")
    path: str = setting("/acumatica/push", "Path Acumatica POSTs to (the end of the Address on SM302000).",
                        label="Push path")
    header_name: str = setting("X-Shipdesk-Secret", "The Header Name typed on SM302000; its Header Value is secret "
                               "`acumatica.push_secret`.", label="Header name")
    shipment_field: str = setting("ShipmentNbr", "The inquiry's column that holds the shipment number (a column "
                                  "named `<Table>_<field>` matches too).", label="Shipment number column")
    query: str = setting("", "Name of the generic inquiry (or built-in query class) to act on; pushes of other "
                         "queries are answered and ignored. Empty means any.", label="Inquiry name",
                         example="shipdesk: UPS shipments released")


class OrderNote(StrEnum):
    """What shipdesk's line in a sales order's note follows (the shipment's own note follows every change)."""

    OUTCOMES = "outcomes"
    EVERY_CHANGE = "every_change"


@dataclass(frozen=True)
class AcumaticaConfig(Table):
    url: str = setting("", "Tenant URL, including any instance path: `https://acme.acumatica.com` or "
                       "`https://erp.example.com/AcumaticaERP`. Must start with `http://` or `https://`. No query "
                       "string.", label="Instance URL", required=True, web_address=True,
                       example="https://acme.acumatica.com")
    endpoint: str = setting("Default", "Web service endpoint name.", label="Endpoint")
    version: str = setting("24.200.001", "Endpoint version. It must be one that the instance publishes: "
                           "`GET {url}/entity` lists them, and so does `shipdesk ping`.", label="Version",
                           required=True)
    company: str = setting("", "Tenant name sent at sign-in (needed on instances with more than one tenant).",
                           label="Tenant (company)")
    branch: str = setting("", "Branch sent at sign-in. Empty means the user's default.", label="Branch")
    auth: AcumaticaAuth = setting(AcumaticaAuth.COOKIE, "Cookie sign-in (`/entity/auth/login`), or OAuth 2.0 "
                                  "password grant (`/identity/connect/token`).", label="Sign-in", choices={
                                      AcumaticaAuth.COOKIE: "User name and password (session)",
                                      AcumaticaAuth.OAUTH: "OAuth 2.0 (connected application)"})
    username: str = setting("", "The API user. Give it its own user, with rights to Shipments and Sales Orders.",
                            label="User", required=True)
    client_id: str = setting("", "OAuth client (`GUID@Tenant`). Required when `auth = \"oauth\"`.",
                             label="OAuth client ID", example="GUID@Tenant, from the Connected Applications screen",
                             required=lambda acumatica: acumatica.auth is AcumaticaAuth.OAUTH)
    ready_statuses: tuple[str, ...] = setting(("Open",), "Acumatica statuses whose shipments are listed as ready "
                                              "to ship.", label="Ready statuses")
    confirm_after_label: bool = setting(False, "Run ConfirmShipment after the tracking numbers and labels are "
                                        "written back.", label="Confirm the shipment in Acumatica after the label "
                                        "is written back")
    correct_confirmed: bool = setting(False, "A shipment that is Confirmed in Acumatica without a tracking number "
                                      "is made ready: `ship` runs CorrectShipment, labels it, writes back and "
                                      "confirms it again. When `false`, it is *needs attention*. "
                                      "`ship --correct-confirmed` / `--no-correct-confirmed` override it for one "
                                      "run.", label="Correct a Confirmed shipment that has no tracking number, "
                                      "then label it")
    write_freight_cost: bool = setting(False, "Also write the UPS charge to the shipment's `FreightCost`. The "
                                       "negotiated charge is used when UPS returned one.",
                                       label="Write the UPS charge to the shipment's freight cost")
    carrier_plugin_ship_vias: tuple[str, ...] = setting(
        (), "Ship Vias that run an Acumatica carrier plug-in. shipdesk never confirms their shipments, because "
        "confirming would make Acumatica buy a second label "
        "([troubleshooting](troubleshooting.md#carrier-plug-in-warning)). shipdesk also detects such Ship Vias "
        "in Acumatica by itself (at most once an hour); this list adds to what it detects, for instances where "
        "the detection cannot read the Ship Via's carrier.", label="Ship Vias with a carrier plug-in")
    idle_sign_out_minutes: int = setting(
        3, "The desktop app keeps one Acumatica session (one API seat) while it is in use, and signs it out after "
        "this long without an Acumatica call. Keep it under Acumatica's own session timeout (about 10 minutes).",
        label="Sign out of Acumatica after being idle for", low=1, high=60, unit=MINUTES)
    label_when_down: bool = setting(False, "Supervisor's choice, desktop app only: while Acumatica is not "
                                    "answering, a shipment is labelled from its data as last pulled (the notice "
                                    "says how old it is) and its tracking numbers are written back when Acumatica "
                                    "answers again. Off: shipping waits for Acumatica.",
                                    label="While Acumatica is down, label from the last pulled data (written back "
                                    "later)")
    order_note: OrderNote = setting(
        OrderNote.OUTCOMES, "What shipdesk's line in each sales order's note says. `outcomes`: the outcomes "
        "customer service acts on (delivered, with the date and signer; an exception; returned to sender), and "
        "`In transit` again after an exception; the scans in between are in the shipment's note, one click away. "
        "`every_change`: also every in-transit scan, as in the shipment's note; it costs an Acumatica read and "
        "write of the order for each (about 2 requests per changed shipment instead of about 1). See "
        "[architecture.md](architecture.md#the-sync-cycle).",
        label="The sales order's note shows", choices={
            OrderNote.OUTCOMES: "Delivered, exceptions and returns",
            OrderNote.EVERY_CHANGE: "Every UPS scan, as the shipment's note"})
    custom_fields: CustomFields = table(CustomFields, "Custom fields that receive tracking results")
    push: AcumaticaPushConfig = table(AcumaticaPushConfig, "Acumatica push notifications")


# -- [ups] ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReferenceCodes(Table):
    """UPS 2-character reference type codes for the numbers printed on the label ("" = no code)."""

    shipment_number: str = setting("", "Type code for the shipment number. Empty means no code.",
                                   label="Shipment number", max_length=2)
    order_number: str = setting("", "Type code for the order number(s).", label="Order number", max_length=2)


@dataclass(frozen=True)
class UpsConfig(Table):
    base_url: str = setting("https://onlinetools.ups.com", "UPS host. Use `\"https://wwwcie.ups.com\"` for UPS's "
                            "test environment.", label="Base URL", web_address=True,
                            example="https://onlinetools.ups.com")
    client_id: str = setting("", "The app's client id from the UPS developer portal.", label="Client ID",
                             required=True)
    account_number: str = setting("", "The 6-character UPS shipper account (stored in upper case). Sent as "
                                  "`x-merchant-id`, as the shipper number and as the billed account.",
                                  label="Account number", required=True, upper=True, max_length=6)
    label_format: LabelFormat = setting(LabelFormat.GIF, "Used only when no printer profile is set up. Otherwise "
                                        "the default printer profile decides (see `[[printing.profiles]]`).",
                                        label="Label format")
    address_validation: AddressValidation = setting(
        AddressValidation.ASK, "`always` and `ask` both validate US and PR addresses with UPS before the label. "
        "In the current code they behave the same. `never` ships the address as typed.",
        label="Check ship-to addresses", choices={
            AddressValidation.ALWAYS: "Always: every shipment's address is checked with UPS before its label.",
            AddressValidation.ASK: "Ask: checked before the label; when UPS is unsure, the clerk picks or overrides.",
            AddressValidation.NEVER: "Never: addresses go to UPS as entered (Acumatica's residential flag is used)."})
    negotiated_rates: bool = setting(True, "Ask UPS for negotiated rates (returned only when the account is "
                                     "eligible).", label="Ask UPS for negotiated (account) rates")
    services: Mapping[str, str] = setting({}, "Acumatica Ship Via → 2-character UPS service code, one line each in "
                                          "`[ups.services]` (below).", label="Ship Via → UPS service",
                                          pattern="[0-9A-Za-z]{2}", example="03",
                                          expect='a 2-character UPS service code in quotes, like "03"')
    references: ReferenceCodes = table(ReferenceCodes, "Reference type codes on the label")


# -- [shipper] --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ShipperConfig(Table):
    name: str = setting("", "Company name (UPS prints 35 characters).", label="Company", required=True)
    attention: str = setting("", "Attention line (a person or department). UPS needs it for international "
                             "shipments: required once a Ship Via maps to an international UPS service, and a "
                             "shipment to another country waits for it.", label="Attention")
    address_lines: tuple[str, ...] = setting((), "Street lines.", label="Street lines", required=True)
    city: str = setting("", "The warehouse's city.", label="City", required=True)
    state: str = setting("", "State or province code (needed for US, CA, PR).", label="State / province")
    postal_code: str = setting("", "The warehouse's postal (ZIP) code.", label="Postal code", required=True)
    country: str = setting("US", "ISO 2-letter code (stored in upper case). It also decides what counts as "
                           "international.", label="Country (2 letters)", required=True, upper=True, max_length=2)
    phone: str = setting("", "UPS needs it for international shipments: required once a Ship Via maps to an "
                         "international UPS service, and a shipment to another country waits for it.",
                         label="Phone")
    email: str = setting("", "The shipping department's email address.", label="Email")


# -- [printing] -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PrinterProfile(Table):
    RETIRED = {"dpi": "UPS makes ZPL labels for 203 dpi, so nothing used it"}

    name: str = named("Name shown in the app; `default_profile` refers to it.", label="Profile name",
                      example="Dock 1 Zebra")
    kind: PrinterKind = setting(
        PrinterKind.SYSTEM, "`system`: an OS printer. shipdesk asks UPS for GIF and prints a 4x6 page; only the "
        "desktop app can print to it. `network`: a raw label printer on TCP (Zebra \"port 9100\"). `local`: a raw "
        "label printer attached to this PC (USB or shared), reached through its OS print queue: the bytes go "
        "unchanged through the Windows spooler in RAW mode, or `lp -d QUEUE -o raw` (CUPS) elsewhere. `file`: "
        "writes each label to `<data folder>/printed/`: GIF labels as 4x6 portrait PDFs (no printer driver needed; "
        "the command line makes them too), ZPL/EPL as the raw file a thermal printer takes.", label="Printer type",
        choices={
            PrinterKind.SYSTEM: "System printer (4x6 PDF)",
            PrinterKind.NETWORK: "Thermal printer on the network (raw ZPL)",
            PrinterKind.LOCAL: "Thermal printer on this PC (raw ZPL)",
            PrinterKind.FILE: "Save label files to a folder"})
    label_format: LabelFormat = setting(
        LabelFormat.GIF, "The format UPS is asked for. A `network` or `local` profile **must** say `\"ZPL\"` or "
        "`\"EPL\"` (older Eltron/Zebra printers), or shipdesk refuses to make labels for it. Ignored for `system` "
        "(always GIF). A `file` profile keeps any format.", label="Label format")
    host: str = setting("", "`network` (required): the printer's IP address or host name.", label="Network address",
                        example="10.0.4.21 or zebra-dock1.local")
    port: int = setting(9100, "`network`: TCP port.", label="Port", low=1, high=65535)
    queue: str = setting("", "`system`: the OS printer name; empty means the OS default printer. `local` "
                         "(required): the Windows printer name, or the CUPS queue (`lpstat -p` lists them).",
                         label="Print queue", example="empty: the system's default printer")


@dataclass(frozen=True)
class PrintingConfig(Table):
    profiles: tuple[PrinterProfile, ...] = setting((), "Each `[[printing.profiles]]` table is one printer.",
                                                   label="Printers")
    default_profile: str = setting("", "Name of the profile to print to. If empty, the first profile is used. An "
                                   "unknown name is an error.", label="Default printer")
    scan_to_ship: bool = setting(False, "Desktop app: scanning a shipment number creates and prints its label at "
                                 "once.", label="Scan to ship: scanning a shipment creates and prints its label "
                                 "at once")
    print_after_label: bool = setting(True, "Print each label as soon as UPS returns it (app and command line; "
                                      "`--no-print` also skips it). Off: labels are only archived, written back "
                                      "and printed on Reprint.", label="Print each label as soon as UPS returns it")

    def profile(self, name: str | None = None) -> PrinterProfile | None:
        """The named profile, else the default one, else the first; None when there is none."""
        wanted = name or self.default_profile
        for profile in self.profiles:
            if profile.name == wanted:
                return profile
        return None if name else (self.profiles[0] if self.profiles else None)

    def invalid_setting(self) -> tuple[str, str] | None:
        if self.default_profile and self.profile(self.default_profile) is None:
            return "default_profile", "the name of one of the [[printing.profiles]]"
        return None


# -- [ship] -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ShipConfig(Table):
    """Automatic labelling: the sync labels every shipment that becomes ready, with no hands."""

    automatic: bool = setting(False, "The sync (`shipdesk sync`, or on a shared store the station holding the "
                              "sync lease) labels every shipment that becomes ready: the same checks and address "
                              "policy, ambiguous or unknown addresses wait in Needs attention. See "
                              "[acumatica-push.md](acumatica-push.md#automatic-labelling).",
                              label="Label every ready shipment automatically")
    automatic_ship_vias: tuple[str, ...] = setting((), "Ship Via codes labelled automatically. Empty means every "
                                                   "Ship Via mapped in `[ups] services`.",
                                                   label="Only these Ship Vias", example="empty: all mapped")
    automatic_labels: AutomaticLabels = setting(
        AutomaticLabels.PRINT, "`print`: to `automatic_printer` at once (a print-and-apply printer, the packing "
        "line's Zebra). `archive`: only archived and written back; scanning the shipment at a station prints it.",
        label="Automatic labels go", choices={AutomaticLabels.PRINT: "To the printer at once",
                                              AutomaticLabels.ARCHIVE: "To the archive: printed when scanned"})
    automatic_printer: str = setting("", "Printer profile for automatic labels. Empty means the default profile. "
                                     "It should print the default profile's label format.",
                                     label="Automatic printer", example="empty: default_profile")
    daily_cap: int = setting(300, "At most this many automatic labels a day (this PC's date); reaching it stops "
                             "automatic mode until someone starts it again (`shipdesk auto start`, or the app).",
                             label="At most, per day", low=1, high=100_000, unit=" labels")


# -- [sync] -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ListenerConfig(Table):
    """The Track Alert callback listener (only when the site can expose it: polling is the baseline)."""

    enabled: bool = setting(False, "Start the listener beside the sync loop.", label="Listen for Track Alert pushes")
    host: str = setting("127.0.0.1", "Address to listen on. Keep `127.0.0.1` when the reverse proxy runs on the "
                        "same machine.", label="Listen on address")
    port: int = setting(8765, "Port to listen on.", label="Port", low=1, high=65535)
    path: str = setting("/ups/track-alert", "Path that UPS POSTs events to. `<path>/token` also serves tokens.",
                        label="Event path")
    token_url_path: str = setting("/ups/oauth/token", "Path of the token URL (v2 mode).", label="Token URL path")
    credential_mode: ListenerCredentialMode = setting(
        ListenerCredentialMode.TOKEN, "`token`: Track Alert v2 (bearer token from the token URL; needs secret "
        "`track_alert.client_secret`). `credential`: v1 `credential` header (needs secret "
        "`track_alert.credential`). The mode decides which secret must be set; a push is accepted in either form "
        "when its secret is set.", label="UPS signs in with", choices={
            ListenerCredentialMode.TOKEN: "Client ID and secret at the token URL (Track Alert v2)",
            ListenerCredentialMode.CREDENTIAL: "The subscription credential header (Track Alert v1)"})
    client_id: str = setting("", "The client id UPS presents at the token URL and sends as `x-api-key`. Empty means "
                             "`[ups] client_id`.", label="Client ID UPS presents", example="empty: [ups] client_id")


@dataclass(frozen=True)
class SyncConfig(Table):
    interval_minutes: int = setting(15, "Time between sync cycles (`shipdesk sync`, and the desktop app's timer).",
                                    label="Check Acumatica and UPS every", low=1, high=DAY, unit=MINUTES)
    track_alert: bool = setting(False, "Subscribe tracked packages to UPS Track Alert. Packages that UPS pushes for "
                                "are not polled. See [track-alert.md](track-alert.md).",
                                label="Subscribe each new label to UPS Track Alert (UPS pushes the scans)")
    account_wide_alerts: bool = setting(False, "With `track_alert = true`: use UPS's account-wide Track Alert "
                                        "subscription (one request for the whole account, no 14-day renewals) "
                                        "instead of subscribing each package. Set it only when the UPS account has "
                                        "it.", label="The UPS account has the account-wide Track Alert subscription")
    alert_subscription_id: str = setting("shipdesk", "With `account_wide_alerts`: the `subscriptionId` the account "
                                         "subscription is made under (UPS requires one from REST clients and "
                                         "documents only the example `UPS_Client`).",
                                         label="Account subscription id", max_length=100)
    alert_client_subscription_id: str = setting("", "With `account_wide_alerts`: the `clientSubscriptionId` sent "
                                                "beside it. Empty means the same as `alert_subscription_id`.",
                                                label="Client subscription id",
                                                example="empty: alert_subscription_id", max_length=100)
    concurrency: int = setting(16, "Parallel UPS tracking requests during a cycle.", label="Parallel UPS requests",
                               low=1, high=32)
    acumatica_concurrency: int = setting(16, "Parallel Acumatica requests while the sync writes the UPS statuses "
                                         "(all in its one Acumatica session). Acumatica queues requests above the "
                                         "licence's limit of concurrent requests; lower this to stay under it.",
                                         label="Parallel Acumatica requests", low=1, high=32)
    start_requests_per_second: float = setting(
        20.0, "The UPS tracking rate, across all workers, at the start. It then adapts: it grows while UPS answers "
        "and halves on a 429 or 5xx answer (see [below](#how-fast-the-sync-asks-ups)).",
        label="UPS requests at the start", low=0.1, high=1000.0, unit=" per second")
    requests_per_second: float = setting(
        0.0, "The tracking rate never goes above this. `0` means no ceiling: only UPS's answers and `concurrency` "
        "limit it. Set it for an account that UPS limits.", label="UPS requests, at most (0: no limit)",
        low=0.0, high=1000.0, unit=" per second")
    poll_every_minutes: int = setting(60, "A package in transit (exceptions too) is asked from UPS again this long "
                                      "after its last poll.", label="Ask UPS about a package in transit every",
                                      low=1, high=WEEK, unit=MINUTES)
    poll_due_today_minutes: int = setting(15, "The same for a package out for delivery, or due today once it is "
                                          "7:00 on this PC (so the delivery and its signer show up soon). Never "
                                          "longer than `poll_every_minutes`.",
                                          label="...out for delivery or due today, every", low=1, high=DAY,
                                          unit=MINUTES)
    first_poll_after_minutes: int = setting(60, "A label without scans waits this long after the label, then the "
                                            "same again after each poll while UPS still shows only the label (UPS "
                                            "has nothing before the pickup).", label="...with no scans yet, every",
                                            low=0, high=WEEK, unit=MINUTES)
    listener: ListenerConfig = table(ListenerConfig, "Track Alert listener on this PC (needs a public HTTPS "
                                     "address in front)")


# -- [international] --------------------------------------------------------------------------------
class InvoiceSource(StrEnum):
    UPS = "ups"  # UPS's commercial invoice: the data goes in the Ship request, UPS returns the form
    SHIPDESK = "shipdesk"  # shipdesk lays the invoice out itself (PDF)


#: the Incoterms UPS takes as TermsOfShipment
TERMS_OF_SALE = ("CFR", "CIF", "CIP", "CPT", "DAF", "DDP", "DAP", "DEQ", "DES", "EXW", "FAS", "FCA", "FOB")


@dataclass(frozen=True)
class InternationalConfig(Table):
    """The commercial invoice of shipments that cross a border (not between the US and Puerto Rico)."""

    invoice: InvoiceSource = setting(
        InvoiceSource.UPS, "`ups`: the invoice data goes in the Ship request (UPS's Paperless Invoice) and UPS "
        "returns the invoice as a PDF. `shipdesk`: shipdesk lays out the same invoice as a PDF itself, for "
        "accounts or destinations where UPS's form is not used.", label="Commercial invoice", choices={
            InvoiceSource.UPS: "UPS makes it (Paperless Invoice, returned as a PDF)",
            InvoiceSource.SHIPDESK: "shipdesk makes it (PDF)"})
    paperless: bool = setting(False, "The UPS account is enabled for paperless trade: UPS files the invoice with "
                              "customs electronically (with `invoice = \"shipdesk\"` shipdesk uploads its PDF with "
                              "the Paperless Documents API first), and it is archived, not printed.",
                              label="Paperless trade: the invoice goes to customs electronically, not on paper")
    paperless_exclude: tuple[str, ...] = setting((), "Destination countries (2 letters) that do not take paperless "
                                                 "invoices: their invoice is printed.",
                                                 label="Countries without paperless invoices", example="BR, IN")
    invoice_copies: int = setting(3, "Copies printed of each invoice (one goes in the pouch on the box, the others "
                                  "travel with it). 0 prints none.", label="Invoice copies to print", low=0, high=9)
    invoice_printer: str = setting("", "The OS printer the invoices go to; empty means the computer's default "
                                   "printer. A `file` printer profile (the default one) writes them to its folder "
                                   "instead.", label="Invoice printer", example="empty: the default printer")
    reason_for_export: str = setting("SALE", "UPS's reason for export: SALE, GIFT, SAMPLE, RETURN, REPAIR, "
                                     "INTERCOMPANYDATA (or your own words, 20 characters).",
                                     label="Reason for export", upper=True, max_length=20)
    terms_of_sale: str = setting("DAP", "Incoterm printed on the invoice (" + ", ".join(TERMS_OF_SALE) + "); empty "
                                 "means none.", label="Terms of sale", upper=True, max_length=3, example="FCA",
                                 pattern="(" + "|".join(TERMS_OF_SALE) + ")?", expect="an Incoterm such as DAP")
    declaration: str = setting("I hereby certify that the information on this invoice is true and correct and the "
                               "contents and value of this shipment is as stated above.",
                               "The statement printed above the signature.", label="Declaration")
    tariff_code_field: str = setting(
        "TariffCode", "Where each item's tariff (HS) code is read in Acumatica: `TariffCode` (the stock item's "
        "field), `attribute:ID` (a stock item attribute) or `crossref:TYPE` (the alternate ID of the item's cross-"
        "reference of that type; `crossref:TYPE/DESCRIPTION` picks the one with that description).",
        label="Tariff (HS) code from", example="attribute:HSCODE", pattern=r"TariffCode|attribute:.+|crossref:.+",
        expect="TariffCode, attribute:ID or crossref:TYPE")
    origin_field: str = setting(
        "CountryOfOrigin", "Where each item's country of origin is read: `CountryOfOrigin`, `attribute:ID` or "
        "`crossref:TYPE`, as for the tariff code.", label="Country of origin from", example="attribute:ORIGIN",
        pattern=r"CountryOfOrigin|attribute:.+|crossref:.+", expect="CountryOfOrigin, attribute:ID or crossref:TYPE")
    document_items: tuple[str, ...] = setting((), "Items that are documents of no commercial value: a shipment of "
                                              "only these travels as documents, without an invoice.",
                                              label="Document items", example="DOCS, CONTRACTS")


# -- [returns] --------------------------------------------------------------------------------------
class ReturnTarget(StrEnum):
    SHIPMENT = "shipment"
    RMA_ORDER = "rma_order"


@dataclass(frozen=True)
class ReturnsConfig(Table):
    """Return labels (Print Return Label, Electronic Return Label) for shipped orders."""

    write_to: ReturnTarget = setting(
        ReturnTarget.SHIPMENT, "Where the return's tracking number is written: a note line (and the label file) on "
        "the `shipment` it returns, or on the `rma_order` named when the return label is made.",
        label="Write the return's tracking number to", choices={
            ReturnTarget.SHIPMENT: "The shipment it returns", ReturnTarget.RMA_ORDER: "The RMA order"})
    rma_order_type: str = setting("RM", "Order type of RMA orders in Acumatica.", label="RMA order type",
                                  upper=True, max_length=2)
    service: str = setting("", "UPS service code of return labels; empty means the service the shipment went out "
                           "with.", label="UPS service", pattern="([0-9A-Za-z]{2})?", example="03",
                           expect='a 2-character UPS service code, like "03", or empty')
    tracking_field: str = setting("", "A custom field of the shipment that also receives the return's tracking "
                                  "number (for example `UsrReturnTracking`); empty means none.",
                                  label="Custom field for the return's tracking number", example="UsrReturnTracking")


# -- [updates] and [paths] -------------------------------------------------------------------------
@dataclass(frozen=True)
class UpdatesConfig(Table):
    """Where IT announces new versions (packaging/README.md#update-check)."""

    manifest: str = setting("", "Address of the update manifest IT publishes beside each new installer: "
                            "`https://…/latest.json`, `file://…`, `C:\\…\\latest.json` or a share "
                            "`\\\\fileserver\\it\\shipdesk\\latest.json`. The app checks it at start and in "
                            "Help › Check for updates, `shipdesk-cli update check` on demand. Empty means no check.",
                            label="Update manifest", example="\\\\fileserver\\it\\shipdesk\\latest.json")


@dataclass(frozen=True)
class PathsConfig(Table):
    """Whose data folder this is: one Windows user's, or the whole PC's (see "Which data folder")."""

    scope: Scope = setting(
        Scope.USER, "`user`: each user of the PC has their own data folder (one clerk per PC). `machine`: one data "
        "folder for every user, the command line, the scheduled task and the sync service "
        "(`C:\\ProgramData\\shipdesk`, `/var/lib/shipdesk`). Written in the machine config file "
        "(`C:\\ProgramData\\shipdesk\\config.toml`, `/etc/shipdesk/config.toml`), it also makes that file the "
        "config of every user. `SHIPDESK_DATA_DIR` and `SHIPDESK_SCOPE` override it; it takes effect at the next "
        "start.", label="Data folder", choices={
            Scope.USER: "This user's own (each user of the PC has their own)",
            Scope.MACHINE: "The whole PC's (every user, the command line and the sync service)"})


# -- [region] ---------------------------------------------------------------------------------------
class Language(StrEnum):
    SYSTEM = "system"
    ENGLISH = "en"
    SPANISH = "es"
    FRENCH = "fr"


class WeightUnitChoice(StrEnum):
    AUTO = "auto"
    POUNDS = "lb"
    KILOGRAMS = "kg"



@dataclass(frozen=True)
class RegionConfig(Table):
    """The language shipdesk speaks and the units and currency it shows (the warehouse's, not a US default)."""

    language: Language = setting(
        Language.SYSTEM, "The language of the app and the command line: `system` follows the computer's (Windows' "
        "display language, `LANG` on Linux); Spanish and French have catalogues, any other language gets "
        "English. It takes effect at the next start.", label="Language", choices={
            Language.SYSTEM: "The computer's language", Language.ENGLISH: "English", Language.SPANISH: "Español",
            Language.FRENCH: "Français"})
    weight_unit: WeightUnitChoice = setting(
        WeightUnitChoice.AUTO, "The weight unit shipdesk shows and assumes when Acumatica gives a package no unit: "
        "`auto` is pounds for a warehouse in the US, Puerto Rico, Liberia or Myanmar and kilograms elsewhere "
        "(`[shipper] country`).", label="Weight unit", choices={
            WeightUnitChoice.AUTO: "The warehouse country's", WeightUnitChoice.POUNDS: "Pounds (lb)",
            WeightUnitChoice.KILOGRAMS: "Kilograms (kg)"})
    currency: str = setting("", "ISO code of the currency of declared values and of amounts that come without "
                            "one. Empty means the warehouse country's currency (`[shipper] country`: MXN in "
                            "Mexico, CAD in Canada, EUR in France).", label="Currency", upper=True, max_length=3,
                            pattern="([A-Z]{3})?", expect="a 3-letter ISO currency code such as USD",
                            example="MXN")


# -- [ui] -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UiConfig(Table):
    RETIRED = {"delivered_visible_days": "the table never honoured it"}

    confirm_void: bool = setting(True, "Desktop app: ask before voiding a label.",
                                 label="Ask before voiding a label")
    scanner_burst_ms: int = setting(50, "Desktop app: keys that follow each other faster than this on average, "
                                    "ending in Enter, are a barcode scan (a scanner types a few ms apart, a person "
                                    "rarely under 80 ms); one key late by up to 4 times this (a busy PC) does not "
                                    "split a scan. A scan is caught wherever the focus is and never answers an "
                                    "open dialog.", label="A barcode scan types faster than, per key", low=5,
                                    high=500, unit=" ms")
    scanner_prefix: str = setting("", "Desktop app: what the scanner sends before each barcode, if it is programmed "
                                  "to send one (for example `~`). Empty: scans are told apart by their speed.",
                                  label="Scanner prefix", max_length=4)
    scanner_suffix: str = setting("", "Desktop app: what the scanner sends after each barcode instead of Enter "
                                  "(for example a Tab, written `\\t`). Empty: Enter ends a scan.",
                                  label="Scanner suffix", max_length=4)
    offer_new_label_after_minutes: int = setting(
        30, "Desktop app: when UPS's answer to a label request was lost and UPS still lists no label under the "
        "shipment's reference this long after, the detail pane offers \"Buy a new label\" (the decision is "
        "recorded with who made it). Until then shipdesk keeps looking the label up by itself.",
        label="Offer a new label for an uncertain one after", low=1, high=DAY, unit=MINUTES)


# -- [store] and [station] ---------------------------------------------------------------------------
@dataclass(frozen=True)
class StoreConfig(Table):
    """Where shipdesk keeps its data: one station's SQLite file, or one PostgreSQL database shared by all."""

    url: str = setting("", "Empty: a local SQLite file in the data folder (one station). "
                       "`postgresql://user@host:5432/database`: one PostgreSQL database shared by every station "
                       "of the warehouse (labels exactly once across PCs, one sync, one UPS token). The password "
                       "is never in this file: `shipdesk credentials set store.password`, or "
                       "`SHIPDESK_STORE_PASSWORD`. See [shared-store.md](shared-store.md).",
                       label="Shared store (PostgreSQL URL)", example="postgresql://shipdesk@db.example.local:5432/shipdesk")

    def invalid_setting(self) -> tuple[str, str] | None:
        if not self.url:
            return None
        from shipdesk.core.store.url import parse_store_url  # the store owns what it connects to

        try:
            parse_store_url(self.url)
        except ValueError as problem:
            return "url", str(problem)
        return None


@dataclass(frozen=True)
class StationConfig(Table):
    """This packing station, as the other stations and the history see it."""

    name: str = setting("", "The name recorded on this station's label jobs and in the history, and shown to the "
                        "other stations (\"being labelled right now at PACK-02\"). Empty means the computer's name.",
                        label="Station name", example="empty: this computer's name", max_length=40)
    claim: bool = setting(True, "Without a shared store: before buying a label, leave a short claim on the "
                          "Acumatica shipment and read it back, so two stations racing for one shipment rarely "
                          "both buy (3 more Acumatica calls and a short wait a label). Turn it off only when this "
                          "is the one PC labelling for the Acumatica company; a shared store never needs it.",
                          label="Claim shipments in Acumatica before labelling (no shared store)")


# -- [scale] and [packing] --------------------------------------------------------------------------
SCALE_BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)


@dataclass(frozen=True)
class ScaleConfig(Table):
    """The scale at this packing station (see devices/scales): its weight fills the package on each scan."""

    kind: ScaleKind = setting(ScaleKind.NONE, "Which scale this station has, by the protocol it speaks.",
                              label="Scale", choices={
                                  ScaleKind.NONE: "No scale (weights from Acumatica, or typed)",
                                  ScaleKind.HID: "USB point-of-sale scale (HID: Mettler Toledo, DYMO, Fairbanks)",
                                  ScaleKind.SICS: "Mettler Toledo on a serial port (MT-SICS)",
                                  ScaleKind.NCI: "NCI / Avery Weigh-Tronix on a serial port"})
    port: str = setting("", "Serial scales: the port it is plugged into.", label="Serial port",
                        example="COM3 or /dev/ttyUSB0",
                        required=lambda scale: scale.kind in (ScaleKind.SICS, ScaleKind.NCI))
    baud_rate: int = setting(9600, "Serial scales: the speed set on the scale (" +
                             ", ".join(map(str, SCALE_BAUD_RATES)) + ").", label="Baud rate", low=1200, high=115200)
    data_format: str = setting("8N1", "Serial scales: data bits, parity (N/E/O) and stop bits, as set on the scale.",
                               label="Data format", upper=True, pattern="[78][NEO][12]", expect="8N1, 7E1...",
                               example="7E1")
    hid_vendor_id: int = setting(0, "USB scales: the vendor id (0: the first HID scale plugged in).",
                                 label="USB vendor id", low=0, high=0xFFFF)
    hid_product_id: int = setting(0, "USB scales: the product id (0: any of the vendor's).", label="USB product id",
                                  low=0, high=0xFFFF)
    stable_readings: int = setting(3, "Equal readings in a row, none in motion, before a weight counts.",
                                   label="Readings for a stable weight", low=1, high=20)
    timeout_seconds: float = setting(5.0, "How long to wait for a stable weight before the clerk is asked to type "
                                     "it.", label="Wait for a stable weight", low=0.5, high=60.0, unit=" seconds")

    def device(self) -> ScaleSettings:
        """What ``devices.scales`` opens; a ConfigError names a baud rate no scale uses."""
        return ScaleSettings(kind=self.kind, port=self.port, baud_rate=self.baud_rate, data_format=self.data_format,
                             hid_vendor_id=self.hid_vendor_id, hid_product_id=self.hid_product_id,
                             stable_readings=self.stable_readings, timeout_seconds=self.timeout_seconds)


@dataclass(frozen=True)
class BoxSize(Table):
    """One box the station packs in; ``name`` is its Box ID on Acumatica's Boxes screen (CS207600)."""

    name: str = named("The Box ID, as on Acumatica's Boxes screen (the package row gets it).", label="Box ID",
                      example="MEDIUM", upper=True, max_length=15)
    length: float = setting(0.0, "Outside length (inches, or cm when the package weighs in kg).", label="Length",
                            low=0.0, high=999.0)
    width: float = setting(0.0, "Outside width.", label="Width", low=0.0, high=999.0)
    height: float = setting(0.0, "Outside height.", label="Height", low=0.0, high=999.0)
    tare: float = setting(0.0, "What the empty box weighs (in the package's weight unit): shown beside the scale's "
                          "weight, never subtracted (UPS bills the packed box).", label="Tare", low=0.0, high=999.0)


class Signature(StrEnum):
    NONE = "none"
    REQUIRED = "required"  # UPS Delivery Confirmation, signature required
    ADULT = "adult"  # adult signature required


class Notify(StrEnum):
    SHIP = "ship"  # UPS Quantum View notification code 6
    EXCEPTION = "exception"  # 7
    DELIVERY = "delivery"  # 8


@dataclass(frozen=True)
class ShipOptionDefaults(Table):
    """Options a Ship Via or a customer gets unless the clerk changes them (a customer's row wins)."""

    ship_via: str = setting("", "The Acumatica Ship Via these defaults are for (empty: any).", label="Ship Via",
                            upper=True)
    customer: str = setting("", "The Acumatica customer ID these defaults are for (empty: any).", label="Customer",
                            upper=True)
    signature: Signature = setting(Signature.NONE, "Signature at delivery (UPS Delivery Confirmation).",
                                   label="Signature", choices={Signature.NONE: "None",
                                                               Signature.REQUIRED: "Signature required",
                                                               Signature.ADULT: "Adult signature required"})
    saturday_delivery: bool = setting(False, "Ask UPS for Saturday delivery (air services).",
                                      label="Saturday delivery")
    notify: tuple[str, ...] = setting((), "UPS emails the ship-to contact's email from Acumatica on these events: "
                                      "`ship`, `exception`, `delivery`.", label="Email the recipient on",
                                      example="ship, delivery")
    declared_value: bool = setting(True, "Send each package's declared value from Acumatica (UPS charges for it).",
                                   label="Declare the packages' value")

    def invalid_setting(self) -> tuple[str, str] | None:
        if any(event not in set(Notify) for event in self.notify):
            return "notify", "ship, exception or delivery"
        return None


@dataclass(frozen=True)
class PackingConfig(Table):
    """The packing station: its boxes, and the options shipments get by default."""

    boxes: tuple[BoxSize, ...] = setting((), "Each `[[packing.boxes]]` table is one box size the clerk can choose.",
                                         label="Boxes")
    option_defaults: tuple[ShipOptionDefaults, ...] = setting(
        (), "Each `[[packing.option_defaults]]` table gives the options of one Ship Via or customer.",
        label="Default options")

    def box(self, name: str) -> BoxSize | None:
        wanted = name.strip().upper()
        return next((b for b in self.boxes if b.name == wanted), None)

    def defaults_for(self, ship_via: str, customer: str) -> ShipOptionDefaults:
        """The customer's row, else the Ship Via's, else a row for neither, else no options."""
        ship_via, customer = ship_via.strip().upper(), customer.strip().upper()
        rows = self.option_defaults
        for match in (lambda r: r.customer == customer and customer,
                      lambda r: r.ship_via == ship_via and ship_via and not r.customer,
                      lambda r: not r.customer and not r.ship_via):
            found = next((r for r in rows if match(r)), None)
            if found is not None:
                return found
        return ShipOptionDefaults()


# -- the whole file ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Config(Table):
    acumatica: AcumaticaConfig = table(AcumaticaConfig, "Acumatica")
    ups: UpsConfig = table(UpsConfig, "UPS")
    shipper: ShipperConfig = table(ShipperConfig, "Shipper address", "The warehouse's own address, printed as "
                                   "the sender.")
    printing: PrintingConfig = table(PrintingConfig, "Printers & labels")
    ship: ShipConfig = table(ShipConfig, "Automatic labelling")
    international: InternationalConfig = table(InternationalConfig, "International")
    returns: ReturnsConfig = table(ReturnsConfig, "Returns")
    updates: UpdatesConfig = table(UpdatesConfig, "Updates")
    paths: PathsConfig = table(PathsConfig, "Data folder")
    sync: SyncConfig = table(SyncConfig, "Sync")
    ui: UiConfig = table(UiConfig, "Desktop app")
    region: RegionConfig = table(RegionConfig, "Language and units")
    store: StoreConfig = table(StoreConfig, "Shared store", "Where the data lives: this PC, or one PostgreSQL "
                               "database shared by every station.")
    station: StationConfig = table(StationConfig, "This station")
    scale: ScaleConfig = table(ScaleConfig, "Scale")
    packing: PackingConfig = table(PackingConfig, "Packing", "Box sizes and the options shipments get by default.")
    #: where it was read from (None for demo/default configs); not written to the file
    source: Path | None = field(default=None, compare=False)

    @property
    def is_configured(self) -> bool:
        return bool(self.acumatica.url and self.ups.client_id)

    def missing_settings(self, *names: str) -> list[str]:
        """Required keys that are empty, as "[section] key", for the given sections (default: all)."""
        missing = []
        for path, _cls, keys in sections(Config):
            values = self._table(path)
            if values is None or (names and path not in names):
                continue
            missing += [key.shown for key in keys
                        if (key.is_required(values) or self._required_by_others(path, key.name))
                        and not getattr(values, key.name)]
        return missing

    @property
    def ships_abroad(self) -> bool:
        """A Ship Via maps to an international UPS service: a shipment can leave the shipper's country."""
        return any(code in INTERNATIONAL_SERVICES for code in self.ups.services.values())

    def _required_by_others(self, section: str, key: str) -> bool:
        """Required because of another table's keys (a rule one table's ``required`` cannot see)."""
        return section == "shipper" and key in INTERNATIONAL_SHIPPER_KEYS and self.ships_abroad

    def _table(self, path: str) -> Any:
        value: Any = self
        for part in filter(None, path.split(".")):
            value = getattr(value, part)
        return value if isinstance(value, Table) else None

    def require(self, *sections: str) -> None:
        """Raise ConfigError naming every required key that is empty (call before talking to a service)."""
        missing = self.missing_settings(*sections)
        if missing:
            where = self.source or "the config file"
            raise ConfigError(
                _("In {where}, these settings are required and not set: {names}.").format(
                    where=where, names=', '.join(missing)),
                hint=_("Fill them in (Settings window, or edit the file) and try again."),
            )


# -- reading and writing ----------------------------------------------------------------------------
def parse_config(data: Mapping[str, Any], file: Path) -> Config:
    """Build a Config from already-parsed TOML (``file`` is where it came from, named in error sentences)."""
    return replace(read_table(Config, data, str(file)), source=file)


def check_settings(data: Mapping[str, Any], where: str) -> Config:
    """A Config from plain values typed somewhere else than a file (the settings dialog), checked the same way."""
    return read_table(Config, data, where)


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read and check the config file; a file that does not exist yet gives the unconfigured defaults."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        return Config(source=file)
    except OSError as exc:
        raise ConfigError(_("The config file {file} cannot be read ({strerror}).").format(
                              file=file, strerror=exc.strerror),
                          hint=_("Check that it exists and that this user may read it.")) from exc
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ConfigError(_("The config file {file} is not UTF-8 text.").format(file=file),
                          hint=_("Save it as UTF-8 in a text editor.")) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_("The config file {file} is not valid TOML: {reason}.").format(file=file, reason=exc),
                          hint=_("Fix that line (text values need quotes).")) from exc
    return parse_config(data, file)


def save_config(path: str | os.PathLike[str], config: Config) -> None:
    """Write ``config`` to ``path``, keeping the existing file's comments and layout; defaults stay out."""
    write_table(path, config)
