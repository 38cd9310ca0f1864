"""One sync for every station sharing the store, taken over when its holder dies.

The sync lease lives in the store: while one station (or ``shipdesk sync``) holds it, the others' cycles
do nothing but say who runs the sync, and the app's status bar shows it. A holder that is killed stops
renewing; the next station that asks after the lease ran out takes over and runs the cycle.
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta

from shipdesk.core.events import SyncFinished
from shipdesk.core.tracking.lease import who_runs_the_sync
from shipdesk.core.tracking.sync import SyncService
from shipdesk.ui.core_services import CoreServices

from .conftest import StationProcess, station_context

TTL = timedelta(seconds=3)


def test_only_the_lease_holder_runs_the_cycle_and_the_others_say_who_does(sandboxes, postgres_url, tmp_path):
    first = station_context(sandboxes, tmp_path / "a", station="PACK-01", store_url=postgres_url)
    second = station_context(sandboxes, tmp_path / "b", station="PACK-02", store_url=postgres_url)
    holder, standby = SyncService(first, lease_ttl=TTL), SyncService(second, lease_ttl=TTL)
    try:
        ran = holder.run_cycle()
        assert not ran.runs_elsewhere and ran.pulled > 0
        skipped = standby.run_cycle()
        assert skipped.runs_elsewhere == "PACK-01" and skipped.pulled == 0 and skipped.ok
        assert "runs at PACK-01" in skipped.summary()
        assert sandboxes.acumatica.stats_payload()["logins"] == 1  # the second station asked Acumatica nothing

        holder.stop()  # a clean stop gives the lease up: the other takes over at once
        assert not standby.run_cycle().runs_elsewhere
    finally:
        standby.stop()
        first.close()
        second.close()


def test_a_killed_sync_is_taken_over_once_its_lease_runs_out(sandboxes, postgres_url, tmp_path):
    """``shipdesk sync`` runs on a server and is killed; the app of a station takes the sync over."""
    server = StationProcess(tmp_path, sandboxes, station="SYNC-SERVER", store_url=postgres_url)
    app_context = station_context(sandboxes, tmp_path / "app", station="PACK-01", store_url=postgres_url,
                                  now=sandboxes.clock.now)
    services = CoreServices(app_context)
    process = server.start("sync")
    try:
        assert process.process is not None and process.process.stdout is not None
        first_report = json.loads(process.process.stdout.readline())  # its first cycle is done
        assert first_report["ok"] and not first_report["runs_elsewhere"]
        holder = who_runs_the_sync(app_context.now)
        assert holder is not None and holder.station == "SYNC-SERVER"
        assert services.status().sync_runs_at == "SYNC-SERVER"
        assert "runs at SYNC-SERVER" in services.sync_once()
    finally:
        process.process.kill()
        process.process.wait(timeout=10)
    try:
        # the server renewed the lease every 30 s; dead, it stops: ninety seconds later (the sandbox clock
        # is the app's clock here) the lease has run out and the app's next cycle runs the sync itself
        sandboxes.clock.advance(minutes=2)
        finished = threading.Event()
        app_context.events.subscribe(SyncFinished, lambda event: finished.set())
        summary = services.sync_once()
        assert finished.is_set() and "runs at" not in summary
        holder = who_runs_the_sync(app_context.now)
        assert holder is not None and holder.station == "PACK-01"
        assert services.status().sync_runs_at == ""
    finally:
        services.close()
    assert who_runs_the_sync(sandboxes.clock.now) is None  # closing the app gave the lease up
