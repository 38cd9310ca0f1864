"""The UPS token cache of one station: sealed at rest, readable only by its user, survives restarts without a
keyring, tolerant of damage, one grant budget for every process of the PC."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
import threading
from datetime import date

import keyring
import pytest
import responses

from shipdesk.core.settings.secrets import FileTokenStore
from shipdesk.net.retry import no_wait_policy
from shipdesk.net.transport import Transport
from shipdesk.ups.auth import TokenManager
from shipdesk.ups.token_seal import TokenSeal
from shipdesk.ups.token_store import CachedToken, SealedToken

from .test_secrets import BrokenKeyring

TOKEN = CachedToken(access_token="eyJSECRET-ACCESS-TOKEN-VALUE", expires_at=1_900_000_000.0,
                    client_id="client-a", base_url="https://wwwcie.ups.com")
KEY = "client-a|https://wwwcie.ups.com"
TOKEN_URL = "https://wwwcie.ups.com/security/v1/oauth/token"


def seal(secret: str = "the-client-secret") -> TokenSeal:
    return TokenSeal(client_id="client-a", client_secret=secret, account_number="A1B2C3")


def test_the_token_is_sealed_with_the_client_secret_and_survives_reopen(tmp_path):
    path = tmp_path / "ups-token.bin"
    FileTokenStore(path).save(KEY, SealedToken(seal().seal(TOKEN), TOKEN.expires_at))

    raw = path.read_bytes()
    assert b"SECRET-ACCESS-TOKEN" not in raw
    stored = FileTokenStore(path).load(KEY)
    assert stored is not None and seal().unseal(stored.sealed) == TOKEN
    assert seal("another-secret").unseal(stored.sealed) is None  # the file alone is not enough
    assert FileTokenStore(path).load("client-b|https://wwwcie.ups.com") is None


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions (Windows: the user's profile folder)")
def test_only_its_user_may_read_the_file(tmp_path):
    path = tmp_path / "ups-token.bin"
    FileTokenStore(path).save(KEY, SealedToken(seal().seal(TOKEN), TOKEN.expires_at))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_no_keyring_is_needed_so_a_scheduled_task_keeps_its_token(tmp_path):
    """A headless box: every run of the command gets the token the first run was granted."""
    keyring.set_keyring(BrokenKeyring())
    path = tmp_path / "ups-token.bin"
    with responses.RequestsMock() as mocked:
        mocked.add(responses.POST, TOKEN_URL, json={"access_token": "tok-1", "expires_in": "3600"})
        for _run in range(3):  # three separate runs, each with its own manager and store object
            tokens = TokenManager(base_url="https://wwwcie.ups.com", client_id="client-a",
                                  client_secret="the-client-secret", account_number="A1B2C3",
                                  transport=Transport("UPS", policy=no_wait_policy(3)), store=FileTokenStore(path))
            assert tokens.access_token() == "tok-1"
        assert len(mocked.calls) == 1
    assert FileTokenStore(path).grants_on(date.today()) == 1


def test_corrupt_file_reads_as_empty_and_is_replaced(tmp_path, caplog):
    path = tmp_path / "ups-token.bin"
    path.write_bytes(b"\x00\xffnot json at all")
    store = FileTokenStore(path)
    with caplog.at_level(logging.WARNING):
        assert store.load(KEY) is None
    assert "unreadable" in caplog.text
    store.save(KEY, SealedToken("sealed", 1.0))
    assert FileTokenStore(path).load(KEY) == SealedToken("sealed", 1.0)


def test_a_file_from_the_keyring_era_costs_one_grant_and_keeps_its_counts(tmp_path):
    path = tmp_path / "ups-token.bin"
    path.write_text(json.dumps({"version": 1, "grants": {"2026-11-23": 4}, "tokens": "gAAAAAB-old-fernet"}))
    store = FileTokenStore(path)
    assert store.load(KEY) is None
    assert store.grants_on(date(2026, 11, 23)) == 4


def test_grants_are_counted_per_day_and_shared_between_instances(tmp_path):
    path = tmp_path / "ups-token.bin"
    app, cli = FileTokenStore(path), FileTokenStore(path)
    monday, tuesday = date(2026, 11, 23), date(2026, 11, 24)
    assert app.count_grant(monday) == 1
    assert cli.count_grant(monday) == 2
    assert app.count_grant(tuesday) == 1
    assert cli.grants_on(monday) == 2 and cli.grants_on(tuesday) == 1
    assert app.grants_on(date(2026, 11, 25)) == 0
    app.save(KEY, SealedToken("sealed", 1.0))  # saving a token keeps the counts
    assert json.loads(path.read_bytes())["grants"] == {"2026-11-23": 2, "2026-11-24": 1}


def test_grant_counting_is_safe_across_processes(tmp_path):
    """The app and a scheduled `shipdesk sync` share one file: no grant may be lost, no token wiped."""
    path = tmp_path / "ups-token.bin"
    store = FileTokenStore(path)
    store.save(KEY, SealedToken("sealed", 1.0))
    day = date(2026, 11, 23)
    script = (
        "import sys, datetime\n"
        "from shipdesk.core.settings.secrets import FileTokenStore\n"
        "s = FileTokenStore(__import__('pathlib').Path(sys.argv[1]))\n"
        "for _ in range(25): s.count_grant(datetime.date(2026, 11, 23))\n"
    )
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    child = subprocess.Popen([sys.executable, "-c", script, str(path)], env=env)

    def count() -> None:
        for _ in range(25):
            store.count_grant(day)

    threads = [threading.Thread(target=count) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert child.wait(timeout=60) == 0
    assert FileTokenStore(path).grants_on(day) == 75
    assert FileTokenStore(path).load(KEY) == SealedToken("sealed", 1.0)
