"""The command-line papercuts a new user meets first (issue 13, item 14), each as that user meets it."""

from __future__ import annotations

import io
import json
import signal
from datetime import UTC, datetime

from shipdesk import cli
from shipdesk.acumatica.auth import CookieAuth
from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.core.tracking.cycle_report import CycleReport


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_with_json_an_error_that_stops_the_command_is_a_json_object_on_stdout(demo_env, capsys):
    code, out, err = run(capsys, "--demo", "--json", "ship")  # neither shipments nor --all-ready
    assert code == 2 and err.startswith("shipdesk: ")
    document = json.loads(out)
    assert document["exit_code"] == 2 and "--all-ready" in document["error"]

    code, out, _ = run(capsys, "--demo", "reprint", "SH000101", "--json")  # --json after the command too
    assert code == 1 and "SH000101" in json.loads(out)["error"]


def test_without_json_an_error_prints_nothing_on_stdout(demo_env, capsys):
    code, out, err = run(capsys, "--demo", "ship")
    assert code == 2 and out == "" and err.startswith("shipdesk: ")


def test_a_misspelled_config_path_says_the_file_is_not_found(tmp_path, capsys):
    missing = tmp_path / "shipdsk.toml"
    code, _, err = run(capsys, "--config", str(missing), "ping")
    assert code == 2 and f"{missing} was not found" in err and "not configured yet" not in err


def test_a_config_file_that_exists_but_is_empty_is_still_not_configured_yet(tmp_path, capsys):
    empty = tmp_path / "shipdesk.toml"
    empty.write_text("", encoding="utf-8")
    code, _, err = run(capsys, "--config", str(empty), "ping")
    assert code == 2 and "not configured yet" in err


def test_list_state_accepts_what_the_table_shows(demo_env, capsys):
    run(capsys, "--demo", "ship", "SH000101", "--no-print")
    code, out, _ = run(capsys, "--demo", "list")
    assert code == 0 and "Labelled" in out and "SH000101" in out

    for asked in ("labelled", "Labelled", "written_back", "LABELLED"):
        code, out, _ = run(capsys, "--demo", "--json", "list", "--state", asked)
        assert code == 0 and [r["shipment_nbr"] for r in json.loads(out)["shipments"]] == ["SH000101"], asked
    code, out, _ = run(capsys, "--demo", "--json", "list", "--state", "Ready to ship")
    assert code == 0 and "SH000101" not in {r["shipment_nbr"] for r in json.loads(out)["shipments"]}
    code, out, _ = run(capsys, "--demo", "--json", "list", "--state", "needs attention")
    assert code == 0

    code, _, err = run(capsys, "--demo", "list", "--state", "shipped")
    assert code == 2 and "'shipped' is not a state" in err and "Needs attention" in err


def test_reprint_of_an_unknown_shipment_says_it_is_unknown(demo_env, capsys):
    code, _, err = run(capsys, "--demo", "reprint", "SH009999")
    assert code == 1 and "SH009999 is not in the local list" in err and "Ship it first" not in err

    run(capsys, "--demo", "pull")
    code, _, err = run(capsys, "--demo", "reprint", "SH000101")  # known, not labelled yet
    assert code == 1 and "Ship it first" in err


class ClosedPipe(io.StringIO):
    """stdout whose reader went away (`shipdesk list | head`)."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_reader_that_stops_reading_gets_no_traceback(demo_env, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdout", ClosedPipe())
    code = cli.main(["--demo", "list"])
    err = capsys.readouterr().err
    assert code == 141 and "Traceback" not in err and "unexpected error" not in err and "Broken" not in err


def test_the_sync_summary_counts_the_write_backs_it_finished():
    report = CycleReport(started_at=datetime(2026, 12, 7, tzinfo=UTC), pulled=3, written_back=2)
    assert "2 written back" in report.summary()
    assert "written back" not in CycleReport(started_at=datetime(2026, 12, 7, tzinfo=UTC)).summary()



def test_ship_all_ready_finishes_labels_an_earlier_run_left_unwritten(demo_env, capsys):
    files = "/AcumaticaERP/entity/Default/24.200.001/Shipment/SH000105/files"
    demo_env.acumatica.add_fault(files, status=500)  # the labels cannot be attached: labelled, not written back
    code, out, _ = run(capsys, "--demo", "--json", "ship", "SH000105", "--no-print")
    (first,) = json.loads(out)["results"]
    assert code == 1 and first["state"] == "labelled"
    run(capsys, "--demo", "ship", "--all-ready", "--no-print")  # labels the rest of the day (SH000119 fails)

    code, out, _ = run(capsys, "--demo", "--json", "ship", "--all-ready", "--no-print")
    document = json.loads(out)
    assert document["results"] == []  # nothing is ready any more...
    assert code == 1  # ...but SH000105's label is still not in Acumatica
    assert [(o["shipment_nbr"], o["state"]) for o in document["earlier_runs"]] == [("SH000105", "labelled")]

    demo_env.acumatica.clear_faults()  # Acumatica is well again
    code, out, _ = run(capsys, "--demo", "ship", "--all-ready", "--no-print")
    assert code == 0 and "Earlier run: OK   SH000105" in out
    with AcumaticaClient(url=demo_env.acumatica_url, version="24.200.001",
                         auth=CookieAuth("admin", "demo", "Demo")) as acu:
        assert sorted(acu.get_shipment("SH000105").tracking_numbers) == sorted(first["tracking_numbers"])


def test_one_ctrl_c_during_ship_stops_after_the_current_shipment_and_exits_130(demo_env, capsys, monkeypatch):
    from shipdesk.core.shipping.flow import ShipFlow

    ship_many = ShipFlow.ship_many

    def pressed_ctrl_c_after_the_first(self, nbrs, cancel, progress=None, **options):
        outcomes = ship_many(self, nbrs[:1], cancel, progress, **options)
        signal.raise_signal(signal.SIGINT)  # the person presses Ctrl+C once while the first label is made
        return outcomes + ship_many(self, nbrs[1:], cancel, progress, **options)

    monkeypatch.setattr(ShipFlow, "ship_many", pressed_ctrl_c_after_the_first)
    code, out, err = run(capsys, "--demo", "--json", "ship", "SH000101", "SH000102", "--no-print")
    document = json.loads(out)
    assert document["cancelled"] and [r["shipment_nbr"] for r in document["results"]] == ["SH000101"]
    assert code == 130 and "Stopping after the current shipment" in err
