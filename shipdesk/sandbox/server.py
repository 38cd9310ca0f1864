"""A small threaded HTTP server for the sandboxes: routing, fault injection, stats, control API.

Both sandboxes (Acumatica and UPS) are a :class:`SandboxServer` with their own routes. Everything
that is the same for both lives here: the `/_sandbox/` control API of the design
(stats, faults, clock, reset), per-route-template request counters, and the faults
(status with a rate, delay, dropped connection, count-limited).
"""

from __future__ import annotations

import json
import logging
import random
import re
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from shipdesk.errors import ConfigError
from shipdesk.sandbox.clock import SimClock

log = logging.getLogger(__name__)

MAX_BODY = 32 * 1024 * 1024
#: a held request goes on after this long even if nobody clears the faults
MAX_HOLD_SECONDS = 120.0


@dataclass
class Request:
    method: str
    path: str  # decoded once (as IIS and other servers route), without the query string
    raw_path: str  # as sent, percent-encoded
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    params: dict[str, str] = field(default_factory=dict)  # path parameters from the route template
    client: str = ""

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body else None


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    cookies: list[str] = field(default_factory=list)  # full Set-Cookie values

    @classmethod
    def json(cls, payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        merged = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        return cls(status, json.dumps(payload).encode("utf-8"), merged)

    @classmethod
    def empty(cls, status: int = 204, headers: dict[str, str] | None = None) -> Response:
        return cls(status, b"", dict(headers or {}))


class DropConnection(Exception):
    """Raised by a handler or a fault: close the socket without answering."""


@dataclass
class Fault:
    route: str  # path prefix, "*" = every route
    status: int | None = None
    rate: float = 1.0
    delay_ms: int = 0
    hold: bool = False  # wait until the faults are cleared (or the sandbox resets or stops): "Acumatica is busy"
    drop: bool = False
    count: int | None = None  # how many requests it hits, then it is gone; None = until cleared
    drop_after_handling: bool = False  # run the handler, then drop: "the answer was lost"
    body: Any = None  # answered as JSON (any JSON: a bare string, a list where an object belongs...)
    headers: dict[str, str] = field(default_factory=dict)
    #: answered as is: an HTML page from a gateway, JSON cut off mid-transfer (``content_type`` says which)
    raw_body: str | None = None
    content_type: str = "text/html"

    @property
    def answers(self) -> bool:
        """The fault answers in place of the service (an error status, or a body of its own: 200 by default)."""
        return self.status is not None or self.body is not None or self.raw_body is not None

    def matches(self, path: str) -> bool:
        return self.route == "*" or path.startswith(self.route)


Handler = Callable[[Request], Response]


@dataclass
class _Route:
    method: str
    template: str
    regex: re.Pattern[str]
    handler: Handler


def _compile(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    pattern = ""
    for part in parts:
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1]
            greedy = name.endswith("*")
            pattern += f"(?P<{name.rstrip('*')}>{'.+' if greedy else '[^/]+'})"
        else:
            pattern += re.escape(part)
    return re.compile(f"^{pattern}$")


class SandboxServer:
    """One sandbox HTTP server. Subclasses register routes in ``__init__`` with :meth:`route`."""

    name = "sandbox"

    def __init__(self, clock: SimClock | None = None, *, host: str = "127.0.0.1", port: int = 0,
                 seed: int = 7) -> None:
        self.clock = clock or SimClock()
        self.host = host
        self.port = port
        self.routes: list[_Route] = []
        self.faults: list[Fault] = []
        self.stats: Counter[str] = Counter()
        self.extra_stats: Counter[str] = Counter()
        self.lock = threading.RLock()  # guards the sandbox's in-memory state
        self._random = random.Random(seed)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._control_prefix = "/_sandbox"
        self._released = threading.Event()  # set to let held requests go (``Fault.hold``)

    # -- routes -----------------------------------------------------------------------------------
    def route(self, method: str, template: str, handler: Handler) -> None:
        """Register a handler; ``{name}`` matches one segment, ``{name*}`` the rest of the path."""
        self.routes.append(_Route(method.upper(), template, _compile(template), handler))

    def reset(self) -> None:
        """Back to the seed data. Subclasses extend this."""
        self.clear_faults()
        with self.lock:
            self.stats.clear()
            self.extra_stats.clear()

    def stats_payload(self) -> dict[str, Any]:
        with self.lock:
            return {"requests": dict(self.stats), **dict(self.extra_stats)}

    # -- lifecycle --------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> SandboxServer:
        server = self

        class _Handler(_RequestHandler):
            sandbox = server

        try:
            self._httpd = _Server((self.host, self.port), _Handler)
        except OSError as exc:  # port taken or not allowed: a sentence, not a traceback
            raise ConfigError(
                f"The {self.name} sandbox cannot listen on {self.host}:{self.port} ({exc.strerror or exc}).",
                hint="Choose another port (0 = any free port) or stop the program that uses it.",
            ) from exc
        self.port = self._httpd.server_address[1]
        # A short poll interval: stop() returns in ~50 ms instead of serve_forever's default 0.5 s.
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"{self.name}-sandbox", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.clear_faults()  # held requests end, so the server's threads do
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    # -- dispatch ---------------------------------------------------------------------------------
    def dispatch(self, request: Request) -> Response:
        if request.path.startswith(self._control_prefix + "/"):
            return self._control(request)
        fault = self._pick_fault(request.path)
        route, params = self._find_route(request.method, request.path)
        if route is not None:
            with self.lock:
                self.stats[f"{request.method} {route.template}"] += 1
        if fault is not None:
            if fault.delay_ms:
                time.sleep(fault.delay_ms / 1000.0)
            if fault.hold:
                with self.lock:
                    released = self._released
                released.wait(MAX_HOLD_SECONDS)
            if fault.drop:
                raise DropConnection()
            if fault.answers:
                return self.fault_response(request, fault)
        if route is None:
            return self.not_found(request)
        request.params = params
        response = route.handler(request)
        if fault is not None and fault.drop_after_handling:
            raise DropConnection()
        return response

    def fault_response(self, request: Request, fault: Fault) -> Response:
        """The body an injected status answers with; subclasses give the vendor's error shape. A fault with a
        body of its own answers it, with its status or 200 (an answer of an unexpected shape)."""
        if fault.raw_body is not None:
            return Response(fault.status or 200, fault.raw_body.encode("utf-8"),
                            {"Content-Type": fault.content_type, **fault.headers})
        if fault.body is not None:
            return Response.json(fault.body, fault.status or 200, fault.headers)
        return Response.json({"message": f"injected fault {fault.status}"}, fault.status or 500, fault.headers)

    def not_found(self, request: Request) -> Response:
        return Response.json({"message": f"No route for {request.method} {request.path}"}, 404)

    def _find_route(self, method: str, path: str) -> tuple[_Route | None, dict[str, str]]:
        for route in self.routes:
            if route.method != method:
                continue
            match = route.regex.match(path)
            if match:
                # the path was decoded once already (``Request.path``), as a web server does before routing:
                # decoding the parameters again would turn "%2541" into "A" where IIS refuses it
                return route, dict(match.groupdict())
        return None, {}

    def _pick_fault(self, path: str) -> Fault | None:
        with self.lock:
            for fault in list(self.faults):
                if not fault.matches(path):
                    continue
                if fault.rate < 1.0 and self._random.random() >= fault.rate:
                    continue
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        self.faults.remove(fault)
                return fault
        return None

    # -- control API ------------------------------------------------------------------------------
    def _control(self, request: Request) -> Response:
        try:
            return self._control_route(request)
        except (TypeError, ValueError, AttributeError) as exc:  # a script's typo: say so, do not 500
            return Response.json({"message": f"bad control request: {exc}"}, 400)

    def _control_route(self, request: Request) -> Response:
        what = request.path[len(self._control_prefix) + 1:]
        body = request.json() if request.body else {}
        if what == "stats" and request.method == "GET":
            return Response.json(self.stats_payload())
        if what == "faults" and request.method == "POST":
            self.add_fault(**body)
            return Response.json({"faults": len(self.faults)})
        if what == "faults" and request.method == "DELETE":
            self.clear_faults()
            return Response.json({"faults": 0})
        if what == "clock" and request.method == "POST":
            if "advance_hours" in body or "advance_minutes" in body:
                self.clock.advance(hours=float(body.get("advance_hours", 0)),
                                   minutes=float(body.get("advance_minutes", 0)))
            return Response.json({"now": self.clock.now().isoformat()})
        if what == "clock" and request.method == "GET":
            return Response.json({"now": self.clock.now().isoformat()})
        if what == "reset" and request.method == "POST":
            self.reset()
            return Response.json({"reset": True})
        return self.control_extra(request, what, body)

    def control_extra(self, request: Request, what: str, body: Any) -> Response:
        """Sandbox-specific control routes (e.g. UPS callback URL); 404 by default."""
        return Response.json({"message": f"unknown control route {what}"}, 404)

    def add_fault(self, route: str = "*", **kwargs: Any) -> Fault:
        fault = Fault(route=route, **kwargs)
        with self.lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        """Remove every fault, and let the requests held by one go on."""
        with self.lock:
            self.faults.clear()
            released, self._released = self._released, threading.Event()
        released.set()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (a command stopped with Ctrl+C) is a debug line, not a traceback on stderr."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            log.debug("client %s hung up (%s)", client_address[0], type(error).__name__)
        else:
            super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    sandbox: SandboxServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without TCP_NODELAY, Nagle + delayed ACK add ~40 ms to
    # every answer, which would make the sandbox far slower than the services it stands in for.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.sandbox.name, format % args)

    def _handle(self) -> None:
        split = urlsplit(self.path)
        length = _content_length(self.headers.get("Content-Length"))
        if length is None:  # reading "until the client closes" would hang both sides
            self.send_error(400, "Content-Length must be a whole number of bytes")
            return
        if length > MAX_BODY:
            self.send_error(413)
            return
        body = self.rfile.read(length) if length else b""
        request = Request(
            method=self.command,
            path=unquote(split.path),
            raw_path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            client=self.client_address[0],
        )
        try:
            response = self.sandbox.dispatch(request)
        except DropConnection:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        except Exception:  # a sandbox bug must answer 500, not hang the client
            log.exception("%s sandbox failed on %s %s", self.sandbox.name, self.command, self.path)
            response = Response.json({"message": "sandbox internal error"}, 500)
        self.send_response(response.status)
        for key, value in response.headers.items():
            self.send_header(key, value)
        for cookie in response.cookies:
            self.send_header("Set-Cookie", cookie)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle


def _content_length(header: str | None) -> int | None:
    """The body size a request announces (0 when absent), or None when the header is not a byte count."""
    text = (header or "0").strip()
    return int(text) if text.isascii() and text.isdigit() else None
