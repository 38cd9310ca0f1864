"""Every failure a user can hit, as one tree.

Each error's ``str()`` is a sentence for a warehouse user or an IT admin: what went wrong and
what to do. The CLI and the UI show that sentence and nothing else; the traceback goes to the log.
Nothing in this module may carry a secret: messages are built from URLs, codes and vendor text only.

    ShipdeskError
    ├── ConfigError                    config file or settings wrong or missing (CLI exit 2)
    │   ├── MissingSecretError         a password / client secret is not in the keyring or environment
    │   └── DesktopUnavailable         the desktop app cannot start here (Qt or a system library missing)
    ├── StoreError                     the store (this PC's database, or the shared one) or label folder problem
    │   ├── InvalidTransition          a state change the design does not allow (a race another worker won)
    │   └── LabelAlreadyExists         a label exists (or may exist): a second one needs a person's decision
    ├── LabelError                     label data cannot be decoded / rendered
    │   └── UndecodableLabel           UPS's label data is unusable (``raw`` keeps exactly what came)
    ├── PrintError                     the printer refused or cannot be reached
    ├── ShipmentDataError              the Acumatica shipment lacks what UPS needs (needs attention)
    ├── AddressNeedsAttention          UPS could not confirm the address: choose, fix or override
    ├── WriteBackProblem               the labels exist but Acumatica cannot take them yet (retried)
    │   └── TrackingTakenElsewhere     Acumatica has another station's tracking numbers: never replaced
    ├── InvalidPush                    a Track Alert push shipdesk cannot store (the listener answers 400)
    ├── UnexpectedError                a bug surfaced in a background task; the traceback is in the log
    ├── DeviceError                    a packing-station device (scale) is missing, silent or reports a fault
    └── RemoteError                    any problem talking to Acumatica or UPS
        ├── ConnectionFailed           DNS, refused, TLS, connect timeout (request never reached the service)
        │   └── ServiceDown            not sent: the service is known to be down (the desktop app fails fast)
        ├── RateLimited                429 / 5xx kept coming after every retry in the budget
        ├── OutcomeUnknown             a non-idempotent request (UPS Ship) was sent, the answer was lost
        ├── AuthenticationFailed       bad credentials, token refused, session ended and re-login failed
        │   └── LoginLimitReached      Acumatica "API Login Limit"
        ├── NotFound                   the record / tracking number does not exist
        ├── EndpointVersionNotFound    Acumatica endpoint version not published by the instance
        ├── ApiRefused                 the vendor answered with an error we do not retry (4xx, business rule)
        └── ServerError                5xx after retries, or a response we cannot parse
            └── OptimizationFailed     Acumatica's "Optimization cannot be performed": read by key instead

``RemoteError`` carries ``service`` (:class:`Service`), ``status`` (HTTP status or None),
``code`` (vendor error code or None) and ``retryable`` (True when trying again later may work).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Protocol

from shipdesk.i18n import N_, _


class Service(StrEnum):
    """The two services shipdesk talks to (equal to their display names)."""

    UPS = "UPS"
    ACUMATICA = "Acumatica"


class _Named(Protocol):
    """Anything with a user-facing ``label`` (a ``State``): errors.py imports nothing from the layers above."""

    @property
    def label(self) -> str: ...


class ShipdeskError(Exception):
    """Base of every error shipdesk raises on purpose. ``str(err)`` is the user-facing sentence."""

    #: a short hint for what to do, appended to the message when not already part of it
    hint: str = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        if hint is not None:
            self.hint = hint
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        # a class's default hint is marked with N_() (defined at import): translated here, when shown
        hint = _(self.hint) if self.hint else ""  # i18n: N_()-marked class default
        if hint and hint not in self.message:
            return f"{self.message} {hint}"
        return self.message


class ConfigError(ShipdeskError):
    """The configuration is missing, unreadable or inconsistent."""


class MissingSecretError(ConfigError):
    """A secret is not in the keyring (nor in its environment variable)."""


class DesktopUnavailable(ConfigError):
    """The desktop app cannot start on this machine (Qt, or a system library Qt needs, is missing);
    the command line still works."""


class StoreError(ShipdeskError):
    """The store (this PC's database or the shared one) or the label folder cannot be read or written."""


class InvalidTransition(StoreError):
    """A state change the design does not allow (a bug or a race another worker won)."""

    def __init__(self, what: str, current: _Named, wanted: _Named) -> None:
        self.current = current
        self.wanted = wanted
        super().__init__(
            _("{what} is '{current}' and cannot become '{wanted}'. "
              "Refresh the list: another window or the sync may have changed it.").format(
                what=what, current=current.label, wanted=wanted.label)
        )


class LabelAlreadyExists(StoreError):
    """A label exists (or may exist) for the shipment: a second one needs an explicit user decision.

    ``job_id`` and ``station``: the live job and the station that made it (empty when unknown)."""

    def __init__(self, message: str, *, hint: str | None = None, job_id: str = "", station: str = "") -> None:
        self.job_id = job_id
        self.station = station
        super().__init__(message, hint=hint)


class LabelError(ShipdeskError):
    """Label data from UPS cannot be decoded or rendered."""


class UndecodableLabel(LabelError):
    """The label data cannot be used; ``raw`` holds exactly what was received."""

    hint = N_("Reprint the label with Label Recovery (it asks UPS for the label again).")

    def __init__(self, message: str, *, raw: bytes, fmt: str) -> None:
        self.raw = raw
        self.format = fmt
        super().__init__(message)


class PrintError(ShipdeskError):
    """The printer could not be reached or refused the job."""


class DeviceError(ShipdeskError):
    """A device at the packing station (a scale) cannot be opened, does not answer, or reports a fault."""


class ShipmentDataError(ShipdeskError):
    """The Acumatica shipment lacks data UPS needs; ``reasons`` lists each fix, one sentence each."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = list(reasons)
        super().__init__(" ".join(self.reasons) if self.reasons else _("The shipment data is incomplete."))


class AddressNeedsAttention(ShipdeskError):
    """UPS could not confirm the address; the clerk must choose, fix or override. ``ambiguous``: UPS offered
    candidates to choose from (else it does not know the address)."""

    def __init__(self, message: str, *, hint: str | None = None, ambiguous: bool = False) -> None:
        self.ambiguous = ambiguous
        super().__init__(message, hint=hint)


class WriteBackProblem(ShipdeskError):
    """The labels exist but Acumatica cannot take them yet; the job stays labelled and is retried."""


class TrackingTakenElsewhere(WriteBackProblem):
    """Acumatica's packages already carry tracking numbers this store did not write (another station's
    label): shipdesk never replaces them. ``theirs``: what Acumatica has; ``ours``: this job's numbers."""

    def __init__(self, message: str, *, theirs: tuple[str, ...], ours: tuple[str, ...]) -> None:
        self.theirs = theirs
        self.ours = ours
        super().__init__(message)


class InvalidPush(ShipdeskError):
    """The body is not a Track Alert event shipdesk can store (the listener answers 400)."""


class UnexpectedError(ShipdeskError):
    """A bug surfaced while running a task; the traceback is in the log."""


class RemoteError(ShipdeskError):
    """A problem talking to Acumatica or UPS."""

    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        service: Service | str,
        status: int | None = None,
        code: str | None = None,
        retryable: bool | None = None,
        hint: str | None = None,
    ) -> None:
        self.service = Service(service)
        self.status = status
        self.code = code
        if retryable is not None:
            self.retryable = retryable
        super().__init__(message, hint=hint)


class ConnectionFailed(RemoteError):
    """The request never reached the service (DNS, refused, TLS, connect timeout)."""

    retryable = True


class ServiceDown(ConnectionFailed):
    """Nothing was sent: the service has been failing and is not tried again before ``retry_at``
    (``core/shipping/breaker.py``), so the person hears it at once instead of after the retry budget."""

    def __init__(self, service: Service | str, *, since: datetime, detail: str = "",
                 retry_at: datetime | None = None) -> None:
        self.since, self.retry_at = since, retry_at
        name = Service(service)
        message = _("{service} has not been answering since {time}, so nothing was sent.").format(
            service=name, time=f"{since.astimezone():%H:%M}")
        if detail:
            message += " " + _("Last answer: {detail}.").format(detail=detail.rstrip("."))
        if retry_at:
            hint = _("shipdesk tries {service} again by itself at {time}; the status bar turns green when it "
                     "answers. Press Retry to try now.").format(service=name, time=f"{retry_at.astimezone():%H:%M}")
        else:
            hint = _("shipdesk tries {service} again by itself; the status bar turns green when it answers. "
                     "Press Retry to try now.").format(service=name)
        super().__init__(message, service=name, hint=hint)


class RateLimited(RemoteError):
    """429 or 5xx kept coming after every retry the budget allowed."""

    retryable = True


class OutcomeUnknown(RemoteError):
    """A non-idempotent request was sent and its answer was lost: it may or may not have taken effect.

    Raised for UPS Ship so the ship flow reconciles (track by reference) instead of shipping twice.
    """

    retryable = False


class AuthenticationFailed(RemoteError):
    """Credentials refused, token refused, or the session ended and logging in again failed."""


class LoginLimitReached(AuthenticationFailed):
    """Acumatica refused the login: every licensed API session is in use."""

    retryable = True


class NotFound(RemoteError):
    """The record or tracking number does not exist."""


class EndpointVersionNotFound(RemoteError):
    """The Acumatica instance does not publish the configured endpoint version."""

    def __init__(self, message: str, *, tried: str, available: list[str],
                 service: Service = Service.ACUMATICA) -> None:
        self.tried = tried
        self.available = list(available)
        super().__init__(message, service=service, status=404)


class ApiRefused(RemoteError):
    """The service answered with an error that retrying will not fix (4xx, business rule, 422)."""


class ServerError(RemoteError):
    """5xx after retries, or a response that cannot be understood."""

    retryable = True


class OptimizationFailed(ServerError):
    """500 "Optimization cannot be performed" for a list GET with $expand: read by key instead."""
