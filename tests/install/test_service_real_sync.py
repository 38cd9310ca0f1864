"""The service runner around the real sync (what ``shipdesk sync`` runs), against the sandboxes: the
factory here is the shape of the one the command line passes to the Windows service."""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass

from shipdesk.core.context import AppContext
from shipdesk.core.tracking.sync import CycleReport, SyncService
from shipdesk.demo.launcher import DEMO_SECRETS
from shipdesk.demo.settings import demo_config
from shipdesk.service.runner import SyncServiceRunner


@dataclass
class StartedSync:
    context: AppContext
    service: SyncService

    def stop(self) -> None:
        self.service.stop()  # the loop and the listener; the cycle in flight ends its step and signs out
        self.context.close()


def test_service_runs_the_sync_in_the_shared_folder_and_leaves_no_acumatica_session(started_sandboxes, tmp_path):
    started_sandboxes.reset()
    reports: queue.Queue[CycleReport] = queue.Queue()
    shared = tmp_path / "ProgramData" / "shipdesk"

    def factory() -> StartedSync:
        config = demo_config(started_sandboxes.acumatica_url, started_sandboxes.ups_url)
        context = AppContext.from_config(config, data_dir=shared, demo=True, secret_values=DEMO_SECRETS,
                                         acumatica_poll_seconds=0.02)
        service = SyncService(context, on_report=reports.put)
        service.start(interval_seconds=3600)
        return StartedSync(context, service)

    runner = SyncServiceRunner(factory)
    assert runner.start()
    first = reports.get(timeout=120)
    assert runner.stop(timeout=120)

    assert first.ok, first.failures
    assert (shared / "shipdesk.db").is_file()
    stats = started_sandboxes.acumatica.stats_payload()
    assert stats["logins"] >= 1 and stats.get("sessions_open", 0) == 0
    assert [t.name for t in threading.enumerate() if t.name == "shipdesk-sync"] == []
