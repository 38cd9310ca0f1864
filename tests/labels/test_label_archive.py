"""Label archive: one file per label under month/shipment, safe names, atomic writes, reprint lookup."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from shipdesk.errors import StoreError
from shipdesk.labels.archive import LabelArchive


def test_label_is_filed_by_month_shipment_and_tracking(tmp_path: Path) -> None:
    archive = LabelArchive(tmp_path)
    path = archive.store("000123", "1Z999AA10123456784", "GIF", b"GIF89a...", when=datetime(2026, 11, 25))
    assert path == tmp_path / "2026-11" / "000123" / "1Z999AA10123456784.gif"
    assert path.read_bytes() == b"GIF89a..."

    loaded = archive.load("000123", "1Z999AA10123456784")
    assert loaded is not None
    assert (loaded.format, loaded.data, loaded.path) == ("GIF", b"GIF89a...", path)


def test_names_cannot_leave_the_archive_folder(tmp_path: Path) -> None:
    archive = LabelArchive(tmp_path / "labels")
    path = archive.store("../../etc/SO 1", "1Z/..\\x", "ZPL", b"^XA^XZ", when=datetime(2026, 1, 2))
    assert path.resolve().is_relative_to((tmp_path / "labels").resolve())
    assert path.parent.name == "etc_SO_1"
    assert archive.find("../../etc/SO 1", "1Z/..\\x") == path


def test_missing_label_is_none_so_the_caller_uses_label_recovery(tmp_path: Path) -> None:
    archive = LabelArchive(tmp_path)
    assert archive.find("000123", "1Z999AA10123456784") is None
    assert archive.load("000123", "1Z999AA10123456784") is None


def test_newest_month_wins_when_a_label_was_stored_twice(tmp_path: Path) -> None:
    archive = LabelArchive(tmp_path)
    archive.store("000123", "1Z1", "GIF", b"old", when=datetime(2026, 10, 31))
    archive.store("000123", "1Z1", "PNG", b"new", when=datetime(2026, 11, 1))
    loaded = archive.load("000123", "1Z1")
    assert loaded is not None and (loaded.format, loaded.data) == ("PNG", b"new")


def test_failed_write_keeps_the_old_file_whole_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = LabelArchive(tmp_path)
    when = datetime(2026, 11, 25)
    path = archive.store("000123", "1Z1", "ZPL", b"^XA first ^XZ", when=when)

    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(StoreError, match=r"could not be saved.*No space left on device"):
        archive.store("000123", "1Z1", "ZPL", b"^XA second ^XZ", when=when)
    assert path.read_bytes() == b"^XA first ^XZ"
    assert [p.name for p in path.parent.iterdir()] == ["1Z1.zpl"]
