"""The shipments table model and its filter, at warehouse scale (20,000 rows)."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt

from shipdesk.core.domain.states import State
from shipdesk.ui.view_data import Col
from shipdesk.ui.window.shipments_table_model import ShipmentsFilterModel, ShipmentsTableModel, StateRole
from shipdesk.ui.window.state_groups import GROUPS, group_counts
from tests.ui.fakes import generated_rows

N = 20_000


@pytest.fixture(scope="module")
def rows():
    return generated_rows(N)


@pytest.fixture
def models(qapp, rows):
    model = ShipmentsTableModel()
    model.set_rows(rows)
    proxy = ShipmentsFilterModel()
    proxy.setSourceModel(model)
    return model, proxy


def test_every_row_is_there(models):
    model, proxy = models
    assert model.rowCount() == N
    assert proxy.rowCount() == N
    assert model.columnCount() == len(Col)


def test_cells_show_what_a_user_reads(models):
    model, _ = models
    row = model.row_of("SH000002")  # a needs-attention row
    state_cell = model.index(row, Col.STATE)
    assert model.data(state_cell) == "Needs attention"
    assert model.data(state_cell, StateRole) == "needs_attention"
    assert model.data(state_cell, Qt.ItemDataRole.BackgroundRole) is not None  # amber, not plain
    assert model.data(model.index(row, Col.WEIGHT)) == "3.5"
    assert model.headerData(Col.SERVICE, Qt.Orientation.Horizontal) == "Ship Via → UPS"


def test_a_painted_cell_gets_every_role_in_one_call_with_the_values_data_gives(models):
    """The view's delegate asks ``multiData`` (one call into Python per cell); it must say what ``data()``
    says for each role, through the filter too, or the table would look different from what it holds."""
    from PySide6.QtCore import QModelRoleData

    model, proxy = models
    proxy.set_search("sh00000")  # the filter maps proxy rows to other source rows
    roles = [int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole,
                              Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole,
                              Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.CheckStateRole,
                              Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole, StateRole)]
    for source in (model, proxy):
        for row in range(3):
            for col in Col:
                index = source.index(row, col)
                asked = [QModelRoleData(role) for role in roles]
                for one in asked:
                    source.multiData(index, one)
                assert [a.data() for a in asked] == [source.data(index, role) for role in roles], (row, col)
    state = proxy.index(1, Col.STATE)
    colour = QModelRoleData(int(Qt.ItemDataRole.BackgroundRole))
    proxy.multiData(state, colour)
    assert colour.data() is not None  # the state's colour, not plain


def test_state_filter_shows_only_that_group(models, rows):
    _, proxy = models
    attention = next(g for g in GROUPS if g.key == "attention")
    proxy.set_states(attention.states)
    expected = sum(1 for r in rows if r[Col.STATE] == "needs_attention")
    assert proxy.rowCount() == expected > 0
    assert {proxy.data(proxy.index(i, Col.STATE), StateRole) for i in range(proxy.rowCount())} == {
        "needs_attention"}
    proxy.set_states(None)
    assert proxy.rowCount() == N


def test_search_matches_every_word_case_insensitively(models, rows):
    _, proxy = models
    proxy.set_search("ZÜRICH")
    in_zurich = sum(1 for r in rows if r[Col.CITY] == "Zürich")
    assert proxy.rowCount() == in_zurich > 0
    proxy.set_search("zürich  Customer")
    assert proxy.rowCount() == in_zurich  # every Zürich row has a "Customer ..." name
    proxy.set_search("zürich atlanta")  # no row is in both cities
    assert proxy.rowCount() == 0
    proxy.set_search("SH019999")
    assert proxy.rowCount() == 1
    assert proxy.data(proxy.index(0, Col.SHIPMENT)) == "SH019999"
    proxy.set_search("no such thing")
    assert proxy.rowCount() == 0


def test_search_and_state_filter_combine(models, rows):
    _, proxy = models
    proxy.set_states({"delivered"})
    proxy.set_search("austin")
    expected = [r for r in rows if r[Col.STATE] == "delivered" and r[Col.CITY] == "Austin"]
    assert proxy.rowCount() == len(expected) > 0


def test_tracking_number_search_finds_the_shipment(models, rows):
    model, proxy = models
    shipped = next(r for r in rows if r[Col.TRACKING])
    proxy.set_search(shipped[Col.TRACKING].lower())
    assert proxy.rowCount() == 1
    assert model.find_by_tracking(shipped[Col.TRACKING]) == model.row_of(shipped[Col.SHIPMENT])


def test_sorting_by_weight_descending_puts_the_heaviest_first(models, rows):
    model, proxy = models
    proxy.sort(Col.WEIGHT, Qt.SortOrder.DescendingOrder)
    heaviest = max(r[Col.WEIGHT] for r in rows)
    assert model.rows()[0][Col.WEIGHT] == heaviest
    assert float(proxy.data(proxy.index(0, Col.WEIGHT))) == heaviest
    # the lookup index follows the new order
    assert model.shipment_at(model.row_of("SH000123")) == "SH000123"


def test_refresh_keeps_the_sort_order(models):
    model, proxy = models
    proxy.sort(Col.SHIPMENT, Qt.SortOrder.DescendingOrder)
    model.set_rows(generated_rows(100))
    assert model.rowCount() == 100
    assert model.rows()[0][Col.SHIPMENT] == "SH000099"


def test_group_counts_fold_states_into_the_left_list(rows):
    counts = Counter(r[Col.STATE] for r in rows)
    groups = group_counts(counts)
    assert groups["all"] == N
    assert groups["ready"] == counts["ready"] + counts["pending"]
    assert groups["problem"] == counts["uncertain"] + counts["failed"]
    assert sum(v for k, v in groups.items() if k != "all") == N


def test_every_state_belongs_to_one_group():
    for state in State:
        owners = [g.key for g in GROUPS if g.states and state.value in g.states]
        assert len(owners) == 1, state
