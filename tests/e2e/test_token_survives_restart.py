"""The UPS token outlives the process: two ``shipdesk ping`` runs in a row cost UPS one token grant.

Each run is a real process (as a scheduled task or a second window would be), configured by a file
pointing at sandboxes started here, with secrets from the environment and one shared data folder.
The token cache is sealed with a key derived from the UPS client secret, so it needs no keyring: the
children run with keyring's failing backend, as on a headless box without one.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from .conftest import PYTHON, stats, subprocess_env

RUN_TIMEOUT = 60


def run_ping(config_file: Path, env: dict[str, str]) -> str:
    done = subprocess.run([PYTHON, "-m", "shipdesk", "--config", str(config_file), "ping"],
                          capture_output=True, text=True, env=env, timeout=RUN_TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_two_ping_processes_share_one_token_grant(sandboxes, config_file, tmp_path):
    data_dir = tmp_path / "shared-data"
    env = subprocess_env(
        SHIPDESK_DATA_DIR=str(data_dir),
        SHIPDESK_ACUMATICA_PASSWORD="demo",
        SHIPDESK_UPS_CLIENT_SECRET="demo",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )

    first = run_ping(config_file, env)
    second = run_ping(config_file, env)

    ups = stats(sandboxes.ups_url)
    assert ups["tokens_granted"] == 1
    assert "new token" in first and "UPS tokens granted today: 1." in first
    assert "cached token" in second and "UPS tokens granted today: 1." in second
    assert re.search(r"Acumatica: OK\. signed in to .* as admin", second)

    acumatica = stats(sandboxes.acumatica_url)
    assert acumatica["logins"] == 2 and acumatica["sessions_open"] == 0

    tokens = list(sandboxes.ups.tokens.tokens)
    assert len(tokens) == 1
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert files, "ping wrote nothing to the data folder"
    leaking = [p for p in files if tokens[0].encode() in p.read_bytes()]
    assert leaking == [], f"the UPS token is in clear text in {leaking}"
