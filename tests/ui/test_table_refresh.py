"""A refresh changes only the rows a new listing changes: in place, inserted where the sort puts them,
removed; the person's selection and current row stay. Checked with Qt's own model tester."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from shipdesk.core.domain.states import State
from shipdesk.ui.view_data import Col, Listing, Row
from shipdesk.ui.window.shipments_table import ShipmentsTable
from shipdesk.ui.window.shipments_table_model import (
    MAX_ROW_SIGNALS,
    MAX_RUNS,
    ShipmentsFilterModel,
    ShipmentsTableModel,
    row_runs,
)
from shipdesk.ui.window.table_rows import prepare
from tests.ui.fakes import generated_rows

N = 300


class Signals:
    """How the table told the view what changed."""

    def __init__(self, model: ShipmentsTableModel | ShipmentsFilterModel) -> None:
        self.seen: list[str] = []
        for name in ("modelReset", "rowsInserted", "rowsRemoved", "dataChanged", "layoutChanged"):
            getattr(model, name).connect(lambda *_args, name=name: self.seen.append(name))


@pytest.fixture
def table(qtbot):
    table = ShipmentsTable()
    qtbot.addWidget(table.table)
    for model in (table.model, table.proxy):  # Qt's checks of every signal against the model's answers
        QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning, table)
    rows = generated_rows(N)
    table.show_listing(Listing(rows, {}))
    table.table.resize(900, 600)
    table.table.show()
    return table


def shown(table: ShipmentsTable) -> list[str]:
    proxy = table.proxy
    return [proxy.data(proxy.index(i, Col.SHIPMENT)) for i in range(proxy.rowCount())]


def changed(rows: list[Row], shipment: str, **values: object) -> list[Row]:
    return [r._replace(**values) if r.shipment == shipment else r for r in rows]


def select(table: ShipmentsTable, *shipments: str) -> None:
    table.select_shipments(shipments)


@pytest.fixture(autouse=True)
def no_model_warnings(qtlog):
    yield
    problems = [r.message for r in qtlog.records if "QAbstractItemModelTester" in r.message or "FAIL" in r.message]
    assert not problems


def test_a_changed_row_updates_in_place(table):
    select(table, "SH000010", "SH000011")
    signals = Signals(table.proxy)
    rows = changed(generated_rows(N), "SH000011", state=State.DELIVERED.value, last_event="Delivered")
    table.show_listing(Listing(rows, {}))
    assert signals.seen == ["dataChanged"]
    row = table.model.row_of("SH000011")
    assert row == 11
    assert table.model.data(table.model.index(row, Col.LAST_EVENT)) == "Delivered"
    assert table.current_shipment() == "SH000010"
    assert sorted(table.selected_shipments()) == ["SH000010", "SH000011"]


def test_an_added_row_appears_in_sort_order(table):
    table.table.sortByColumn(Col.SHIPMENT, Qt.SortOrder.DescendingOrder)
    select(table, "SH000050")
    rows = generated_rows(N)
    new = rows[0]._replace(shipment="SH000050A", customer="Newcomer")
    signals = Signals(table.proxy)
    table.show_listing(Listing([*rows, new], {}))
    assert signals.seen == ["rowsInserted"]
    listed = shown(table)
    assert listed[listed.index("SH000050A") + 1] == "SH000050"  # descending: just before SH000050
    assert table.current_shipment() == "SH000050"
    assert table.selected_shipments() == ["SH000050"]


def test_a_removed_row_disappears_and_the_others_stay_selected(table):
    select(table, "SH000020", "SH000021", "SH000022")
    rows = [r for r in generated_rows(N) if r.shipment != "SH000021"]
    signals = Signals(table.proxy)
    table.show_listing(Listing(rows, {}))
    assert signals.seen == ["rowsRemoved"]
    assert "SH000021" not in shown(table)
    assert table.model.row_of("SH000021") == -1
    assert table.model.row_of("SH000022") == 21
    assert table.current_shipment() == "SH000020"
    assert sorted(table.selected_shipments()) == ["SH000020", "SH000022"]


def test_a_row_whose_sorted_value_changes_moves(table):
    table.table.sortByColumn(Col.CUSTOMER, Qt.SortOrder.AscendingOrder)
    select(table, "SH000007")
    rows = changed(generated_rows(N), "SH000007", customer="AAA First Customer")
    table.show_listing(Listing(rows, {}))
    assert shown(table)[0] == "SH000007"
    assert table.current_shipment() == "SH000007"


def test_a_row_leaving_the_state_filter_leaves_the_list(table):
    table.select_group("ready")
    ready = shown(table)
    rows = changed(generated_rows(N), ready[1], state=State.LABELLED.value, tracking="1ZNEW")
    select(table, ready[2])
    table.show_listing(Listing(rows, {}))
    assert shown(table) == [ready[0], *ready[2:]]
    assert table.current_shipment() == ready[2]


def test_when_most_rows_change_the_table_is_reset_and_keeps_the_selection(table):
    select(table, "SH000030")
    rows = [r._replace(customer=r.customer + " Ltd") for r in generated_rows(N)]
    signals = Signals(table.proxy)
    table.show_listing(Listing(rows, {}))
    assert "modelReset" in signals.seen
    assert table.model.data(table.model.index(30, Col.CUSTOMER)).endswith(" Ltd")
    assert table.current_shipment() == "SH000030"


def test_a_diff_made_against_older_rows_is_shown_in_full(table):
    """Two listings diffed on workers against the same rows: the second is not applied as a change."""
    first = changed(generated_rows(N), "SH000001", customer="First")
    second = changed(generated_rows(N), "SH000002", customer="Second")
    held = table.model.held()
    one, two = prepare(held, first), prepare(held, second)
    table.show_listing(Listing(first, {}), one)
    table.show_listing(Listing(second, {}), two)
    model = table.model
    assert model.data(model.index(model.row_of("SH000001"), Col.CUSTOMER)) != "First"
    assert model.data(model.index(model.row_of("SH000002"), Col.CUSTOMER)) == "Second"


@pytest.mark.parametrize("sort", [(Col.SHIPMENT, Qt.SortOrder.AscendingOrder),
                                  (Col.STATE, Qt.SortOrder.DescendingOrder), (Col.WEIGHT, Qt.SortOrder.AscendingOrder)])
@pytest.mark.parametrize("edits", [3, MAX_ROW_SIGNALS * 2])
def test_many_refreshes_show_what_a_fresh_table_shows(table, sort, edits):
    """Rows changed, added and removed at random, under a filter and a sort: the table ends up as a new
    table given the last listing would be, and the selected shipments still there stay selected."""
    rng = random.Random(14 + edits)
    table.table.sortByColumn(*sort)
    table.set_search("customer 1")
    rows = generated_rows(120)
    table.show_listing(Listing(list(rows), {}))
    states = [s.value for s in State]
    for _ in range(4):
        picked = rng.sample(shown(table), 4)
        select(table, *picked)
        for _ in range(edits):
            i = rng.randrange(len(rows))
            what = rng.random()
            if what < 0.4:
                rows[i] = rows[i]._replace(state=rng.choice(states), weight=float(rng.randrange(1, 50)))
            elif what < 0.7:
                rows.append(rows[i]._replace(shipment=f"NEW{rng.randrange(10**6):06d}",
                                             customer=f"Customer 1{rng.randrange(99)}"))
            else:
                del rows[i]
        rows = list({r.shipment: r for r in rows}.values())
        table.show_listing(Listing(list(rows), {}))
        fresh = ShipmentsTable()
        fresh.table.sortByColumn(*sort)
        fresh.show_listing(Listing(list(rows), {}))
        fresh.set_search("customer 1")
        assert sorted(shown(table)) == sorted(shown(fresh))
        assert [table.model.rows()[i][sort[0]] for i in range(table.model.rowCount())] == [
            fresh.model.rows()[i][sort[0]] for i in range(fresh.model.rowCount())]
        still = {s for s in picked if s in shown(table)}
        assert set(table.selected_shipments()) == still
        for shipment in shown(table):
            assert table.model.shipment_at(table.model.row_of(shipment)) == shipment
        fresh.table.deleteLater()


def test_rows_changed_far_apart_repaint_only_themselves(table):
    """A sync changes rows all over the list: the view is told each changed row (or run of neighbours), so it
    repaints those, not every row shown between the first and the last."""
    rows = generated_rows(N)
    told: list[tuple[int, int]] = []
    table.proxy.dataChanged.connect(lambda first, last, *_: told.append((first.row(), last.row())))
    first, far = shown(table)[2], shown(table)[40]
    update = changed(changed(rows, first, last_event="Delivered"), far, last_event="Delivered")
    table.show_listing(Listing(update, {}))
    assert sorted(told) == [(2, 2), (40, 40)]


def test_changed_rows_are_told_in_runs_and_as_one_range_when_scattered_everywhere():
    assert row_runs([1, 2, 3, 9, 11, 12]) == [(1, 3), (9, 9), (11, 12)]
    assert row_runs([]) == []
    scattered = list(range(0, 4 * MAX_RUNS, 2))  # more runs than signals are worth
    assert row_runs(scattered) == [(0, scattered[-1])]
