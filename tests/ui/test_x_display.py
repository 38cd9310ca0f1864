"""Issue 13's start-up abort: a display that does not answer is said in a sentence, not a SIGABRT from Qt."""

from __future__ import annotations

import socket
import threading

from shipdesk.ui.x_display import display_problem


def test_a_display_nobody_listens_on_is_named_with_what_to_do():
    with socket.socket() as probe:  # a port nobody listens on, as a display number
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    problem = display_problem(f"127.0.0.1:{port - 6000}", wait_s=0.2, sleep_s=0.05)
    assert f"cannot reach the X display 127.0.0.1:{port - 6000}" in problem
    assert "Start the X server (or Xvfb) first" in problem


def test_a_display_that_answers_is_fine_and_one_starting_is_waited_for():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        port = server.getsockname()[1]
        later = threading.Timer(0.3, server.listen)  # the X server comes up while shipdesk waits
        later.start()
        try:
            assert display_problem(f"127.0.0.1:{port - 6000}.0", wait_s=10, sleep_s=0.05) == ""
        finally:
            later.cancel()


def test_a_display_form_it_does_not_know_is_left_to_qt():
    assert display_problem("wayland-0", wait_s=0) == ""
