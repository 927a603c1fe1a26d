"""Reading incident CSV files: from paths, zips or uploads, in any usual encoding, as a stream.

Files are read line by line (never whole into memory); an upload is first copied to disk a
chunk at a time (`spool_upload`) and read from there. Each line is decoded as UTF-8 (a BOM
is dropped) and, failing that, as Windows-1252, which is what Excel on Windows saves; a line
that is neither is reported as bad encoding. Rows come with their line number in the file.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
ZIP_MAGIC = b"PK\x03\x04"
_HASH_CHUNK = 1 << 20
# Copying an upload to disk holds at most this much of it in memory at once.
UPLOAD_CHUNK = 1 << 20
SPOOL_PREFIX = "upload-"

ErrorSink = Callable[[int, str], None]


class UnreadableFile(ValueError):
    """The whole file cannot be read as a CSV; the message says what to do."""


@dataclass(frozen=True)
class InputFile:
    """A CSV file to import: its display name and how to open its bytes (again)."""

    name: str
    opener: Callable[[], IO[bytes]] = field(repr=False)
    in_archive: bool = False

    def open(self) -> IO[bytes]:
        return self.opener()


def files_from_paths(paths: Sequence[Path | str]) -> list[InputFile]:
    """The CSV files named, with each zip replaced by the CSV files inside it."""
    found: list[InputFile] = []
    for path in map(Path, paths):
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
        if zipfile.is_zipfile(path):
            found += _zip_members(path.name, path)
        else:
            found.append(InputFile(path.name, _file_opener(path)))
    return found


def files_from_uploads(uploads: Sequence[tuple[str, bytes]]) -> list[InputFile]:
    """Uploaded (name, bytes) pairs as input files; zips are opened like files_from_paths."""
    found: list[InputFile] = []
    for name, data in uploads:
        if _is_uploaded_zip(name, data[:4]):
            found += _zip_members(name, data)
        else:
            found.append(InputFile(name, _bytes_opener(data)))
    return found


def files_from_spooled(paths: Sequence[Path]) -> list[InputFile]:
    """Uploads copied to disk by spool_upload, as input files read from disk in chunks.

    They are taken as uploads, not as files_from_paths takes files: a zip is opened only
    when it is named .zip, so a broken zip or an Excel workbook gets the same message as
    before it was copied to disk."""
    found: list[InputFile] = []
    for path in paths:
        with path.open("rb") as stream:
            start = stream.read(len(ZIP_MAGIC))
        if _is_uploaded_zip(path.name, start):
            found += _zip_members(path.name, path)
        else:
            found.append(InputFile(path.name, _file_opener(path)))
    return found


def _is_uploaded_zip(name: str, start: bytes) -> bool:
    return start[: len(ZIP_MAGIC)] == ZIP_MAGIC and name.lower().endswith(".zip")


def spool_upload(stream: IO[bytes], name: str, directory: Path) -> Path:
    """Copy an uploaded file to disk, UPLOAD_CHUNK bytes at a time, and return its path.

    The copy gets the upload's own file name (the import reports and records it), in a new
    private folder under `directory`, so two uploads of the same name never meet. Read it
    with files_from_spooled; delete it with discard_spooled."""
    directory.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=SPOOL_PREFIX, dir=directory))  # only we can read it
    path = folder / _safe_file_name(name)
    try:
        with path.open("xb") as copy:
            shutil.copyfileobj(stream, copy, UPLOAD_CHUNK)
    except BaseException:
        discard_spooled(path)
        raise
    return path


def discard_spooled(path: Path) -> None:
    """Delete a copy made by spool_upload, and its folder; nothing if it is already gone."""
    if not path.parent.name.startswith(SPOOL_PREFIX):  # never delete a file of anyone else's
        raise ValueError(f"{path} is not a copy of an upload")
    path.unlink(missing_ok=True)
    with contextlib.suppress(FileNotFoundError):
        path.parent.rmdir()  # rmdir, not rmtree: it only ever removes an empty folder


def discard_stale_spools(directory: Path, *, older_than_seconds: float) -> int:
    """Delete copies older than this: uploads left behind when a browser closed before the
    import (the page deletes the others itself). Returns how many went."""
    if not directory.is_dir():
        return 0
    limit = time.time() - older_than_seconds
    gone = 0
    for folder in directory.glob(f"{SPOOL_PREFIX}*"):
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)  # one of spool_upload's, by its prefix
            gone += 1
    return gone


def _safe_file_name(name: str) -> str:
    """The last part of an uploaded file's name, safe as a file name: the browser sends
    whatever it likes (a folder upload sends "folder/file.csv")."""
    base = re.split(r"[/\\]", name)[-1].replace("\0", "").strip()
    if base in {"", ".", ".."}:
        return "upload"
    if len(base.encode()) > 200:  # most file systems allow 255 bytes; keep the extension
        suffix = Path(base).suffix
        head = base[: len(base) - len(suffix)].encode()[: 200 - len(suffix.encode())]
        base = head.decode(errors="ignore") + suffix
    return base


def _file_opener(path: Path) -> Callable[[], IO[bytes]]:
    return lambda: path.open("rb")


def _bytes_opener(data: bytes) -> Callable[[], IO[bytes]]:
    return lambda: io.BytesIO(data)


def _zip_members(zip_name: str, source: Path | bytes) -> list[InputFile]:
    def archive() -> zipfile.ZipFile:
        return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)

    def member(name: str) -> Callable[[], IO[bytes]]:
        def open_member() -> IO[bytes]:
            with archive() as opened:
                # The member keeps the archive's file open until the member is closed.
                return opened.open(name)

        return open_member

    try:
        with archive() as opened:
            names = [i.filename for i in opened.infolist() if not i.is_dir()]
    except zipfile.BadZipFile:
        raise UnreadableFile(f"{zip_name}: not a readable zip file") from None
    # Only the CSV files: a police.uk download holds nothing else; other zips may.
    return [
        InputFile(f"{zip_name}/{name}", member(name), in_archive=True)
        for name in sorted(names)
        if name.lower().endswith(".csv")
    ]


def content_hash(file: InputFile) -> str:
    """The sha256 of the file's bytes: the same file imported twice has the same hash."""
    digest = hashlib.sha256()
    with file.open() as stream:
        while chunk := stream.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class CsvReader:
    """Rows of one CSV file with their line numbers; bad rows go to `on_error`, not out."""

    file: InputFile
    on_error: ErrorSink
    # Called with the header before any row is read; raises UnreadableFile to refuse the file.
    on_header: Callable[[list[str]], None] | None = None
    header: list[str] = field(default_factory=list)
    with_bom: bool = False
    used_windows_1252: bool = False
    rows_read: int = 0
    _bad_lines: set[int] = field(default_factory=set)

    @property
    def encoding(self) -> str:
        if self.used_windows_1252:
            return "Windows-1252"
        return "UTF-8 with BOM" if self.with_bom else "UTF-8"

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Data rows after the header, each as (line number, fields)."""
        with self.file.open() as stream:
            reader = csv.reader(self._lines(stream))
            self.header = self._read_header(reader)
            if self.on_header is not None:
                self.on_header(self.header)
            width = len(self.header)
            previous = reader.line_num
            while True:
                try:
                    fields = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    self.on_error(previous + 1, f"unreadable CSV ({exc})")
                    previous = reader.line_num
                    continue
                line, previous = previous + 1, reader.line_num
                if not fields or fields == [""]:
                    continue  # blank line
                self.rows_read += 1
                if self._bad_lines and self._has_bad_line(line, previous):
                    self.on_error(line, "bad encoding: neither UTF-8 nor Windows-1252 text")
                elif len(fields) != width:
                    self.on_error(
                        line, f"wrong number of columns: {len(fields)} (the header has {width})"
                    )
                else:
                    yield line, fields

    def _read_header(self, reader: Iterator[list[str]]) -> list[str]:
        try:
            header = next(reader)
        except StopIteration:
            raise UnreadableFile("the file is empty") from None
        except csv.Error as exc:
            raise UnreadableFile(f"the header line is not CSV ({exc})") from None
        if 1 in self._bad_lines:
            raise UnreadableFile("the header line is neither UTF-8 nor Windows-1252 text")
        return [name.strip() for name in header]

    def _has_bad_line(self, first: int, last: int) -> bool:
        return any(n in self._bad_lines for n in range(first, last + 1))

    def _lines(self, stream: IO[bytes]) -> Iterator[str]:
        for number, raw in enumerate(stream, start=1):
            if number == 1:
                raw = self._check_start(raw)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = self._fallback(number, raw)
            if "\0" in text:  # the csv module refuses NUL; report the line instead
                self._bad_lines.add(number)
                text = text.replace("\0", "")
            yield text

    def _check_start(self, raw: bytes) -> bytes:
        if raw.startswith(UTF16_BOMS):
            raise UnreadableFile(
                "the file is UTF-16 ('Unicode text'): save it as 'CSV UTF-8' or 'CSV' instead"
            )
        if raw.startswith(ZIP_MAGIC):
            raise UnreadableFile("this is not a CSV file (an Excel workbook?): save it as CSV")
        if raw.startswith(UTF8_BOM):
            self.with_bom = True
            return raw[len(UTF8_BOM) :]
        return raw

    def _fallback(self, number: int, raw: bytes) -> str:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            self._bad_lines.add(number)
            return raw.decode("cp1252", errors="replace")
        self.used_windows_1252 = True
        return text
