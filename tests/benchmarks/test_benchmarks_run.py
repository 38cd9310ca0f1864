"""Every benchmark still runs against the code as it is: a benchmark the code left behind is seen the day it
breaks, not at the next full measurement (``store`` was broken for two stops by the paged pull). What they
measure is not judged here: performance targets live in the benchmarks, not in timed tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_every_benchmark_runs_at_its_smallest():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--smoke"], cwd=REPOSITORY, env=env,
                          capture_output=True, text=True, timeout=1200, check=False)
    broke = [line.strip() for line in done.stdout.splitlines() if " broke (exit " in line]
    assert done.returncode == 0 and not broke, "\n".join([*broke, done.stdout[-4000:], done.stderr[-4000:]])
    assert "== summary" in done.stdout
