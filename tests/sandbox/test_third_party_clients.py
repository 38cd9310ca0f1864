"""Two well-known third-party clients from PyPI, pointed at ``shipdesk sandbox``, get the real services' answers.

karrio's UPS connector and easy-acumatica are installed (pinned) in a throwaway venv cached under the
pytest cache, so a rerun skips the install. The sandbox runs as ``python -m shipdesk sandbox`` with any
free ports; the clients run as scripts in ``third_party/`` and report one JSON line per step. Where the
client itself sends what the real service refuses, the step asserts that refusal.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PACKAGES = ("karrio==2026.1.32", "karrio.ups==2026.1.32", "easy-acumatica==0.6.1")
SCRIPTS = Path(__file__).parent / "third_party"
OFFLINE_SIGNS = ("NewConnectionError", "Temporary failure in name resolution", "Network is unreachable",
                 "Connection refused", "ConnectTimeout", "ReadTimeoutError", "No matching distribution found",
                 "Could not find a version")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def third_party_python(request: pytest.FixtureRequest) -> Path:
    """A venv with the pinned clients; kept in the pytest cache and reused while the pins are unchanged."""
    home = Path(request.config.cache.mkdir("third-party-clients"))
    python = home / "venv" / "bin" / "python"
    stamp = home / "installed.txt"
    if python.exists() and stamp.exists() and stamp.read_text() == "\n".join(PACKAGES):
        return python
    venv.EnvBuilder(with_pip=True, clear=True).create(home / "venv")
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *PACKAGES],
                             capture_output=True, text=True, timeout=600)
    if install.returncode != 0:
        output = install.stdout + install.stderr
        if any(sign in output for sign in OFFLINE_SIGNS):
            pytest.skip(f"PyPI is unreachable, so karrio and easy-acumatica cannot be installed: {output[-300:]}")
        pytest.fail(f"pip could not install {', '.join(PACKAGES)}:\n{output[-2000:]}")
    stamp.write_text("\n".join(PACKAGES))
    return python


@pytest.fixture(scope="module")
def sandbox_urls() -> Iterator[dict[str, str]]:
    """``shipdesk sandbox`` as a user starts it, on free ports; its URLs as it prints them."""
    process = subprocess.Popen([sys.executable, "-m", "shipdesk", "sandbox", "--acumatica-port", "0",
                                "--ups-port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        urls: dict[str, str] = {}
        assert process.stdout is not None
        for line in process.stdout:  # it prints both URLs before serving
            found = re.match(r"(Acumatica|UPS) sandbox:\s+(\S+)", line)
            if found:
                urls[found.group(1).lower()] = found.group(2)
            if len(urls) == 2:
                break
        assert len(urls) == 2, "shipdesk sandbox did not print its URLs"
        yield urls
    finally:
        process.terminate()
        process.wait(timeout=10)


def _run(python: Path, script: str, *args: str) -> dict[str, dict[str, Any]]:
    done = subprocess.run([str(python), str(SCRIPTS / script), *args], capture_output=True, text=True,
                          timeout=300)
    steps = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            steps[row["step"]] = row
    assert steps, f"{script} reported nothing:\n{done.stderr[-2000:]}"
    return steps


def test_karrio_ups_connector_gets_ups_answers(third_party_python, sandbox_urls):
    steps = _run(third_party_python, "karrio_steps.py", sandbox_urls["ups"])
    for name in ("token", "rate", "shop", "ship domestic (ShipmentDate fixed)", "ship multi-package",
                 "ship international", "track", "void"):
        assert steps[name]["ok"], steps[name]
    # Rating answers are complete: the negotiated base charge and the transit days karrio reads.
    assert all(r["base"] and r["transit_days"] for r in steps["rate"]["rates"])
    assert len(steps["ship multi-package"]["tracking_numbers"]) == 2
    assert steps["track"]["events"] == ["MP"]
    # karrio writes ShipmentDate as 2026-12-07; the spec's YYYYMMDD (8 characters) is what UPS takes.
    refused = steps["ship domestic (as karrio sends it)"]
    assert not refused["ok"] and refused["messages"][0]["code"] == "120100"
    assert "ShipmentDate" in refused["messages"][0]["message"]
    # karrio's Shipment/Description is the parcels' description: without one, goods crossing a border are refused.
    undescribed = steps["ship international (no parcel description)"]
    assert not undescribed["ok"] and undescribed["messages"][0]["code"] == "120512"


def test_easy_acumatica_gets_acumatica_answers(third_party_python, sandbox_urls):
    tenant_url = sandbox_urls["acumatica"]
    clock = re.sub(r"(https?://[^/]+).*", r"\1/_sandbox/clock", tenant_url)
    steps = _run(third_party_python, "easy_acumatica_steps.py", tenant_url, clock)
    for name in ("sign in", "read", "filter/expand", "update package by row id", "attach through the record's link",
                 "confirm", "ad-hoc schema", "sign out"):
        assert steps[name]["ok"], steps[name]
    assert steps["sign in"]["inquiries"] == []  # the tenant publishes no generic inquiry
    assert steps["confirm"]["answer"] is None and steps["confirm"]["before"] == "Open"  # 202, never polled
    # easy-acumatica puts its base URL (with the instance path) before the link, which already holds the
    # instance path: the doubled path is one no Acumatica instance serves.
    refused = steps["attach through put_file"]
    assert not refused["ok"] and "404" in refused["error"]
    assert refused["link"].startswith("/AcumaticaERP/entity/Default/24.200.001/files/")
