"""How long the shipments table keeps the UI thread busy at warehouse scale. Prints numbers; asserts nothing.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_ui_table.py [ROWS]

Each step is timed with the table view shown and the pending paint/layout events processed, so the
numbers are what a user waits for, not only the model's own work.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView

from shipdesk.core.domain.states import State
from shipdesk.ui.view_data import Col, Row
from shipdesk.ui.window.shipments_table_model import ShipmentsFilterModel, ShipmentsTableModel

CITIES = ("Atlanta", "Austin", "Zürich", "Springfield", "Portland", "Denver")
STATES = tuple(State)


def generated_rows(n: int) -> list[Row]:
    return [Row(
        shipment=f"{i:06d}", order=f"SO {i:06d}", customer=f"Customer {i % 997}", city=CITIES[i % len(CITIES)],
        region="GA", country="US", service="UPSGROUND → Ground", packages=1 + i % 3, weight=1.5 + i % 40,
        state=STATES[i % len(STATES)].value, tracking=f"1ZA1B2C3{i:010d}" if i % 2 else "",
        last_event="Delivered" if i % 5 == 0 else "", delivered="2026-11-20" if i % 5 == 0 else "",
    ) for i in range(n)]


def timed(app: QApplication, label: str, work: Callable[[], object]) -> None:
    """Prints the model's own work and the total with the view's relayout and repaint."""
    start = time.perf_counter()
    work()
    model_ms = 1000 * (time.perf_counter() - start)
    app.processEvents()
    total_ms = 1000 * (time.perf_counter() - start)
    print(f"{label:<52} {model_ms:8.1f} ms {total_ms:10.1f} ms")


def main(rows: int = 20_000) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    data = generated_rows(rows)
    model = ShipmentsTableModel()
    proxy = ShipmentsFilterModel()
    proxy.setSourceModel(model)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    # as the main window sets it up: fixed row heights, so a reset never measures 20,000 rows
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(26)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.resize(1200, 800)
    view.show()
    app.processEvents()
    print(f"{'step':<52} {'model':>11} {'with repaint':>13}")

    timed(app, f"load {rows:,} rows", lambda: model.set_rows(data))
    timed(app, f"reload {rows:,} rows (a refresh)", lambda: model.set_rows(list(data)))
    timed(app, "filter by state (needs attention)", lambda: proxy.set_states({"needs_attention"}))
    timed(app, "filter by state group (ready + pending)", lambda: proxy.set_states({"ready", "pending"}))
    timed(app, "back to all states", lambda: proxy.set_states(None))
    timed(app, "search one word ('austin')", lambda: proxy.set_search("austin"))
    timed(app, "search two words ('customer 99')", lambda: proxy.set_search("customer 99"))
    timed(app, "search a tracking number", lambda: proxy.set_search(f"1za1b2c3{rows - 1:010d}"))
    timed(app, "clear search", lambda: proxy.set_search(""))
    timed(app, "sort by weight, descending", lambda: view.sortByColumn(Col.WEIGHT, Qt.SortOrder.DescendingOrder))
    timed(app, "sort by status", lambda: view.sortByColumn(Col.STATE, Qt.SortOrder.AscendingOrder))
    proxy.set_states({"ready", "pending"})
    timed(app, "sort by customer while filtered", lambda: view.sortByColumn(Col.CUSTOMER, Qt.SortOrder.AscendingOrder))
    view.selectAll()
    timed(app, f"sort by shipment with all {proxy.rowCount():,} shown rows selected",
          lambda: view.sortByColumn(Col.SHIPMENT, Qt.SortOrder.DescendingOrder))
    timed(app, "repaint alone (for comparison)", view.viewport().repaint)
    view.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
