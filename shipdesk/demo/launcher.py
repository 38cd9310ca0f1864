"""Demo mode: the built-in Acumatica and UPS sandboxes, and settings that point at them.

The sandbox credentials are handed to the app in memory (:data:`DEMO_SECRETS`); nothing is written
to the OS keyring. ``SHIPDESK_DEMO_ACUMATICA_URL`` / ``SHIPDESK_DEMO_UPS_URL``, when both are set,
make ``--demo`` use sandboxes that are already running (``shipdesk sandbox`` in another window, or a
test's) instead of starting fresh ones, so several commands can work on the same demo day.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from shipdesk.core.settings.config import Config, demo_config
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
