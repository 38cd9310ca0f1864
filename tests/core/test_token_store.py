"""The UPS token cache: encrypted at rest, survives restarts, tolerant of damage, one grant budget."""

from __future__ import annotations

import json
import logging
from datetime import date

import keyring

from shipdesk.core.settings.secrets import EncryptedTokenStore
from shipdesk.ups.token_store import CachedToken

from .test_secrets import BrokenKeyring

TOKEN = CachedToken(access_token="eyJSECRET-ACCESS-TOKEN-VALUE", expires_at=1_900_000_000.0,
                    client_id="client-a", base_url="https://wwwcie.ups.com")


def test_token_is_not_in_clear_text_and_survives_reopen(tmp_path):
    path = tmp_path / "ups-token.bin"
    EncryptedTokenStore(path).save(TOKEN)

    raw = path.read_bytes()
    assert b"SECRET-ACCESS-TOKEN" not in raw
    assert b"client-a" not in raw  # which app the token belongs to is encrypted too

    reopened = EncryptedTokenStore(path)
    assert reopened.load("client-a", "https://wwwcie.ups.com") == TOKEN
    assert reopened.load("client-a", "https://onlinetools.ups.com") is None
    assert reopened.load("client-b", "https://wwwcie.ups.com") is None


def test_key_lives_in_the_keyring(tmp_path, memory_keyring):
    EncryptedTokenStore(tmp_path / "t.bin").save(TOKEN)
    assert ("shipdesk", "ups.token_key") in memory_keyring.passwords


def test_corrupt_file_reads_as_empty_and_is_replaced(tmp_path, caplog):
    path = tmp_path / "ups-token.bin"
    path.write_bytes(b"\x00\xffnot json at all")
    store = EncryptedTokenStore(path)
    with caplog.at_level(logging.WARNING):
        assert store.load("client-a", "https://wwwcie.ups.com") is None
    assert "unreadable" in caplog.text
    store.save(TOKEN)
    assert EncryptedTokenStore(path).load("client-a", "https://wwwcie.ups.com") == TOKEN


def test_file_from_another_key_reads_as_empty(tmp_path, memory_keyring, caplog):
    path = tmp_path / "ups-token.bin"
    EncryptedTokenStore(path).save(TOKEN)
    memory_keyring.passwords.clear()  # keyring reset: the old key is gone
    with caplog.at_level(logging.WARNING):
        assert EncryptedTokenStore(path).load("client-a", "https://wwwcie.ups.com") is None
    assert "cannot be decrypted" in caplog.text


def test_grants_are_counted_per_day_and_shared_between_instances(tmp_path):
    path = tmp_path / "ups-token.bin"
    app, cli = EncryptedTokenStore(path), EncryptedTokenStore(path)
    monday, tuesday = date(2026, 11, 23), date(2026, 11, 24)
    assert app.count_grant(monday) == 1
    assert cli.count_grant(monday) == 2
    assert app.count_grant(tuesday) == 1
    assert cli.grants_on(monday) == 2 and cli.grants_on(tuesday) == 1
    assert app.grants_on(date(2026, 11, 25)) == 0
    app.save(TOKEN)  # saving a token keeps the counts
    assert json.loads(path.read_bytes())["grants"] == {"2026-11-23": 2, "2026-11-24": 1}


def test_without_a_keyring_the_token_stays_in_memory_only(tmp_path):
    keyring.set_keyring(BrokenKeyring())
    path = tmp_path / "ups-token.bin"
    store = EncryptedTokenStore(path)
    store.save(TOKEN)
    store.count_grant(date(2026, 11, 23))
    assert store.load("client-a", "https://wwwcie.ups.com") == TOKEN
    assert b"SECRET" not in path.read_bytes()
    assert EncryptedTokenStore(path).grants_on(date(2026, 11, 23)) == 1


def test_grant_counting_is_safe_across_processes(tmp_path):
    """The app and a scheduled `shipdesk sync` share one file: no grant may be lost, and a process
    without a keyring must not wipe the token the other one saved."""
    import os
    import subprocess
    import sys
    import threading

    path = tmp_path / "ups-token.bin"
    store = EncryptedTokenStore(path)
    store.save(TOKEN)
    day = date(2026, 11, 23)
    script = (
        "import sys, datetime\n"
        "from shipdesk.core.settings.secrets import EncryptedTokenStore\n"
        "s = EncryptedTokenStore(__import__('pathlib').Path(sys.argv[1]))\n"
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
    assert EncryptedTokenStore(path).grants_on(day) == 75
    assert EncryptedTokenStore(path).load("client-a", "https://wwwcie.ups.com") == TOKEN
