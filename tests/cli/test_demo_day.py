"""``shipdesk --demo`` commands share one demo day until ``shipdesk --demo reset`` (the README's try-it)."""

from __future__ import annotations

import json
import os

import pytest
import requests

from shipdesk import cli
from shipdesk.demo.day import day_folder, end_day
from shipdesk.demo.launcher import ACUMATICA_URL_ENV, UPS_URL_ENV


@pytest.fixture
def data_dir(isolated_dirs, monkeypatch):
    """No running sandboxes named: ``--demo`` starts (or finds) the demo day; it is ended after the test."""
    monkeypatch.delenv(ACUMATICA_URL_ENV, raising=False)
    monkeypatch.delenv(UPS_URL_ENV, raising=False)
    data = isolated_dirs / "data"
    yield data
    end_day(data)


def run(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


def test_a_label_bought_by_one_demo_command_is_listed_by_the_next(data_dir, capsys):
    code, out = run(capsys, "--demo", "--json", "ship", "SH000101", "--no-print")
    assert code == 0 and json.loads(out)["results"][0]["state"] == "written_back"

    code, out = run(capsys, "--demo", "--json", "list")
    rows = {r["shipment_nbr"]: r["state"] for r in json.loads(out)["shipments"]}
    assert code == 0 and rows["SH000101"] == "written_back"
    ups_url = json.loads((day_folder(data_dir) / "sandboxes.json").read_text(encoding="utf-8"))["ups_url"]
    run(capsys, "--demo", "ship", "SH000101", "--no-print")  # the same day: UPS already made its label
    stats = requests.get(ups_url + "/_sandbox/stats", timeout=5).json()
    assert stats["labels_created"] == 1  # SH000101 has one package

    code, out = run(capsys, "--demo", "reset")
    assert code == 0 and "starts the seeded day again" in out
    with pytest.raises(requests.ConnectionError):  # the day's sandboxes stopped with it
        requests.get(ups_url + "/_sandbox/clock", timeout=2)
    code, out = run(capsys, "--demo", "--json", "list")
    assert code == 0 and json.loads(out)["shipments"] == []  # the seeded day again, nothing labelled


def test_reset_without_demo_touches_nothing(data_dir, capsys):
    code = cli.main(["reset"])
    assert code == 2 and "--demo reset" in capsys.readouterr().err
    assert not os.path.exists(day_folder(data_dir))


def test_a_demo_day_no_command_uses_ends_by_itself(tmp_path, monkeypatch):
    """The day process is never left running for ever: unused for IDLE_STOP_S, it removes its file and ends."""
    import threading

    from shipdesk.demo import day

    monkeypatch.setattr(day, "WATCH_S", 0.02)
    monkeypatch.setattr(day, "IDLE_STOP_S", 0.3)
    monkeypatch.setattr(day.signal, "signal", lambda *_: None)  # serve() runs on a thread here, not as a process
    folder = tmp_path / "demo-day"
    folder.mkdir()
    serving = threading.Thread(target=day.serve, args=(folder,), daemon=True)
    serving.start()
    serving.join(timeout=30)

    assert not serving.is_alive()
    assert not (folder / day.DAY_FILE).exists()
