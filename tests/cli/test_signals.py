"""How a command stops: which signals, what they raise, the steps they wait for, a closing Windows console."""

from __future__ import annotations

import signal

import pytest

from shipdesk.acumatica.auth import CookieAuth
from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.cli import signals
from shipdesk.stopping import SessionClosed, Terminated, critical, pending, request_stop


def test_a_stop_outside_a_critical_step_is_raised_at_once():
    with pytest.raises(KeyboardInterrupt):
        request_stop(KeyboardInterrupt())


def test_a_stop_during_a_critical_step_waits_for_its_end():
    finished = []
    with pytest.raises(Terminated), critical():
        request_stop(Terminated("SIGTERM", 15))
        assert pending()
        finished.append("sign-out")  # the step goes on to its end...
    assert finished == ["sign-out"] and not pending()  # ...then the stop is raised


def test_a_second_stop_during_a_critical_step_is_raised_at_once():
    reached = []
    with pytest.raises(KeyboardInterrupt), critical():
        request_stop(KeyboardInterrupt())
        request_stop(KeyboardInterrupt())  # Ctrl+C twice: now
        reached.append("after")
    assert reached == [] and not pending()


@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGHUP", 129)])
def test_other_signals_end_the_command_with_128_plus_the_signal(name, code):
    number = getattr(signal, name, None)
    if number is None:
        pytest.skip(f"no {name} here")
    with pytest.raises(Terminated) as stopped:
        signals.on_signal(number, None)
    assert isinstance(stopped.value, KeyboardInterrupt) and stopped.value.exit_code == code


def test_the_handlers_are_installed_for_the_command_and_put_back_after():
    before = signal.getsignal(signal.SIGTERM)
    with signals.stop_on_signals():
        assert signal.getsignal(signal.SIGTERM) is signals.on_signal
        assert signal.getsignal(signal.SIGINT) is signals.on_signal
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_closing_windows_console_signs_out_every_open_session(sandboxes):
    """Windows ends the process when its console control handler returns; Python has no signal for it."""
    client = AcumaticaClient(url=sandboxes.acumatica_url, version="24.200.001",
                             auth=CookieAuth("admin", "demo", "Demo"))
    with client:
        client.login()
        assert sandboxes.acumatica.stats_payload()["sessions_open"] == 1

        assert signals.console_event(signals.CTRL_CLOSE_EVENT) is True

        assert sandboxes.acumatica.stats_payload()["sessions_open"] == 0
        with pytest.raises(SessionClosed):  # the work still running fails, it never signs in again
            client.get_shipment("SH000101")
    assert signals.console_event(0) is False  # Ctrl+C: Python's own SIGINT handles it
    assert sandboxes.acumatica.stats_payload()["logins"] == 1


def test_a_person_is_told_when_the_stop_waits_for_a_sign_in(capsys):
    with signals.stop_on_signals(), pytest.raises(KeyboardInterrupt), critical():
        signals.on_signal(signal.SIGINT, None)
        assert signals.STOPPING_AFTER_THE_STEP in capsys.readouterr().err
