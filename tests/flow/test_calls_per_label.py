"""What one label costs on each side, counted by the sandboxes' per-route request counters."""

from __future__ import annotations

SHIPMENT_ROUTE = "/AcumaticaERP/entity/{endpoint}/{version}/Shipment"


def test_a_single_package_label_costs_one_get_one_put_and_one_file_put(sandboxes, make_flow, postgres_url):
    """On the shared store the claim on a shipment lives in the store: Acumatica sees only the label's calls."""
    outcome = make_flow(store_url=postgres_url).ship("SH000101", print_labels=False)  # one package, "ask"

    assert outcome.ok and outcome.written_back
    ups = sandboxes.ups.stats_payload()["requests"]
    assert ups.pop("POST /api/shipments/{version}/ship") == 1
    assert ups.pop("POST /api/addressvalidation/{version}/{requestoption}") == 1  # validated once per label
    assert set(ups) <= {"POST /security/v1/oauth/token"}  # nothing else: no Label Recovery, no tracking
    acumatica = sandboxes.acumatica.stats_payload()["requests"]
    sign_in_out = {k: acumatica.pop(k) for k in list(acumatica) if "/entity/auth/" in k}
    # which Ship Vias run a carrier plug-in: asked at most once an hour, not per label; whether the endpoint lists
    # the fields asked for: once per endpoint
    assert acumatica.pop("GET /AcumaticaERP/entity/{endpoint}/{version}/ShipVia") == 1
    assert acumatica.pop("GET /AcumaticaERP/entity/{endpoint}/{version}/{entity_name}/$adHocSchema") == 1
    assert acumatica == {
        f"GET {SHIPMENT_ROUTE}/{{key}}": 1,  # read fresh before labelling, reused for the write-back
        f"PUT {SHIPMENT_ROUTE}": 1,  # tracking numbers, read back from the PUT's answer
        f"PUT {SHIPMENT_ROUTE}/{{key}}/files/{{filename}}": 1,  # the label file
    }
    assert sign_in_out == {"POST /AcumaticaERP/entity/auth/login": 1, "POST /AcumaticaERP/entity/auth/logout": 1}


def test_without_a_shared_store_a_label_costs_three_more_acumatica_calls(sandboxes, flow):
    """Stations that share nothing but Acumatica: a claim on the shipment (PUT its note, GET it back) before
    the Ship call, and a fresh GET before the write-back (another station may have written meanwhile)."""
    outcome = flow.ship("SH000101", print_labels=False)

    assert outcome.ok and outcome.written_back
    acumatica = sandboxes.acumatica.stats_payload()["requests"]
    assert acumatica[f"GET {SHIPMENT_ROUTE}/{{key}}"] == 1 + 2  # fresh read; claim read back; before write-back
    assert acumatica[f"PUT {SHIPMENT_ROUTE}"] == 1 + 1  # the claim; the tracking numbers (claim removed in it)
    assert acumatica[f"PUT {SHIPMENT_ROUTE}/{{key}}/files/{{filename}}"] == 1
    assert flow.claims.calls == 2  # what the claim itself cost
    assert "[shipdesk claim]" not in sandboxes.acumatica.documents.shipment("SH000101")["note"]


def test_the_only_station_may_turn_the_claim_off_and_save_its_three_calls(sandboxes, make_flow):
    """[station] claim = false (one PC labels for the company): the label costs what it costs on a shared store."""
    outcome = make_flow(claim=False).ship("SH000101", print_labels=False)

    assert outcome.ok and outcome.written_back
    acumatica = sandboxes.acumatica.stats_payload()["requests"]
    assert acumatica[f"GET {SHIPMENT_ROUTE}/{{key}}"] == 1
    assert acumatica[f"PUT {SHIPMENT_ROUTE}"] == 1
    assert "[shipdesk claim]" not in sandboxes.acumatica.documents.shipment("SH000101")["note"]


def test_a_write_back_retry_in_a_later_run_reads_the_shipment_again(sandboxes, flow, monkeypatch):
    from shipdesk.core.shipping import after_label
    from shipdesk.errors import WriteBackProblem

    def acumatica_busy(*_args, **_kw):
        raise WriteBackProblem("Acumatica is busy.")

    with monkeypatch.context() as patch:
        patch.setattr(after_label, "write_back", acumatica_busy)
        assert not flow.ship("SH000101", print_labels=False).written_back
    gets_before = sandboxes.acumatica.stats_payload()["requests"][f"GET {SHIPMENT_ROUTE}/{{key}}"]

    (retried,) = flow.retry_writebacks()

    assert retried.written_back
    # the package rows may have changed since the first run: the retry reads them fresh
    assert sandboxes.acumatica.stats_payload()["requests"][f"GET {SHIPMENT_ROUTE}/{{key}}"] == gets_before + 1
