"""The store's tables (peewee models), bound to ``database_proxy``: SQLite or the shared PostgreSQL database.

Columns hold typed values (``fields.py``): times as UTC text that reads back aware, states and other closed
sets as their enum, JSON text as lists and objects.
The schema itself is created by ``migrations.py`` (explicit SQL per version), never by ``create_tables``,
so a model change always comes with a migration.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    DatabaseProxy,
    DateField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from shipdesk.core.domain.address import AddressClass, AddressStatus
from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.states import State
from shipdesk.core.store.fields import DecimalTextField, EnumField, JsonField, UtcDateTimeField, utcnow

database_proxy = DatabaseProxy()


def _money() -> DecimalTextField:
    return DecimalTextField(null=True)


def _measure() -> DecimalTextField:
    return DecimalTextField(null=True)


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class ShipmentRecord(BaseModel):
    """An Acumatica shipment as last pulled, plus shipdesk's state for it."""

    id = AutoField()
    shipment_nbr = TextField(unique=True)
    acumatica_id = TextField(default="")
    status = TextField(default="")  # Acumatica's status (Open, Confirmed...)
    ship_via = TextField(default="")
    customer_id = TextField(default="")
    ship_to_name = TextField(default="")
    ship_to_attention = TextField(default="")
    ship_to_line1 = TextField(default="")
    ship_to_line2 = TextField(default="")
    ship_to_city = TextField(default="")
    ship_to_state = TextField(default="")
    ship_to_postal_code = TextField(default="")
    ship_to_country = TextField(default="")
    ship_to_phone = TextField(default="")
    ship_to_email = TextField(default="")
    order_numbers = TextField(default="")  # "SO 000123, SO 000124"
    package_count = IntegerField(default=0)
    total_weight = _measure()
    weight_unit = TextField(default="")
    last_modified = UtcDateTimeField(null=True)  # Acumatica LastModifiedDateTime
    raw = JsonField(column_name="raw_json")  # the Acumatica record as pulled
    state = EnumField(State, default=State.PENDING, index=True)
    attention_reason = TextField(default="")
    address_status = EnumField(AddressStatus, default=AddressStatus.NOT_CHECKED)
    address_classification = EnumField(AddressClass, default=AddressClass.NOT_CHECKED)
    address_override_reason = TextField(default="")
    address_checked_at = UtcDateTimeField(null=True)
    residential = BooleanField(null=True)
    pulled_at = UtcDateTimeField(default=utcnow)
    updated_at = UtcDateTimeField(default=utcnow)
    #: UPS's validation outcome for the address as it was (its fingerprint), the candidates, the clerk's pick
    address_memory = JsonField(lambda: None, column_name="address_memory_json", null=True)
    reconfirm = BooleanField(default=False)  # shipdesk corrected a Confirmed shipment: confirm it again
    status_queued = TextField(default="")  # a fresh mark while the tracking status waits to be written
    status_written = JsonField(column_name="status_written_json", null=True)  # what Acumatica was last given
    return_of = TextField(default="")  # a return label's row: the shipment it returns ("" otherwise)

    class Meta:
        table_name = "shipment"


class PackageRecord(BaseModel):
    id = AutoField()
    shipment = ForeignKeyField(ShipmentRecord, backref="packages", on_delete="CASCADE")
    shipment_id: int  # peewee's raw foreign key value, declared for type checkers
    acumatica_id = TextField(default="")  # the row GUID: packages are updated by id
    line_nbr = IntegerField(null=True)
    box_id = TextField(default="")
    weight = _measure()
    uom = TextField(default="")
    length = _measure()
    width = _measure()
    height = _measure()
    declared_value = _money()
    tracking_number = TextField(default="", index=True)
    status_type = TextField(default="")  # last UPS status type (I, D, X...)
    status_description = TextField(default="")
    delivered_at = UtcDateTimeField(null=True)
    signed_by = TextField(default="")
    tracked_at = UtcDateTimeField(null=True)
    polled_at = UtcDateTimeField(null=True)  # the sync last asked UPS (sets the next poll)
    scheduled_delivery = DateField(null=True)  # as UPS last gave it

    class Meta:
        table_name = "package"
        indexes = ((("shipment", "acumatica_id"), True),)


class LabelJob(BaseModel):
    """One attempt to buy a UPS label; written BEFORE the UPS call, its job id is the UPS transId."""

    id = AutoField()
    job_id = TextField(unique=True)
    shipment = ForeignKeyField(ShipmentRecord, backref="label_jobs", on_delete="CASCADE")
    shipment_id: int
    state = EnumField(State, index=True)
    attempts = IntegerField(default=0)
    request = JsonField(column_name="request_json")  # the body sent to UPS (holds no secrets)
    ups_shipment_id = TextField(default="")
    tracking_numbers = JsonField(list, column_name="tracking_numbers_json")  # one per package, in line order
    charges = _money()
    currency = TextField(default="")
    negotiated_charges = _money()
    charges_with_taxes = _money()  # TotalChargesWithTaxes, when UPS adds taxes (None: no taxes, or unknown)
    negotiated_with_taxes = _money()
    label_paths = JsonField(list, column_name="label_paths_json")  # the archived label files
    label_format = TextField(default="")
    last_error = TextField(default="")
    created_at = UtcDateTimeField(default=utcnow)
    updated_at = UtcDateTimeField(default=utcnow)
    written_back_at = UtcDateTimeField(null=True)
    printed_at = UtcDateTimeField(null=True)
    voided_at = UtcDateTimeField(null=True)
    station = TextField(default="")  # the station that prepared and sent it
    superseded_on = DateField(null=True)  # replaced by a new label on a person's decision: watched from then

    class Meta:
        table_name = "label_job"


class TrackingEvent(BaseModel):
    id = AutoField()
    tracking_number = TextField()
    status_type = TextField(default="")
    status_code = TextField(default="")
    description = TextField(default="")
    location = TextField(default="")
    occurred_at = UtcDateTimeField()  # UTC, so a poll (-05:00) and a push (-04.00) of one scan match
    occurred_local = TextField(default="")  # as UPS gave it, with the scan location's offset
    source = TextField(default="poll")  # poll | push
    received_at = UtcDateTimeField(default=utcnow)

    class Meta:
        table_name = "tracking_event"
        indexes = ((("tracking_number", "occurred_at", "status_code", "description"), True),)


class AlertSubscription(BaseModel):
    id = AutoField()
    tracking_number = TextField(unique=True)
    subscribed_at = UtcDateTimeField()
    expires_at = UtcDateTimeField()
    active = BooleanField(default=True)
    heard_at = UtcDateTimeField(null=True)  # the last push UPS sent for it

    class Meta:
        table_name = "alert_subscription"


class AuditEntry(BaseModel):
    id = AutoField()
    at = UtcDateTimeField(default=utcnow, index=True)
    user = TextField(default="")
    action = EnumField(AuditAction)
    shipment_nbr = TextField(null=True, index=True)
    job_id = TextField(null=True)
    detail = TextField(default="")
    station = TextField(default="")

    class Meta:
        table_name = "audit_entry"


class SyncState(BaseModel):
    key = TextField(primary_key=True)
    value = TextField(default="")
    updated_at = UtcDateTimeField(default=utcnow)

    class Meta:
        table_name = "sync_state"


class LabelFile(BaseModel):
    """A label image as UPS sent it (or Label Recovery fetched it), so any station can print or attach it;
    ``usable`` False: data that could not be decoded, kept as it came until Reprint recovers the label."""

    id = AutoField()
    job = ForeignKeyField(LabelJob, backref="files", on_delete="CASCADE", column_name="job_id")
    job_id: int
    tracking_number = TextField(index=True)
    format = TextField()
    usable = BooleanField(default=True)
    data = BlobField()
    stored_at = UtcDateTimeField(default=utcnow)

    class Meta:
        table_name = "label_file"
        indexes = ((("job", "tracking_number", "usable"), True),)


class Lease(BaseModel):
    """Who does a one-at-a-time job (the sync) until when; taken and renewed atomically (``leases``)."""

    name = TextField(primary_key=True)
    holder = TextField()  # station + process, unique while it runs
    station = TextField()
    pid = IntegerField()
    taken_at = UtcDateTimeField()
    expires_at = UtcDateTimeField()

    class Meta:
        table_name = "lease"


class UpsToken(BaseModel):
    """The warehouse's UPS token, sealed with a key only holders of the UPS client secret can derive."""

    key = TextField(primary_key=True)  # client id | base URL
    sealed = TextField()
    expires_at = FloatField()  # epoch seconds, readable without the key (is it worth unsealing?)
    updated_at = UtcDateTimeField(default=utcnow)

    class Meta:
        table_name = "ups_token"


class TokenGrant(BaseModel):
    day = TextField(primary_key=True)  # ISO date
    grants = IntegerField(default=0)

    class Meta:
        table_name = "token_grant"


ALL_MODELS: tuple[type[BaseModel], ...] = (
    ShipmentRecord, PackageRecord, LabelJob, TrackingEvent, AlertSubscription, AuditEntry, SyncState,
    LabelFile, Lease, UpsToken, TokenGrant,
)
