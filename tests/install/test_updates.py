"""The update check as IT sets it up: a manifest on an intranet web server or on a file share."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from shipdesk.updates import ManifestError, Update, UpdateStatus, check_for_update, fetch_installer

INSTALLER = b"MZ pretend this is shipdesk-0.2.0-setup.exe" * 100
SHA = hashlib.sha256(INSTALLER).hexdigest()


def manifest(version: str = "0.2.0", **extra: object) -> bytes:
    data = {"version": version, "url": "https://intranet.example/shipdesk-0.2.0-setup.exe", "sha256": SHA,
            "notes": "Labels print faster."}
    data.update(extra)
    return json.dumps(data).encode()


class Intranet:
    """A web server on 127.0.0.1 serving whatever the test puts in ``files`` (path -> status, body)."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[int, bytes]] = {}
        files = self.files

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body = files.get(self.path, (404, b"not here"))
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def intranet() -> Iterator[Intranet]:
    server = Intranet()
    yield server
    server.close()


def test_newer_version_on_the_intranet_is_offered_with_notes_and_installer(intranet):
    intranet.files["/shipdesk/latest.json"] = (200, manifest("0.2.0"))

    result = check_for_update(f"{intranet.url}/shipdesk/latest.json", current="0.1.0")

    assert result.status is UpdateStatus.AVAILABLE
    assert result.update == Update("0.2.0", "https://intranet.example/shipdesk-0.2.0-setup.exe", SHA,
                                   "Labels print faster.")
    assert "0.2.0 is available" in result.message and "Labels print faster." in result.message
    assert result.to_json()["url"] == "https://intranet.example/shipdesk-0.2.0-setup.exe"


@pytest.mark.parametrize(("published", "current", "status"), [
    ("0.1.0", "0.1.0", UpdateStatus.UP_TO_DATE),
    ("0.1.0", "0.2.0", UpdateStatus.UP_TO_DATE),        # IT has not published this one yet: no downgrade
    ("0.10.0", "0.9.0", UpdateStatus.AVAILABLE),        # compared as versions, not as text
    ("1.0.0rc1", "1.0.0", UpdateStatus.UP_TO_DATE),     # a release candidate is older than the release
    ("1.0.0", "1.0.0rc1", UpdateStatus.AVAILABLE),
])
def test_versions_compare_as_versions(intranet, published, current, status):
    intranet.files["/latest.json"] = (200, manifest(published))

    assert check_for_update(f"{intranet.url}/latest.json", current=current).status is status


def test_manifest_on_a_file_share_or_as_a_file_url(tmp_path):
    share = tmp_path / "it share" / "shipdesk"
    share.mkdir(parents=True)
    (share / "latest.json").write_bytes(b"\xef\xbb\xbf" + manifest("0.3.0"))  # Notepad saves UTF-8 with a BOM

    by_path = check_for_update(str(share / "latest.json"), current="0.1.0")
    by_url = check_for_update((share / "latest.json").as_uri(), current="0.1.0")

    assert by_path.status is UpdateStatus.AVAILABLE and by_path.update and by_path.update.version == "0.3.0"
    assert by_url == by_path


@pytest.mark.parametrize("configured", [None, "", "   "])
def test_off_until_a_manifest_is_configured(configured):
    result = check_for_update(configured)

    assert result.status is UpdateStatus.OFF
    assert "off" in result.message


@pytest.mark.parametrize(("body", "sentence"), [
    (b"<html>Sign in to the intranet</html>", "not valid JSON"),
    (b"[1, 2]", "not a JSON object"),
    (json.dumps({"version": "0.2.0"}).encode(), "no url, sha256"),
    (manifest("next week"), "'next week' is not a version number"),
    (manifest(sha256="abc"), "sha256 is not 64 hexadecimal digits"),
    (b" " * 70_000, "not an update manifest"),
])
def test_a_broken_manifest_is_a_sentence_not_a_crash(intranet, body, sentence):
    intranet.files["/latest.json"] = (200, body)

    result = check_for_update(f"{intranet.url}/latest.json", current="0.1.0")

    assert result.status is UpdateStatus.ERROR
    assert result.message.startswith("Could not check for updates:") and sentence in result.message


def test_missing_manifest_and_unreachable_server_are_sentences(intranet, tmp_path):
    not_found = check_for_update(f"{intranet.url}/nope.json")
    no_file = check_for_update(str(tmp_path / "nope.json"))
    gone = Intranet()
    gone.close()  # nothing listens on its port any more
    unreachable = check_for_update(f"{gone.url}/latest.json", timeout=2)

    assert not_found.status is UpdateStatus.ERROR and "answered HTTP 404" in not_found.message
    assert no_file.status is UpdateStatus.ERROR and "there is no update manifest at" in no_file.message
    assert unreachable.status is UpdateStatus.ERROR and "cannot be reached" in unreachable.message


def test_installer_is_fetched_and_checked_against_the_manifest(intranet, tmp_path):
    intranet.files["/dl/shipdesk-0.2.0-setup.exe"] = (200, INSTALLER)
    update = Update("0.2.0", f"{intranet.url}/dl/shipdesk-0.2.0-setup.exe", SHA)

    path = fetch_installer(update, tmp_path / "downloads")

    assert path == tmp_path / "downloads" / "shipdesk-0.2.0-setup.exe"
    assert path.read_bytes() == INSTALLER


def test_installer_that_does_not_match_its_hash_is_not_kept(intranet, tmp_path):
    intranet.files["/dl/setup.exe"] = (200, INSTALLER[:-10])  # cut short on the way
    share_copy = tmp_path / "share" / "setup.exe"
    share_copy.parent.mkdir()
    share_copy.write_bytes(INSTALLER + b"tampered")

    for url in (f"{intranet.url}/dl/setup.exe", str(share_copy)):
        with pytest.raises(ManifestError, match="does not match the manifest's sha256"):
            fetch_installer(Update("0.2.0", url, SHA), tmp_path / "downloads")

    assert list((tmp_path / "downloads").iterdir()) == []


def test_installer_on_a_share_is_copied(tmp_path: Path):
    share_copy = tmp_path / "share" / "shipdesk-0.2.0-setup.exe"
    share_copy.parent.mkdir()
    share_copy.write_bytes(INSTALLER)

    path = fetch_installer(Update("0.2.0", share_copy.as_uri(), SHA), tmp_path / "downloads")

    assert path.read_bytes() == INSTALLER and path.name == "shipdesk-0.2.0-setup.exe"
