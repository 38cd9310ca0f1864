"""Is there a newer shipdesk? Reads the small JSON manifest IT publishes and compares versions.

The manifest lives where IT puts it: an ``http(s)://`` URL, a ``file://`` URL, or a plain path (a UNC
share such as ``\\\\fileserver\\it\\shipdesk\\latest.json`` works like a local file)::

    {"version": "0.2.0", "url": "https://intranet.example/shipdesk-0.2.0-setup.exe",
     "sha256": "<64 hex digits of the installer>", "notes": "What changed, one or two sentences."}

The check is off until a manifest is configured. It blocks for up to ``timeout`` seconds: call it from
a worker thread, never the UI thread. Every outcome is a :class:`UpdateCheck` whose ``message`` is a
sentence for the clerk or IT; nothing here raises for a manifest that cannot be read or makes sense.
An intranet server's certificate is checked against the PC's trust store (``net/trust.py``), proxies come
from the environment as for every other request.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import requests
from packaging.version import InvalidVersion, Version

from shipdesk import __version__
from shipdesk.i18n import _
from shipdesk.net.trust import system_trust_session

TIMEOUT_SECONDS = 10.0
MAX_MANIFEST_BYTES = 64 * 1024  # a manifest is a few lines; anything bigger is not one
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


class UpdateStatus(StrEnum):
    OFF = "off"
    UP_TO_DATE = "up_to_date"
    AVAILABLE = "available"
    ERROR = "error"


@dataclass(frozen=True)
class Update:
    """A published version: where its installer is and what it must hash to."""

    version: str
    url: str
    sha256: str
    notes: str = ""


@dataclass(frozen=True)
class UpdateCheck:
    status: UpdateStatus
    message: str
    update: Update | None = None  # set when ``status`` is AVAILABLE

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"status": self.status.value, "message": self.message}
        if self.update is not None:
            data.update(version=self.update.version, url=self.update.url, sha256=self.update.sha256,
                        notes=self.update.notes)
        return data


class ManifestError(Exception):
    """The manifest cannot be read or is not a manifest; ``str()`` is the sentence."""


def check_for_update(manifest: str | None, *, current: str = __version__,
                     timeout: float = TIMEOUT_SECONDS) -> UpdateCheck:
    """Compare ``current`` with the version the manifest announces (``manifest`` None or blank: off)."""
    if not manifest or not manifest.strip():
        return UpdateCheck(UpdateStatus.OFF, _("The update check is off: no update manifest is configured."))
    try:
        update = parse_manifest(read_manifest(manifest.strip(), timeout=timeout))
    except ManifestError as exc:
        return UpdateCheck(UpdateStatus.ERROR, _("Could not check for updates: {reason}").format(reason=exc))
    if Version(update.version) <= Version(current):
        return UpdateCheck(UpdateStatus.UP_TO_DATE, _("shipdesk {version} is up to date.").format(version=current))
    said = _("shipdesk {version} is available (this is {current}).").format(version=update.version, current=current)
    notes = f" {update.notes}" if update.notes else ""  # IT's own words, as the manifest has them
    installer = _("Installer: {url}").format(url=update.url)
    return UpdateCheck(UpdateStatus.AVAILABLE, f"{said}{notes} {installer}", update)


def read_manifest(source: str, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The manifest's bytes from an http(s) URL, a file URL or a path (UNC paths included)."""
    scheme = urlsplit(source).scheme.lower()
    if scheme in ("http", "https"):
        return _read_http(source, timeout)
    if scheme == "file":
        return _read_file(_file_url_path(source), source)
    return _read_file(Path(source), source)  # C:\..., \\server\share\... and relative paths alike


def parse_manifest(raw: bytes) -> Update:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ManifestError(_("the update manifest is not valid JSON ({reason}).").format(reason=exc)) from exc
    if not isinstance(data, dict):
        raise ManifestError(_("the update manifest is not a JSON object with version, url and sha256."))
    missing = [key for key in ("version", "url", "sha256") if not isinstance(data.get(key), str) or not data[key]]
    if missing:
        raise ManifestError(_("the update manifest has no {names}; IT must publish version, url and sha256.").format(
                                names=', '.join(missing)))
    try:
        version = str(Version(data["version"]))
    except InvalidVersion as exc:
        raise ManifestError(_("the update manifest's version '{data}' is not a version number.").format(
                                data=data['version'])) from exc
    if not _SHA256.fullmatch(data["sha256"]):
        raise ManifestError(_("the update manifest's sha256 is not 64 hexadecimal digits."))
    notes = data.get("notes")
    return Update(version=version, url=data["url"], sha256=data["sha256"].lower(),
                  notes=notes.strip() if isinstance(notes, str) else "")


def fetch_installer(update: Update, folder: Path, *, timeout: float = 60.0) -> Path:
    """Copy the installer into ``folder`` and check its SHA-256; the path of the checked copy.

    Raises ManifestError (and leaves no file behind) when it cannot be fetched or does not match."""
    # the last part of a URL path, a Windows path or a UNC path alike
    name = re.split(r"[\\/]", urlsplit(update.url).path)[-1] or f"shipdesk-{update.version}-setup.exe"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    partial = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for chunk in _installer_chunks(update.url, timeout):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != update.sha256:
            raise ManifestError(_("the installer at {url} does not match the manifest's sha256 (a partial or "
                                  "replaced file); it was not kept. Tell IT.").format(url=update.url))
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _read_http(url: str, timeout: float) -> bytes:
    try:
        with system_trust_session() as session, session.get(url, timeout=timeout, stream=True) as response:
            if response.status_code != 200:
                raise ManifestError(_("{url} answered HTTP {status_code}; check the update manifest address in the "
                                      "settings.").format(url=url, status_code=response.status_code))
            raw = response.raw.read(MAX_MANIFEST_BYTES + 1, decode_content=True)
    except requests.RequestException as exc:
        raise ManifestError(_("{url} cannot be reached ({error}); check the network or the update manifest "
                              "address.").format(url=url, error=type(exc).__name__)) from exc
    return _small(raw, url)


def _read_file(path: Path, shown: str) -> bytes:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError as exc:
        raise ManifestError(_("there is no update manifest at {shown}; check the address in the settings.").format(
                                shown=shown)) from exc
    except OSError as exc:
        raise ManifestError(_("the update manifest at {shown} cannot be read ({strerror}); check the share and its "
                              "permissions.").format(shown=shown, strerror=exc.strerror or exc)) from exc
    return _small(raw, shown)


def _small(raw: bytes, shown: str) -> bytes:
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ManifestError(_("{shown} is not an update manifest (larger than {size} KB).").format(
                                shown=shown, size=MAX_MANIFEST_BYTES // 1024))
    return raw


def _file_url_path(url: str) -> Path:
    """``file:///C:/x.json`` and ``file://server/share/x.json`` (a UNC path) as paths."""
    parts = urlsplit(url)
    host = parts.netloc if parts.netloc not in ("", "localhost") else ""
    return Path(url2pathname(f"//{host}{parts.path}" if host else parts.path))


def _installer_chunks(url: str, timeout: float) -> Iterator[bytes]:
    scheme = urlsplit(url).scheme.lower()
    try:
        if scheme in ("http", "https"):
            with system_trust_session() as session, session.get(url, timeout=timeout, stream=True) as response:
                if response.status_code != 200:
                    raise ManifestError(_("{url} answered HTTP {status_code} for the installer.").format(
                                            url=url, status_code=response.status_code))
                yield from response.iter_content(chunk_size=1 << 16)
            return
        path = _file_url_path(url) if scheme == "file" else Path(url)
        with path.open("rb") as handle:
            yield from iter(lambda: handle.read(1 << 16), b"")
    except requests.RequestException as exc:
        raise ManifestError(_("the installer at {url} cannot be downloaded ({error}).").format(
                                url=url, error=type(exc).__name__)) from exc
    except OSError as exc:
        raise ManifestError(_("the installer at {url} cannot be read ({strerror}).").format(
                                url=url, strerror=exc.strerror or exc)) from exc
