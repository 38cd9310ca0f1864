"""The optional HTTP listener that receives UPS Track Alert pushes (stdlib ``ThreadingHTTPServer``).

Off by default: it only helps a site that can expose it to UPS (a reverse proxy with TLS, or a
relay); polling stays the baseline. Routes:

- ``POST <token path>`` (the configured ``token_url_path``, and ``<path>/token``): v2 client
  credentials → a bearer token (see ``auth``). 401 for a wrong client, 400 for another grant.
- ``POST <path>``: one event. 401 wrong or missing credentials (v2: the bearer token this listener
  issued decides; a missing or different ``x-api-key``, optional in the spec, is only logged); 411
  without a length; 413 over ``max_body`` (64 KiB: an event is about 1 KiB, a delivery photo is not
  worth the risk), with a ``Content-Length`` or ``Transfer-Encoding: chunked`` (nothing public says
  which UPS uses, and UPS does not resend a refused event); 400 for malformed or too deeply nested
  JSON, a body that is not an event, or an event time more than a day ahead of this PC's clock
  (logged, nothing stored: such a scan would stay "the latest" for good); 200 otherwise. An event
  for a tracking number shipdesk does not know is answered 200 and ignored (logged): UPS does not
  resend failed events and a refusal cannot be fixed by UPS, so a non-2xx would only be noise.
  A client that hangs up early costs a debug line in the log, never a traceback on the console.

Accepted events are stored at once in one short transaction per event by ``on_event`` (the scan,
the package's new status); writing to Acumatica is left to the sync, so UPS gets its fast 2xx.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from shipdesk.core.track_alert.auth import PushAuth
from shipdesk.core.track_alert.push import PushedEvent, parse_push
from shipdesk.errors import InvalidPush

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
#: a client that sends nothing for this long is cut off, so it cannot hold a thread
SOCKET_TIMEOUT_S = 10.0
#: an event this far ahead of the PC's clock is refused (GMT times; a clock a few hours off still passes)
FUTURE_LIMIT = timedelta(days=1)
#: a naive (zone unknown) local time may be this far ahead of UTC and still be now
LOCAL_AHEAD_OF_UTC = timedelta(hours=14)
#: a chunk-size line longer than this is not HTTP
MAX_CHUNK_LINE = 1024

#: stores the event; returns False when the tracking number is not one of ours
EventSink = Callable[[PushedEvent], bool]


class AlertListener:
    def __init__(self, *, auth: PushAuth, on_event: EventSink, host: str = "127.0.0.1", port: int = 0,
                 path: str = "/ups/track-alert", token_path: str = "/ups/oauth/token",
                 max_body: int = MAX_BODY, now: Callable[[], datetime] | None = None) -> None:
        """``now``: the clock event times are checked against (the context's; the sandbox's in demo mode)."""
        self.auth = auth
        self.on_event = on_event
        self.now = now or (lambda: datetime.now(UTC))
        self.host = host
        self.port = port
        self.path = "/" + path.strip("/")
        self.token_paths = frozenset({"/" + token_path.strip("/"), self.path + "/token"})
        self.max_body = max_body
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.counts = {"accepted": 0, "ignored": 0, "refused": 0}
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{self.path}"

    @property
    def token_url(self) -> str:
        return f"http://{self.host}:{self.port}{self.path}/token"

    def start(self) -> AlertListener:
        listener = self

        class _Handler(_PushHandler):
            owner = listener

        self._server = _Server((self.host, self.port), _Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="track-alert-listener", daemon=True)
        self._thread.start()
        log.info("Track Alert listener on %s", self.url)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> AlertListener:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def count(self, outcome: str) -> None:
        with self._lock:
            self.counts[outcome] += 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """socketserver prints a traceback on stderr; a client that hung up is not worth one."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            log.debug("listener: %s hung up (%s)", client_address[0], type(error).__name__)
        else:
            log.exception("listener: request from %s failed", client_address[0])


class _PushHandler(BaseHTTPRequestHandler):
    owner: AlertListener
    protocol_version = "HTTP/1.1"
    timeout = SOCKET_TIMEOUT_S
    server_version = "shipdesk"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("listener: " + format, *args)  # the request line only: never headers

    def do_POST(self) -> None:
        path = urlsplit(self.path).path.rstrip("/") or "/"
        if path in self.owner.token_paths and self.owner.auth.credentials.accepts_tokens:
            self._token()
        elif path == self.owner.path:
            self._push()
        else:
            self._refuse_unread(404, {"message": "not found"})

    def do_GET(self) -> None:
        self._refuse_unread(404, {"message": "not found"})

    do_PUT = do_DELETE = do_PATCH = do_GET

    # -- routes ---------------------------------------------------------------------------------------
    def _token(self) -> None:
        body = self._body()
        if body is None:
            return
        if not self.owner.auth.client_matches(self.headers.get("Authorization")):
            log.warning("Track Alert token request refused: wrong client id or secret")
            self._answer(401, {"error": "invalid_client"}, {"WWW-Authenticate": 'Basic realm="shipdesk"'})
            return
        form = parse_qs(body.decode("utf-8", "replace"))
        if form.get("grant_type", [""])[0] != "client_credentials":
            self._answer(400, {"error": "unsupported_grant_type"})
            return
        self._answer(200, self.owner.auth.issue_token(), {"Cache-Control": "no-store"})

    def _push(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        if not self.owner.auth.push_allowed(headers):
            self.owner.count("refused")
            log.warning("Track Alert push refused: missing or wrong credentials (from %s)", self.client_address[0])
            self._refuse_unread(401, {"message": "unauthorized"})
            return
        if self.owner.auth.api_key_differs(headers):
            log.info("Track Alert push with a missing or different x-api-key accepted on its bearer token")
        body = self._body()
        if body is None:
            self.owner.count("refused")
            return
        try:
            event = parse_push(json.loads(body.decode("utf-8")))
            self._check_time(event)
        except (InvalidPush, ValueError, UnicodeDecodeError, RecursionError) as exc:  # JSONDecodeError: ValueError
            self.owner.count("refused")
            reason = (str(exc) if isinstance(exc, InvalidPush) else
                      "JSON nested too deeply" if isinstance(exc, RecursionError) else "malformed JSON")
            log.warning("Track Alert push refused: %s", reason)
            self._answer(400, {"message": f"not a Track Alert event: {reason}"})
            return
        try:
            known = self.owner.on_event(event)
        except Exception:  # the store is busy or broken: say so, UPS will not resend anyway
            log.exception("Track Alert event for %s could not be stored", event.tracking_number)
            self._answer(503, {"message": "not stored"})
            return
        if not known:
            self.owner.count("ignored")
            log.info("Track Alert event for unknown tracking number %s ignored", event.tracking_number)
            self._answer(200, {"status": "ignored"})
            return
        self.owner.count("accepted")
        self._answer(200, {"status": "accepted"})

    def _check_time(self, event: PushedEvent) -> None:
        """Refuse a scan far ahead of now: stored, it would stay the package's latest scan for good."""
        occurred = event.event.occurred_at
        if occurred.tzinfo is None:  # local time, zone unknown: it may be up to 14 hours ahead of UTC
            occurred = occurred.replace(tzinfo=UTC) - LOCAL_AHEAD_OF_UTC
        if occurred > self.owner.now() + FUTURE_LIMIT:
            raise InvalidPush(f"the activity time {event.event.occurred_at.isoformat()} is in the future")

    # -- plumbing -------------------------------------------------------------------------------------
    def _body(self) -> bytes | None:
        """The request body, or None after answering 411/413/400 (the connection is then closed)."""
        encoding = self.headers.get("Transfer-Encoding")
        if encoding is not None:
            return self._chunked_body(encoding)
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            self.close_connection = True
            self._answer(411, {"message": "Content-Length required"})
            return None
        try:
            length = int(length_text)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._answer(400, {"message": "bad Content-Length"})
            return None
        if length > self.owner.max_body:
            self.close_connection = True  # the unread body must not be taken for the next request
            self._answer(413, {"message": f"body over {self.owner.max_body} bytes"})
            return None
        return self.rfile.read(length) if length else b""

    def _chunked_body(self, encoding: str) -> bytes | None:
        """A ``Transfer-Encoding: chunked`` body read chunk by chunk, never more than ``max_body``."""
        self.close_connection = True  # whatever happens, nothing after it on this connection is trusted
        if encoding.strip().lower() != "chunked":
            self._answer(501, {"message": f"Transfer-Encoding {encoding[:40]!r} is not supported"})
            return None
        body = bytearray()
        while True:
            line = self.rfile.readline(MAX_CHUNK_LINE + 1)
            size_text = line.split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                size = -1
            if len(line) > MAX_CHUNK_LINE or not line.endswith(b"\n") or size < 0:
                self._answer(400, {"message": "bad chunked body"})
                return None
            if size == 0:
                break
            if len(body) + size > self.owner.max_body:
                self._answer(413, {"message": f"body over {self.owner.max_body} bytes"})
                return None
            chunk = self.rfile.read(size)
            if len(chunk) != size or self.rfile.readline(3) not in (b"\r\n", b"\n"):
                self._answer(400, {"message": "bad chunked body"})
                return None
            body += chunk
        while self.rfile.readline(MAX_CHUNK_LINE + 1) not in (b"\r\n", b"\n", b""):
            pass  # trailer fields: none matter here
        return bytes(body)

    def _refuse_unread(self, status: int, payload: dict[str, Any]) -> None:
        """Answer without reading the body: the connection is closed so its bytes are never taken for
        the next request on it (HTTP keep-alive)."""
        self.close_connection = True
        self._answer(status, payload)

    def _answer(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
