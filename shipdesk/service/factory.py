"""What the sync service runs: the real sync, built from the config file and data folder it was installed with.

``sync_factory(config_file, data_dir)`` gives the :class:`~shipdesk.service.runner.SyncServiceRunner` its
factory: each call loads the config, opens the store in ``data_dir`` (the machine's shared folder),
starts :class:`~shipdesk.core.tracking.sync.SyncService` (the loop, and the Track Alert listener when it is
enabled) and returns a :class:`StartedSync`, whose ``stop()`` ends the loop and the listener, signs out of
Acumatica (the cycle in flight finishes its step and signs out; a stuck request is abandoned after the
sync's grace, its session signed out from here) and closes the store. Each cycle's summary goes to the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shipdesk.core.automatic.labeller import AutoLabeller
from shipdesk.core.context import AppContext
from shipdesk.core.settings.config import load_config
from shipdesk.core.tracking.cycle_report import CycleReport
from shipdesk.core.tracking.sync import SyncService
from shipdesk.errors import ConfigError
from shipdesk.i18n import _, use_language
from shipdesk.service.runner import SyncFactory

log = logging.getLogger("shipdesk.service")


@dataclass
class StartedSync:
    """One running sync; ``stop()`` returns once nothing of it runs and the store is closed."""

    context: AppContext
    sync: SyncService

    def stop(self) -> None:
        try:
            self.sync.stop()
        finally:
            self.context.close()


def log_report(report: CycleReport) -> None:
    """The service has no console: each cycle's summary and failures go to its log."""
    log.info("%s", report.summary())
    for line in [*report.notices, *report.failures]:
        log.warning("%s", line)


def sync_factory(config_file: Path, data_dir: Path, *,
                 on_report: Callable[[CycleReport], None] = log_report) -> SyncFactory:
    def start() -> StartedSync:
        config = load_config(config_file)
        use_language(config.region.language)  # the notes it writes in Acumatica are read by customer service
        if not config.is_configured:
            raise ConfigError(_("shipdesk is not configured yet ({config_file} has no Acumatica URL or UPS client "
                                "id).").format(config_file=config_file),
                              hint=_("Fill in the settings in the app (or the file), then start the service again."))
        context = AppContext.from_config(config, data_dir=data_dir)
        try:
            # automatic labelling runs in the service's sync, as in `shipdesk sync` (never in the app's timer)
            sync = SyncService(context, on_report=on_report, labeller=AutoLabeller(context))
            sync.start()
        except BaseException:
            context.close()
            raise
        log.info("syncing every %s minute(s) with %s, data in %s%s", config.sync.interval_minutes, config_file,
                 data_dir, f"; listener on {sync.listener.host}:{sync.listener.port}" if sync.listener else "")
        return StartedSync(context, sync)

    return start
