"""Demo mode: the built-in Acumatica and UPS sandboxes, and a context that works on them.

:func:`demo_context` is the one place that decides what a demo is: the sandboxes' settings, their
credentials handed to the app in memory (:data:`DEMO_SECRETS`; nothing is written to the OS keyring),
a data folder apart from the real one, and the sandboxes' simulated clock as the core's ``now`` (so
moving the demo day on makes packages due). ``SHIPDESK_DEMO_ACUMATICA_URL`` / ``SHIPDESK_DEMO_UPS_URL``,
when both are set, make ``--demo`` use sandboxes that are already running (``shipdesk sandbox`` in
another window, or a test's) instead of starting fresh ones. Without them the command line works on the demo
day of :mod:`shipdesk.demo.day`, whose sandboxes outlive each command.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from shipdesk.core.context import AppContext
from shipdesk.core.settings.config import Config
from shipdesk.demo.clock import SandboxClock
from shipdesk.demo.day import current_day
from shipdesk.demo.settings import demo_config
from shipdesk.sandbox import Sandboxes, start_sandboxes

DEMO_SECRETS = {"acumatica.password": "demo", "ups.client_secret": "demo"}
ACUMATICA_URL_ENV = "SHIPDESK_DEMO_ACUMATICA_URL"
UPS_URL_ENV = "SHIPDESK_DEMO_UPS_URL"


def start_demo() -> tuple[Sandboxes | None, Config]:
    """Sandboxes started here (None when the environment names running ones) and the demo settings."""
    acumatica_url, ups_url = os.environ.get(ACUMATICA_URL_ENV), os.environ.get(UPS_URL_ENV)
    if acumatica_url and ups_url:
        return None, demo_config(acumatica_url, ups_url)
    sandboxes = start_sandboxes()
    return sandboxes, demo_config(sandboxes.acumatica_url, sandboxes.ups_url)


def demo_data_dir(data_dir: Path, *, fresh: bool) -> Path:
    """Demo data lives apart from real data; a fresh sandbox day starts with an empty demo folder."""
    folder = Path(data_dir) / "demo"
    if fresh and folder.exists():
        shutil.rmtree(folder)
    return folder


def _demo_app_context(config: Config, folder: Path) -> AppContext:
    return AppContext.from_config(config, data_dir=folder, demo=True, secret_values=DEMO_SECRETS,
                                  now=SandboxClock(config.ups.base_url))


def demo_context(data_dir: Path) -> tuple[AppContext, Sandboxes | None]:
    """A context on the sandboxes, and the sandboxes started for it (the caller stops them; None when
    the environment names running ones). The context's data lives in ``data_dir``'s demo folder."""
    sandboxes, config = start_demo()
    try:
        folder = demo_data_dir(data_dir, fresh=sandboxes is not None)
        context = _demo_app_context(config, folder)
    except BaseException:
        if sandboxes is not None:
            sandboxes.stop()
        raise
    return context, sandboxes


@contextlib.contextmanager
def open_demo_context(data_dir: Path, *, keep_day: bool = False) -> Iterator[AppContext]:
    """:func:`demo_context` for one ``with`` block: the context is closed and the sandboxes stopped at the end.

    ``keep_day`` (the command line): unless the environment names running sandboxes, work on the demo day
    that outlives this command (:mod:`shipdesk.demo.day`), so the next command sees what this one did."""
    if keep_day and not (os.environ.get(ACUMATICA_URL_ENV) and os.environ.get(UPS_URL_ENV)):
        day = current_day(data_dir)
        config = demo_config(day.acumatica_url, day.ups_url)
        with _demo_app_context(config, day.folder) as context:
            yield context
        return
    context, sandboxes = demo_context(data_dir)
    try:
        with context:
            yield context
    finally:
        if sandboxes is not None:
            sandboxes.stop()
