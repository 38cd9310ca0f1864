"""Return label rows in the store: the migration that adds ``return_of`` to a database of the previous schema,
and the rows it numbers and lists beside their shipment."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from shipdesk.core.domain.states import State
from shipdesk.core.store import open_store, returns
from shipdesk.core.store import repository as repo
from shipdesk.core.store.migrations import MIGRATIONS

from .factories import shipment


def test_a_database_of_the_previous_schema_gains_return_of_and_keeps_its_shipments(tmp_path):
    data = tmp_path / "data"
    open_store(data, migrations_to_run=MIGRATIONS[:-1]).close()  # as the shipdesk before return labels left it
    old = sqlite3.connect(data / "shipdesk.db")
    assert "return_of" not in [c[1] for c in old.execute("PRAGMA table_info(shipment)")]
    old.close()
    store = open_store(data)
    try:
        assert store.schema_version == len(MIGRATIONS)
        repo.upsert_shipment(shipment("SH000101"))
        assert repo.get_shipment("SH000101").return_of == ""
        assert [r.return_of for r in repo.list_shipments().rows] == [""]
    finally:
        store.close()
    assert list((data / "backups").glob(f"shipdesk-{len(MIGRATIONS) - 1}-*.db"))


def test_return_rows_are_numbered_per_shipment_ready_for_their_label_and_listed_as_returns(store):
    repo.upsert_shipment(shipment("SH000117"))
    first = returns.add_return("SH000117", [returns.ReturnPackage(Decimal("16"))], order_numbers="")
    second = returns.add_return("SH000117", [returns.ReturnPackage(Decimal("4"), "KG")], order_numbers="RM RM005117")

    assert (first, second) == ("SH000117-R1", "SH000117-R2")
    row = repo.get_shipment(second)
    assert row.state == State.READY.value and row.return_of == "SH000117" and row.order_numbers == "RM RM005117"
    assert row.ship_to_name == repo.get_shipment("SH000117").ship_to_name  # the customer it comes back from
    assert [(p.line_nbr, p.weight, p.uom) for p in repo.packages_of(second)] == [(1, Decimal("4"), "KG")]
    listed = {r.shipment_nbr: r.return_of for r in repo.list_shipments().rows}
    assert listed == {"SH000117": "", "SH000117-R1": "SH000117", "SH000117-R2": "SH000117"}
    assert returns.is_return(first) and not returns.is_return("SH000117")
