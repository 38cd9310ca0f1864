"""What every sandbox server shares: starting on a taken port, and the control API's answers to bad input."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest
import requests

from shipdesk.errors import ConfigError
from shipdesk.sandbox import start_sandboxes
from shipdesk.sandbox.clock import SimClock
from shipdesk.sandbox.ups.app import UpsSandbox


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_a_taken_port_is_a_sentence_naming_the_port(taken_port):
    with pytest.raises(ConfigError) as caught:
        UpsSandbox(SimClock(), port=taken_port).start()
    assert f"127.0.0.1:{taken_port}" in str(caught.value)
    assert "another port" in str(caught.value)


def test_a_taken_ups_port_leaves_no_acumatica_sandbox_listening(taken_port, monkeypatch):
    started = []
    from shipdesk.sandbox.acumatica.app import AcumaticaSandbox

    real_start = AcumaticaSandbox.start

    def remember(self):
        started.append(self)
        return real_start(self)

    monkeypatch.setattr(AcumaticaSandbox, "start", remember)
    with pytest.raises(ConfigError):
        start_sandboxes(ups_port=taken_port)
    [acumatica] = started
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", acumatica.port)) != 0  # nobody listens there any more


@pytest.mark.parametrize("body", [
    b'{"route": "*", "stauts": 429}',  # a typo in a key
    b'["*", 429]',  # not an object
    b'{"route": "*", "status": 42',  # not JSON
])
def test_a_bad_fault_request_is_400_and_adds_no_fault(ups_sandbox, body):
    answer = requests.post(f"{ups_sandbox.url}/_sandbox/faults", data=body,
                           headers={"Content-Type": "application/json"}, timeout=5)
    assert answer.status_code == 400
    assert "bad control request" in answer.json()["message"]
    assert ups_sandbox.faults == []


def test_a_bad_clock_request_is_400_and_leaves_the_clock(ups_sandbox):
    before = ups_sandbox.clock.now()
    answer = requests.post(f"{ups_sandbox.url}/_sandbox/clock", json={"advance_hours": "soon"}, timeout=5)
    assert answer.status_code == 400
    assert ups_sandbox.clock.now() - before < timedelta(minutes=1)


@pytest.mark.parametrize("length", ["-1", "ten", "1e3"])
def test_a_content_length_that_is_not_a_byte_count_is_400_without_waiting(ups_sandbox, length):
    host, port = ups_sandbox.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as client:
        # the client keeps its side open: a server reading "until close" would never answer
        client.sendall(f"POST /_sandbox/faults HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                       f"Content-Length: {length}\r\n\r\n".encode())
        answer = client.recv(1024)
    assert answer.split(b"\r\n", 1)[0].split(b" ")[1] == b"400", answer
