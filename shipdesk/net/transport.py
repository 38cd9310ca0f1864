"""One ``requests.Session`` with timeouts and the retry policy: the seam both clients send through.

Tests inject ``responses`` or a live sandbox; the clients above do not know which. The transport
handles only what is the same for every vendor (timeouts, 429/5xx backoff, connection errors, the
"outcome unknown" case); authentication and the vendors' error bodies are the clients' business.

Logging names the method, the path and the status, never headers or bodies: secrets travel there.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from shipdesk.errors import ConnectionFailed, OutcomeUnknown, RateLimited
from shipdesk.i18n import _
from shipdesk.net.retry import RETRY_STATUSES, SAFE_RETRY_STATUSES_NON_IDEMPOTENT, RetryPolicy
from shipdesk.net.trust import system_trust_session

log = logging.getLogger(__name__)

#: answers from a gateway that had already passed the request on
GATEWAY_FAILURES = frozenset({502, 504})

#: urllib3 errors that prove the request never left this machine: safe to retry even for Ship
_NOT_SENT = (
    urllib3.exceptions.NewConnectionError,
    urllib3.exceptions.NameResolutionError,
    urllib3.exceptions.ConnectTimeoutError,
)


@dataclass(frozen=True)
class Timeouts:
    connect: float = 10.0
    read: float = 60.0

    def as_tuple(self) -> tuple[float, float]:
        return (self.connect, self.read)


class Transport:
    """Send HTTP requests for one service with the shared retry policy.

    ``idempotent=False`` marks a request that must never run twice (UPS Ship): it is retried only
    when the failure proves the request was not processed (connect errors, 429, 503); a read
    timeout, a reset after sending, 502 or 504 raise :class:`OutcomeUnknown`.
    """

    def __init__(
        self,
        service: str,
        *,
        policy: RetryPolicy | None = None,
        timeouts: Timeouts | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str = "shipdesk",
    ) -> None:
        self.service = service
        self.policy = policy or RetryPolicy()
        self.timeouts = timeouts or Timeouts()
        # certificates are checked against the OS trust store (a company proxy's own CA: net/trust.py)
        self.session = session or system_trust_session()
        self.session.headers.setdefault("User-Agent", user_agent)
        # requests reads the proxy settings (on Windows from the registry, with DNS lookups for the
        # bypass list) and .netrc again on every call: read the environment once per server instead,
        # as requests itself would (HTTPS_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE...), and never .netrc,
        # whose Basic auth would replace our own Authorization header
        self._from_environment = self.session.trust_env
        self.session.trust_env = False
        self._environment: dict[str, dict[str, Any]] = {}
        self._sleep = sleep
        self._lock = threading.Lock()
        #: requests actually sent (including retries), for `ping` and the benchmarks
        self.requests_sent = 0

    def close(self) -> None:
        self.session.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        idempotent: bool = True,
        read_timeout: float | None = None,
        retry_statuses: Collection[int] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """``retry_statuses`` narrows which statuses are retried for this call (e.g. an Acumatica
        login, whose 429 "API Login Limit" will not clear within the retry budget)."""
        timeout = (self.timeouts.connect, read_timeout or self.timeouts.read)
        if retry_statuses is None:
            retry_statuses = RETRY_STATUSES if idempotent else SAFE_RETRY_STATUSES_NON_IDEMPOTENT
        path = urlsplit(url).path
        started, waited, retries = time.monotonic(), 0.0, 0
        while True:
            answer = self._send(method, url, timeout, kwargs)
            if isinstance(answer, requests.RequestException):
                if not idempotent and not _never_sent(answer):
                    raise self._answer_lost(method, path, answer) from answer
                wait, outcome = self.policy.wait_for(retries, None), f": {type(answer).__name__}"
            else:
                if not idempotent and answer.status_code in GATEWAY_FAILURES:
                    answer.close()  # the gateway had our request: the service may have acted on it
                    raise self._gateway_failed(answer.status_code)
                if answer.status_code not in retry_statuses:
                    log.debug("%s %s %s -> %s", self.service, method, path, answer.status_code)
                    return answer
                wait = self.policy.wait_for(retries, answer.headers.get("Retry-After"))
                outcome = f" -> {answer.status_code}"
            if retries + 1 >= self.policy.max_attempts or waited + wait > self.policy.budget_seconds:
                elapsed = time.monotonic() - started
                if isinstance(answer, requests.RequestException):
                    raise self._unreachable(url, answer, retries + 1, elapsed) from answer
                raise self._exhausted(answer, retries, elapsed)
            log.info("%s %s %s%s, retry %d in %.2fs", self.service, method, path, outcome, retries + 1, wait)
            if isinstance(answer, requests.Response):
                answer.close()
            self._sleep(wait)
            waited += wait
            retries += 1

    def _send(self, method: str, url: str, timeout: tuple[float, float],
              kwargs: dict[str, Any]) -> requests.Response | requests.RequestException:
        """One try: the answer, or the error that stood in its way."""
        with self._lock:
            self.requests_sent += 1
        try:
            return self.session.request(method, url, timeout=timeout, **{**self._settings_for(url), **kwargs})
        except requests.exceptions.RequestException as exc:
            return exc

    def _settings_for(self, url: str) -> dict[str, Any]:
        """The proxies and CA bundle the environment gives for this server, read on its first request."""
        if not self._from_environment:
            return {}
        origin = _origin(url)
        if origin not in self._environment:
            with requests.Session() as reader:  # a session that trusts the environment, for this one read
                found = reader.merge_environment_settings(url, {}, None, None, None)
            settings: dict[str, Any] = {"proxies": found["proxies"]}
            # REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE: trusted besides the OS trust store (net/trust.py)
            if isinstance(found["verify"], str):
                settings["verify"] = found["verify"]
            self._environment[origin] = settings
        return self._environment[origin]

    # -- the sentences a caller gets -------------------------------------------------------------------
    def _answer_lost(self, method: str, path: str, error: BaseException) -> OutcomeUnknown:
        log.warning("%s %s %s: answer lost after sending (%s)", self.service, method, path, type(error).__name__)
        return OutcomeUnknown(
            _("The request to {service} was sent but its answer was lost ({reason}); it may or may not have been "
              "carried out.").format(service=self.service, reason=_describe(error)),
            service=self.service,
            hint=_("shipdesk will check with the service before trying again."),
        )

    def _gateway_failed(self, status: int) -> OutcomeUnknown:
        return OutcomeUnknown(
            _("{service}'s gateway failed (HTTP {status}) after the request was sent; it may or may not have been "
              "carried out.").format(service=self.service, status=status),
            service=self.service, status=status,
            hint=_("shipdesk will check with the service before trying again."),
        )

    def _unreachable(self, url: str, error: BaseException, tries: int, elapsed: float) -> ConnectionFailed:
        return ConnectionFailed(
            _("Cannot reach {service} at {address} ({reason}); tried {tries} times over {seconds} seconds.").format(
                service=self.service, address=_origin(url), reason=_describe(error), tries=tries,
                seconds=f"{elapsed:.0f}"),
            service=self.service,
            hint=_("Check the network connection and the address in Settings, then try again."),
        )

    def _exhausted(self, response: requests.Response, retries: int, elapsed: float) -> RateLimited:
        status = response.status_code
        if status == 429:
            said = _("{service} is rate-limiting us; retried {retries} times over {seconds} seconds.")
        else:
            said = _("{service} is unavailable (HTTP {status}); retried {retries} times over {seconds} seconds.")
        return RateLimited(
            said.format(service=self.service, status=status, retries=retries, seconds=f"{elapsed:.0f}"),
            service=self.service,
            status=status,
            hint=_("Wait a few minutes and try again; nothing was lost."),
        )


def _never_sent(exc: BaseException) -> bool:
    """True when the exception chain proves the request did not reach the server."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    seen: BaseException | None = exc
    depth = 0
    while seen is not None and depth < 8:
        if isinstance(seen, _NOT_SENT):
            return True
        reason = getattr(seen, "reason", None)
        if isinstance(reason, _NOT_SENT):
            return True
        args_errors = [a for a in getattr(seen, "args", ()) if isinstance(a, BaseException)]
        seen = args_errors[0] if args_errors else (seen.__cause__ or seen.__context__)
        depth += 1
    return False


def _describe(exc: BaseException) -> str:
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return _("connection timed out")
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return _("no answer in time")
    if isinstance(exc, requests.exceptions.SSLError):
        return _("secure connection failed")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return _("connection failed") if _never_sent(exc) else _("connection dropped")
    return type(exc).__name__


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def header_names(headers: Mapping[str, str]) -> list[str]:
    """Header names only, for debug logs that must never show values."""
    return sorted(headers)
