"""The sandboxes in their own process, as the real services are, driven through their control API.

``SandboxProcess`` starts ``python -m shipdesk sandbox --acumatica-port 0 --ups-port 0``, reads the two
addresses it prints, and talks to ``/_sandbox/`` on both servers (faults, clock, reset, stats, and the
Acumatica sandbox's ``shipments`` copies). Nothing of the sandboxes runs in the benchmark's process,
so the app's CPU time and memory are the app's alone.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections import deque
from typing import Any

import requests

START_TIMEOUT_S = 60.0
_URL = re.compile(r"^(Acumatica|UPS) sandbox:\s+(http://\S+)")


class SandboxProcess:
    def __init__(self) -> None:
        self.acumatica_url = ""  # the tenant URL, with the instance path
        self.ups_url = ""
        self._process: subprocess.Popen[str] | None = None
        self._output: deque[str] = deque(maxlen=50)  # the last lines, for an error message
        self._http = requests.Session()
        self._http.trust_env = False  # 127.0.0.1 only: no proxy, no .netrc

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> SandboxProcess:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "shipdesk", "sandbox", "--acumatica-port", "0", "--ups-port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        assert self._process.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        while not (self.acumatica_url and self.ups_url):
            line = self._process.stdout.readline()
            if not line:
                raise RuntimeError("The sandbox process ended before it listened:\n" + "".join(self._output))
            self._output.append(line)
            found = _URL.match(line.strip())
            if found:
                if found.group(1) == "UPS":
                    self.ups_url = found.group(2)
                else:
                    self.acumatica_url = found.group(2)
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("The sandbox process did not say where it listens within a minute.")
        # keep reading its output, so a full pipe never blocks it
        threading.Thread(target=self._drain, name="sandbox-output", daemon=True).start()
        return self

    def _drain(self) -> None:
        process = self._process
        if process is None or process.stdout is None:
            return
        for line in process.stdout:
            self._output.append(line)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self._http.close()

    def __enter__(self) -> SandboxProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    # -- control API ------------------------------------------------------------------------------
    @property
    def acumatica_root(self) -> str:
        """The Acumatica server without the instance path: where its ``/_sandbox/`` lives."""
        match = re.match(r"^(http://[^/]+)", self.acumatica_url)
        assert match is not None
        return match.group(1)

    def _control(self, server: str, method: str, what: str, body: Any = None) -> Any:
        root = self.ups_url if server == "ups" else self.acumatica_root
        answer = self._http.request(method, f"{root}/_sandbox/{what}", json=body, timeout=120)
        if answer.status_code >= 400:
            raise RuntimeError(f"{server} sandbox {method} /_sandbox/{what}: {answer.status_code} {answer.text}")
        return answer.json()

    def stats(self, server: str) -> dict[str, Any]:
        """``server`` is "ups" or "acumatica"."""
        result: dict[str, Any] = self._control(server, "GET", "stats")
        return result

    def add_latency(self, delay_ms: int) -> None:
        """Every API call on both servers answers ``delay_ms`` late (the control API never is)."""
        for server in ("ups", "acumatica"):
            self._control(server, "POST", "faults", {"route": "*", "delay_ms": delay_ms})

    def clear_faults(self) -> None:
        for server in ("ups", "acumatica"):
            self._control(server, "DELETE", "faults")

    def advance(self, *, hours: float = 0.0, minutes: float = 0.0) -> str:
        """Move the shared simulated clock (both servers share it); returns the new "now"."""
        answer = self._control("ups", "POST", "clock", {"advance_hours": hours, "advance_minutes": minutes})
        return str(answer["now"])

    def reset(self) -> None:
        """Seed data again, counters and faults cleared (the clock is not rewound)."""
        for server in ("ups", "acumatica"):
            self._control(server, "POST", "reset")

    def copy_shipments(self, like: str, count: int, prefix: str, *, tracking_numbers: list[str] | None = None,
                       status: str | None = None) -> list[str]:
        """``count`` copies of a seeded Acumatica shipment, each with its own sales order: ready to label,
        or (with ``tracking_numbers`` and a ``status``) as after the labels were written back."""
        body: dict[str, Any] = {"like": like, "count": count, "prefix": prefix}
        if tracking_numbers is not None:
            body["tracking_numbers"] = tracking_numbers
        if status is not None:
            body["status"] = status
        answer = self._control("acumatica", "POST", "shipments", body)
        return list(answer["shipments"])

    def labelled_packages(self, count: int, *, hours_ago: float) -> list[str]:
        """``count`` single-package UPS shipments labelled ``hours_ago`` hours before the simulated now."""
        answer = self._control("ups", "POST", "packages", {"count": count, "hours_ago": hours_ago})
        return list(answer["tracking_numbers"])


def requests_of(stats: dict[str, Any], *, route: str = "") -> int:
    """Requests a server counted, on the routes whose template contains ``route`` (all when empty)."""
    return sum(n for name, n in stats["requests"].items() if route in name)
