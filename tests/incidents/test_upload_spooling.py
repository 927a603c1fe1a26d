"""Uploads are copied to disk a chunk at a time and imported from there (never whole in
memory); the copies are private, named as uploaded, and deleted afterwards."""

from __future__ import annotations

import io
import os
import stat
import time

import pytest

from incidents.importing import import_uploads
from incidents.reading import (
    UPLOAD_CHUNK,
    UnreadableFile,
    discard_spooled,
    discard_stale_spools,
    files_from_spooled,
    spool_upload,
)
from incidents.report import STORED
from survey.core.settings import Settings
from tests.incidents.helpers import ANA, SAMPLE, csv_bytes, police_row, stored, zip_bytes


class CountedReads(io.BytesIO):
    """An upload stream that remembers how much each read asked for."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.asked: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        self.asked.append(-1 if size is None else size)
        return super().read(size)


def test_spool_upload_copies_a_chunk_at_a_time_under_the_uploaded_name(tmp_path):
    data = b"x" * (3 * UPLOAD_CHUNK + 10)
    upload = CountedReads(data)
    path = spool_upload(upload, "2024-01-kent-street.csv", tmp_path)
    assert path.read_bytes() == data and path.name == "2024-01-kent-street.csv"
    assert upload.asked and all(0 < size <= UPLOAD_CHUNK for size in upload.asked)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700  # only the app's user reads it


def test_spool_upload_keeps_two_uploads_of_one_name_apart(tmp_path):
    first = spool_upload(io.BytesIO(b"one"), "street.csv", tmp_path)
    second = spool_upload(io.BytesIO(b"two"), "street.csv", tmp_path)
    assert first != second and (first.read_bytes(), second.read_bytes()) == (b"one", b"two")


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("folder/sub/street.csv", "street.csv"),
        ("..\\..\\street.csv", "street.csv"),
        ("..", "upload"),
        ("", "upload"),
        ("a" * 300 + ".csv", "a" * 196 + ".csv"),
    ],
)
def test_spool_upload_never_writes_outside_its_folder(tmp_path, sent, kept):
    path = spool_upload(io.BytesIO(b"data"), sent, tmp_path / "uploads")
    assert path.name == kept
    assert path.parent.parent == tmp_path / "uploads"


def test_discard_spooled_deletes_the_copy_and_its_folder_only(tmp_path):
    path = spool_upload(io.BytesIO(b"data"), "street.csv", tmp_path)
    discard_spooled(path)
    discard_spooled(path)  # already gone: nothing to do
    assert list(tmp_path.iterdir()) == []
    mine = tmp_path / "notes.csv"
    mine.write_text("not an upload")
    with pytest.raises(ValueError, match="not a copy of an upload"):
        discard_spooled(mine)
    assert mine.exists()


def test_discard_stale_spools_deletes_only_old_copies(tmp_path):
    old = spool_upload(io.BytesIO(b"old"), "old.csv", tmp_path)
    new = spool_upload(io.BytesIO(b"new"), "new.csv", tmp_path)
    day_ago = time.time() - 24 * 3600
    os.utime(old.parent, (day_ago, day_ago))
    assert discard_stale_spools(tmp_path, older_than_seconds=12 * 3600) == 1
    assert not old.parent.exists() and new.exists()
    assert discard_stale_spools(tmp_path / "missing", older_than_seconds=1) == 0


def test_files_from_spooled_open_a_zip_and_refuse_a_broken_one_like_uploads(tmp_path):
    month = csv_bytes([police_row()])
    download = spool_upload(io.BytesIO(zip_bytes({"2019-01/street.csv": month})), "d.zip", tmp_path)
    [member] = files_from_spooled([download])
    assert member.name == "d.zip/2019-01/street.csv" and member.in_archive
    with member.open() as stream:
        assert stream.read() == month
    broken = spool_upload(io.BytesIO(b"PK\x03\x04 truncated"), "download.zip", tmp_path)
    with pytest.raises(UnreadableFile, match=r"download\.zip: not a readable zip file"):
        files_from_spooled([broken])


def test_import_uploads_checks_then_stores_a_spooled_file(db, tmp_path):
    with SAMPLE.open("rb") as upload:
        path = spool_upload(upload, SAMPLE.name, tmp_path)
    options = {"settings": Settings(), "choice": "police.uk"}
    checked = import_uploads(db, ANA, [path], **options, dry_run=True)
    assert checked.good_rows == 20 and stored(db) == 0
    report = import_uploads(db, ANA, [path], **options)
    assert report.status == STORED and stored(db) == 20
    assert [f.name for f in report.files] == [SAMPLE.name]


@pytest.mark.slow  # a benchmark command
def test_bench_upload_command_measures_both_ways(capsys):
    from cli.main import main

    assert main(["bench-upload", "--rows", "2000"]) == 0
    out = capsys.readouterr().out
    assert "in-memory: peak RSS" in out and "on-disk: peak RSS" in out
    assert out.count("checked and imported 2,000 rows (stored)") == 2
