"""HTTP calls per label on each side, and UPS token grants per 1,000 labels. Prints numbers; asserts nothing.

    .venv/bin/python -m benchmarks.bench_calls_per_label [LABELS] [SHIFT_HOURS]

Ships LABELS single-package shipments (default 1,000) through the real ship flow (``ShipFlow.ship_many``,
no printing) against the sandboxes, spread over a simulated shift (default 10 hours: the shared
clock moves after each label). The UPS client reads that simulated clock, so its token ages with the
shift as it would on a warehouse PC and the grant count is what a real day would cost. Every number
comes from the sandboxes' per-route request counters (``/_sandbox/stats``), not from the client.
The shift is run twice: with the sandbox's 4-hour tokens, and with the 1-hour tokens UPS announced
(about 2 minutes per 1,000 labels each).
"""

from __future__ import annotations

import copy
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shipdesk.core.context import AppContext
from shipdesk.core.domain.outcomes import ProgressEvent
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.demo.launcher import DEMO_SECRETS
from shipdesk.demo.settings import demo_config
from shipdesk.sandbox import Sandboxes, start_sandboxes
from shipdesk.ups.client import UpsClient

#: plain Open, commercial, New York, UPS Ground, one package (see ``shipdesk.sandbox.seed``)
TEMPLATE_SHIPMENT = "SH000101"


class ShiftContext(AppContext):
    """An ``AppContext`` whose UPS client tells time by the sandboxes' simulated clock."""

    sim_time: Callable[[], float] = time.time

    @property
    def ups(self) -> UpsClient:
        with self._lock:
            if self._ups is None:
                cfg = self.config.ups
                self._ups = UpsClient(base_url=cfg.base_url, client_id=cfg.client_id,
                                      client_secret=self.secret("ups.client_secret"),
                                      account_number=cfg.account_number, token_store=self.token_store,
                                      clock=self.sim_time)
            return self._ups


def _fresh_ids(node: Any) -> None:
    """Give a cloned Acumatica record (and its detail rows) new GUIDs, as Acumatica would."""
    if isinstance(node, dict):
        if "id" in node:
            node["id"] = str(uuid.uuid4())
        for child in node.values():
            _fresh_ids(child)
    elif isinstance(node, list):
        for child in node:
            _fresh_ids(child)


def add_ready_shipments(sandboxes: Sandboxes, count: int, template: str = TEMPLATE_SHIPMENT) -> list[str]:
    """``count`` copies of a seeded single-package shipment, numbered BM000001..., ready to label."""
    documents = sandboxes.acumatica.documents
    with sandboxes.acumatica.lock:
        original = documents.shipment(template)
        numbers = []
        for index in range(1, count + 1):
            clone = copy.deepcopy(original)
            _fresh_ids(clone)
            clone["ShipmentNbr"] = f"BM{index:06d}"
            documents.shipments.append(clone)
            numbers.append(clone["ShipmentNbr"])
    return numbers


@dataclass(frozen=True)
class ShiftResult:
    labels: int
    labelled: int
    seconds: float
    token_lifetime_s: int
    ups: dict[str, Any]  # the sandboxes' /_sandbox/stats at the end
    acumatica: dict[str, Any]


def ship_shift(labels: int, shift_hours: float, *, token_lifetime_s: int | None = None) -> ShiftResult:
    """Ship ``labels`` shipments over ``shift_hours`` simulated hours (UPS tokens of ``token_lifetime_s``
    when given, else the sandbox's 4 hours)."""
    step_hours = shift_hours / labels
    with start_sandboxes() as sandboxes, tempfile.TemporaryDirectory() as folder:
        if token_lifetime_s is not None:
            sandboxes.ups.tokens.lifetime_s = token_lifetime_s
        numbers = add_ready_shipments(sandboxes, labels)
        config = demo_config(sandboxes.acumatica_url, sandboxes.ups_url)
        context = ShiftContext.from_config(config, data_dir=Path(folder), demo=True, secret_values=DEMO_SECRETS)
        assert isinstance(context, ShiftContext)  # from_config builds the class it is called on
        context.sim_time = lambda: sandboxes.clock.now().timestamp()

        def after_each(event: ProgressEvent) -> None:
            if event.step == "done":
                sandboxes.advance(hours=step_hours)

        started = time.perf_counter()
        with context:
            outcomes = ShipFlow(context).ship_many(numbers, progress=after_each, print_labels=False)
        return ShiftResult(labels, sum(o.ok for o in outcomes), time.perf_counter() - started,
                           sandboxes.ups.tokens.lifetime_s, sandboxes.ups.stats_payload(),
                           sandboxes.acumatica.stats_payload())


def _route_rows(side: str, stats: dict[str, Any], labels: int) -> list[tuple[str, str, int, float]]:
    requests: dict[str, int] = stats["requests"]
    rows = [(side, route, count, count / labels) for route, count in sorted(requests.items(), key=lambda r: -r[1])]
    total = sum(requests.values())
    rows.append((side, "all calls", total, total / labels))
    return rows


def _token_line(result: ShiftResult) -> str:
    grants = result.ups["tokens_granted"]
    return (f"UPS tokens lasting {result.token_lifetime_s / 3600:.1f} h: {grants} grant(s) for {result.labels} labels "
            f"= {1000 * grants / result.labels:.1f} per 1,000 labels")


def main(labels: int = 1000, shift_hours: float = 10.0) -> None:
    result = ship_shift(labels, shift_hours)
    print(f"{result.labelled} of {labels} single-package shipments labelled and written back over a simulated "
          f"{shift_hours:g}-hour shift in {result.seconds:.1f} s ({1000 * result.seconds / labels:.0f} ms per label)")
    print(f"{'side':<10} {'route':<80} {'calls':>6} {'per label':>10}")
    for side, route, count, per_label in (_route_rows("UPS", result.ups, labels)
                                          + _route_rows("Acumatica", result.acumatica, labels)):
        print(f"{side:<10} {route:<80} {count:>6} {per_label:>10.3f}")
    acumatica = result.acumatica
    print(f"Acumatica: {acumatica['logins']} login(s), {acumatica['logouts']} logout(s), "
          f"{acumatica['login_limit_hits']} login-limit hit(s), {acumatica['sessions_open']} session(s) left open")
    print(_token_line(result))
    # UPS announced 1-hour tokens from 2026-04 (FACTS.md): the same shift with those
    print(_token_line(ship_shift(labels, shift_hours, token_lifetime_s=3600)))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(int(arguments[0]) if arguments else 1000, float(arguments[1]) if len(arguments) > 1 else 10.0)
