"""Reading incident CSV files: from paths, zips or uploads, in any usual encoding, as a stream.

Files are read line by line (never whole into memory). Each line is decoded as UTF-8 (a BOM
is dropped) and, failing that, as Windows-1252, which is what Excel on Windows saves; a line
that is neither is reported as bad encoding. Rows come with their line number in the file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
ZIP_MAGIC = b"PK\x03\x04"
_HASH_CHUNK = 1 << 20

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
        if data[:4] == ZIP_MAGIC and name.lower().endswith(".zip"):
            found += _zip_members(name, data)
        else:
            found.append(InputFile(name, _bytes_opener(data)))
    return found


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
