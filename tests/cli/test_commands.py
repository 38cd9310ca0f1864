"""``shipdesk`` commands as an IT admin runs them: output, JSON, exit codes."""

from __future__ import annotations

import io
import json

import keyring
import pytest

from shipdesk import cli
from shipdesk.acumatica.auth import CookieAuth
from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.cli.output import progress_bar
from shipdesk.cli.parser import build_parser
from shipdesk.core.domain.outcomes import ProgressEvent
from shipdesk.errors import ConfigError, ShipdeskError

#: seeded shipments that cannot be labelled, and why (see shipdesk/sandbox/seed.py)
BAD = {
    "SH000111": "not mapped to a UPS service",
    "SH000115": "Confirmed in Acumatica without a tracking number",
    "SH000116": "already has tracking number",
    "SH000119": "UPS does not know the ship-to address",
    "SH000120": "not sure about the ship-to address",
    "SH000121": "has no weight",
    "SH000122": "Ship-to postal code is empty",
}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_demo_ship_all_ready_labels_every_shippable_shipment(demo_env, capsys):
    code, out, _ = run(capsys, "--demo", "--json", "ship", "--all-ready", "--no-print")

    document = json.loads(out)
    results = {r["shipment_nbr"]: r for r in document["results"]}
    assert code == 1  # SH000119's address is unknown to UPS: listed as failed
    assert {"SH000111", "SH000121", "SH000122"} <= {a["shipment"] for a in document["needs_attention"]}
    labelled = {nbr for nbr, r in results.items() if r["ok"]}
    assert len(labelled) >= 15 and not labelled & set(BAD)
    assert demo_env.ups.stats_payload()["labels_created"] == sum(len(results[n]["tracking_numbers"]) for n in labelled)
    with AcumaticaClient(url=demo_env.acumatica_url, version="24.200.001",
                         auth=CookieAuth("admin", "demo", "Demo")) as acu:
        for nbr in labelled:
            shipment = acu.get_shipment(nbr)
            assert sorted(shipment.tracking_numbers) == sorted(results[nbr]["tracking_numbers"])
            files = " ".join(f.filename for f in shipment.files)
            assert all(f"Label #{t}.gif" in files for t in shipment.tracking_numbers)

    code, out, _ = run(capsys, "--demo", "--json", "list", "--state", "needs_attention")
    reasons = {row["shipment_nbr"]: row["attention_reason"] for row in json.loads(out)["shipments"]}
    assert code == 0
    for nbr, why in BAD.items():
        assert why in reasons[nbr], nbr


def test_ship_named_shipments_prints_one_line_each(demo_env, capsys):
    code, out, _ = run(capsys, "--demo", "ship", "SH000101", "SH000111", "--no-print")
    assert code == 1
    assert "OK   SH000101: Shipment SH000101 labelled: 1Z" in out
    assert "FAIL SH000111: Ship Via FEDEXGROUND is not mapped to a UPS service" in out
    assert "1 of 2 shipments labelled." in out


def test_ping_reports_both_sides_and_todays_token_grants(demo_env, capsys):
    code, out, _ = run(capsys, "--demo", "--json", "ping")
    report = json.loads(out)
    assert code == 0
    assert report["acumatica"]["ok"] and "24.200.001" in report["acumatica"]["versions"]
    assert report["ups"]["ok"] and report["ups"]["tokens_granted_today"] == 1


def test_void_and_rate_and_validate(demo_env, capsys):
    assert run(capsys, "--demo", "ship", "SH000101", "--no-print")[0] == 0
    code, out, _ = run(capsys, "--demo", "void", "SH000101")
    assert code == 0 and "Shipment SH000101 voided" in out
    code, out, _ = run(capsys, "--demo", "--json", "rate", "SH000102", "--shop")
    assert code == 0 and len(json.loads(out)["quotes"]) > 1
    code, out, _ = run(capsys, "--demo", "validate", "SH000102")
    assert code == 0 and "address valid" in out
    code, out, _ = run(capsys, "--demo", "validate", "SH000119")
    assert code == 1 and "no candidates" in out


def test_validate_choose_zero_is_refused_not_taken_for_a_new_validation(demo_env, capsys):
    code, out, err = run(capsys, "--demo", "validate", "SH000120", "--choose", "0")
    assert code == 1 and "has no address candidate 0" in err and "--choose N" not in out


def test_an_unexpected_error_is_one_sentence_on_screen_and_a_traceback_in_the_log(isolated_dirs, monkeypatch, capsys):
    import logging

    from shipdesk.cli import commands
    from shipdesk.core.settings.paths import DataPaths

    def broken(args):
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(commands, "run_command", broken)
    try:
        code, out, err = run(capsys, "list")
    finally:
        for handler in logging.getLogger().handlers:
            handler.flush()

    assert code == 1 and "Traceback" not in out + err
    assert err.startswith("shipdesk: ") and "disk I/O error" in err and "shipdesk-cli.log" in err
    logged = (DataPaths.default().logs / "shipdesk-cli.log").read_text(encoding="utf-8")
    assert "Traceback" in logged and "RuntimeError: disk I/O error" in logged


@pytest.mark.parametrize(("error", "exit_code"), [(ConfigError("The config file is broken."), 2),
                                                 (ShipdeskError("Acumatica refused the shipment."), 1)])
def test_an_expected_error_is_one_sentence_on_screen_and_its_traceback_in_the_log(isolated_dirs, monkeypatch,
                                                                                 capsys, error, exit_code):
    import logging

    from shipdesk.cli import commands
    from shipdesk.core.settings.paths import DataPaths

    def failing(args):
        raise error

    monkeypatch.setattr(commands, "run_command", failing)
    try:
        code, out, err = run(capsys, "list")
    finally:
        for handler in logging.getLogger().handlers:
            handler.flush()

    assert code == exit_code and "Traceback" not in out + err and err.startswith(f"shipdesk: {error}")
    logged = (DataPaths.default().logs / "shipdesk-cli.log").read_text(encoding="utf-8")
    assert "Traceback" in logged and f"{type(error).__name__}: {error}" in logged


def test_credentials_are_read_from_stdin_and_never_echoed(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-value\n"))
    code, out, err = run(capsys, "credentials", "set", "ups.client_secret")
    assert code == 0 and "Stored ups.client_secret" in out
    assert "s3cret-value" not in out + err
    assert keyring.get_password("shipdesk", "ups.client_secret") == "s3cret-value"

    assert run(capsys, "credentials", "clear", "ups.client_secret")[0] == 0
    assert keyring.get_password("shipdesk", "ups.client_secret") is None


def test_unknown_secret_name_is_a_usage_error(capsys):
    code, _, err = run(capsys, "credentials", "set", "ups.password")
    assert code == 2 and "'ups.password' is not a secret shipdesk uses" in err


def test_answers_of_an_unexpected_shape_stop_only_their_shipment_and_json_is_still_printed(demo_env, capsys):
    """HTML where UPS's answer belongs, a bare JSON string where Acumatica's record belongs (issue 12.7)."""
    demo_env.ups.add_fault(route="/api/shipments/", raw_body="<html><body>502 Bad Gateway</body></html>", count=1)
    demo_env.acumatica.add_fault(route="/AcumaticaERP/entity/Default/24.200.001/Shipment/SH000105", body="oops",
                                 count=1)
    demo_env.acumatica.add_fault(route="/AcumaticaERP/entity/Default/24.200.001/Shipment/SH000118",
                                 raw_body='{"id": "9b1a", "ShipmentNbr": {"val', content_type="application/json",
                                 count=1)

    code, out, _ = run(capsys, "--demo", "--json", "ship", "SH000101", "SH000105", "SH000118", "SH000132",
                       "--no-print")

    results = {r["shipment_nbr"]: r for r in json.loads(out)["results"]}
    assert code == 1 and set(results) == {"SH000101", "SH000105", "SH000118", "SH000132"}
    assert not results["SH000101"]["ok"] and "may or may not have made a label" in results["SH000101"]["message"]
    for nbr in ("SH000105", "SH000118"):
        assert not results[nbr]["ok"] and "Acumatica" in results[nbr]["message"], results[nbr]["message"]
    assert results["SH000132"]["ok"]  # the batch went on


@pytest.mark.parametrize("argv", [["ship"], ["ship", "SH000101", "--all-ready"],
                                  ["ship", "--all-ready", "--force-new-label"]])
def test_ship_usage_errors_exit_2(demo_env, capsys, argv):
    code, _, err = run(capsys, "--demo", *argv)
    assert code == 2 and err.startswith("shipdesk: ")


def test_unconfigured_install_says_what_to_do(capsys):
    code, _, err = run(capsys, "ping")
    assert code == 2 and "not configured yet" in err and "--demo" in err


def test_sync_hands_the_commands_context_to_the_sync_service(demo_env, capsys, monkeypatch):
    calls = []

    def fake_run_sync(context, *, once, as_json=False, write=None):
        calls.append((context.demo, once, as_json))
        write("one cycle")
        return 1

    monkeypatch.setattr("shipdesk.cli.commands.tracking.run_sync", fake_run_sync)
    code, out, _ = run(capsys, "--demo", "--json", "sync", "--once")
    assert code == 1 and out == "one cycle\n"  # the sync's lines go to the command's output
    assert calls == [(True, True, True)]


def test_progress_bar_counts_shipments():
    stream = io.StringIO()
    show = progress_bar(stream)
    show(ProgressEvent("SH000101", "done", 1, 2))
    show(ProgressEvent("SH000102", "done", 2, 2))
    assert "1/2 SH000101" in stream.getvalue() and stream.getvalue().endswith("\n")
    assert "[" + "#" * 30 + "]" in stream.getvalue()


def test_ping_with_a_real_config_says_which_side_is_wrong(started_sandboxes, isolated_dirs, monkeypatch, capsys):
    from shipdesk.core.settings.config import save_config
    from shipdesk.demo.settings import demo_config

    config = demo_config(started_sandboxes.acumatica_url, started_sandboxes.ups_url)
    save_config(isolated_dirs / "config.toml", config)
    monkeypatch.setenv("SHIPDESK_ACUMATICA_PASSWORD", "demo")
    monkeypatch.setenv("SHIPDESK_UPS_CLIENT_SECRET", "wrong-secret")

    code, out, _ = run(capsys, "ping")

    assert code == 1
    acumatica, ups, store = out.splitlines()
    assert acumatica.startswith("Acumatica: OK.")
    assert ups.startswith("UPS: FAILED.") and "wrong-secret" not in out
    assert store.startswith("Store: OK. this PC's database") and "this station is" in store


def test_ping_without_a_stored_secret_is_a_configuration_error(started_sandboxes, isolated_dirs, capsys):
    from shipdesk.core.settings.config import save_config
    from shipdesk.demo.settings import demo_config

    save_config(isolated_dirs / "config.toml", demo_config(started_sandboxes.acumatica_url, started_sandboxes.ups_url))
    code, out, _ = run(capsys, "--json", "ping")
    report = json.loads(out)
    assert code == 2
    assert "shipdesk credentials set acumatica.password" in report["acumatica"]["message"]


def test_correct_confirmed_follows_the_config_unless_the_flag_says_otherwise(demo_env, capsys):
    parse = build_parser().parse_args
    assert parse(["ship", "SH000115"]).correct_confirmed is None  # None: the admin's setting decides
    assert parse(["ship", "SH000115", "--no-correct-confirmed"]).correct_confirmed is False

    code, out, _ = run(capsys, "--demo", "--json", "ship", "SH000115", "--no-print")
    assert code == 1 and json.loads(out)["results"][0]["state"] == "needs_attention"  # demo config: off

    code, out, _ = run(capsys, "--demo", "--json", "ship", "SH000115", "--no-print", "--correct-confirmed")
    (result,) = json.loads(out)["results"]
    assert code == 0 and result["state"] == "written_back"


def test_json_may_follow_the_command_name(demo_env, capsys):
    code, out, _ = run(capsys, "--demo", "list", "--json")
    assert code == 0 and "shipments" in json.loads(out)
    code, out, _ = run(capsys, "--demo", "list")  # not given after the command: sentences, as asked before it
    assert code == 0 and out.endswith(("shipment.\n", "shipments.\n"))


def test_demo_return_makes_print_and_electronic_return_labels(demo_env, capsys):
    code, out, _ = run(capsys, "--demo", "--json", "return", "SH000117", "--no-print")
    printed = json.loads(out)
    assert code == 0 and printed["ok"] and printed["shipment_nbr"] == "SH000117-R1"
    assert "written to shipment SH000117" in printed["message"]

    code, out, _ = run(capsys, "--demo", "return", "SH000117", "--email", "back@customer.example")
    assert code == 0 and "emailed by UPS" in out
    with demo_env.ups.lock:
        emailed = [r for r in demo_env.ups.shipments.values() if r.return_service == "8"]
    assert [r.label_email for r in emailed] == ["back@customer.example"]

    code, out, _ = run(capsys, "--demo", "return", "SH000101")
    assert code == 1 and "has not shipped yet" in out
