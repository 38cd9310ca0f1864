"""Shared pieces of the end-to-end proofs: running sandboxes, their stats, a config file, subprocesses."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from shipdesk.core.settings.config import save_config
from shipdesk.demo.settings import demo_config
from shipdesk.sandbox import Sandboxes, start_sandboxes

E2E_DIR = Path(__file__).parent
REPO_ROOT = E2E_DIR.parents[1]


@pytest.fixture
def sandboxes() -> Iterator[Sandboxes]:
    with start_sandboxes() as started:
        yield started


def server_root(url: str) -> str:
    """``http://127.0.0.1:port`` of a sandbox URL (the control API is at the root, not the instance path)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def stats(url: str) -> dict[str, Any]:
    """The sandbox's ``/_sandbox/stats``, read over the wire like any script would."""
    answer = requests.get(f"{server_root(url)}/_sandbox/stats", timeout=5)
    answer.raise_for_status()
    payload: dict[str, Any] = answer.json()
    return payload


@pytest.fixture
def config_file(tmp_path: Path, sandboxes: Sandboxes) -> Path:
    """A config file pointing at the sandboxes (no secrets in it, as in production)."""
    path = tmp_path / "shipdesk.toml"
    save_config(path, demo_config(sandboxes.acumatica_url, sandboxes.ups_url))
    return path


def subprocess_env(**extra: str) -> dict[str, str]:
    """The test's environment for a ``python -m shipdesk`` child, with the repo importable."""
    env = dict(os.environ)
    paths = [str(REPO_ROOT), *(p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p)]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.update(extra)
    return env


PYTHON = sys.executable
