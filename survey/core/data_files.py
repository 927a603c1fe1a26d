"""The editable files in `data/`: how they are read, validated, checked and kept.

Reading and validating. YAML is read with `read_yaml` and validated with pydantic models
through `validate_file`; JSONL is read with `read_jsonl` (rows validated by `validate_row`);
plain lists with `read_lines`. A bad file fails with a `DataFileError` naming the file, the
item (by its id or name, not a list index) or line, and the problem, e.g.
`data/questionnaire.yaml: section 'where' > question 'place_name': show_if refers to
unknown question 'wher'`. These live in `nlp/file_formats.py` (nlp imports nothing of the
project, yet reads the codebook and training files) and are imported from here everywhere else.

One vocabulary. Districts, place types, time bands, age bands, genders and strands are
defined once, in `data/dimensions.yaml` (survey/core/dimensions.py). Every file that names
one of them, or a theme of the codebook, is checked against it when it is loaded, and an
unknown name is refused as `FILE: ENTRY: unknown KIND 'VALUE' (known: ...)`.

The loading rule, for every data file the app reads: **a file is read once per process and
read again when its modification time or size changes.** `reloaded_on_change` implements it:
the result of a loader is kept with the (path, mtime, size) of every file it was built from,
and the next call re-reads only if one of them changed (an edit, a copy over it, a file
removed or restored). The files are looked at again at most once every `RECHECK_SECONDS`
(one second) per loader and arguments: a page run calls these loaders many times, and
stat-ing every file (and listing the training folder) each time was a tenth of the server's
CPU under a crowd. A file that fails to load is not kept, so the next call tries again and
reports the problem again until it is fixed. Nothing has to restart after editing `data/`;
an edit that breaks a file shows its message at the next use after that second. Files read
only by a one-off action (a partner mapping for an import, the demo files while preparing)
are read when that action runs, which is the same rule with nothing worth keeping.
"""

from __future__ import annotations

import functools
import os
import threading
import time
import weakref
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Generic, ParamSpec, TypeVar

from nlp.file_formats import (
    DataFileError,
    check_known,
    decode,
    describe_location,
    errors_as,
    parse_yaml,
    read_bytes,
    read_jsonl,
    read_lines,
    read_text,
    read_yaml,
    unknown_value,
    validate_file,
    validate_item,
    validate_row,
    yaml_error_parts,
)

__all__ = [
    "DataFileError",
    "FileStamp",
    "check_known",
    "decode",
    "describe_location",
    "errors_as",
    "file_stamps",
    "forget_loaded_files",
    "parse_yaml",
    "read_bytes",
    "read_jsonl",
    "read_lines",
    "read_text",
    "read_yaml",
    "reloaded_on_change",
    "unknown_value",
    "validate_file",
    "validate_item",
    "validate_row",
    "yaml_error_parts",
]

P = ParamSpec("P")
T = TypeVar("T")
FileStamp = tuple[str, int | None, int | None]  # path, mtime in ns and size (None: no file)
# How long what a loader kept is taken as current without looking at its files again
# (tests set 0: they edit a file and read it back at once).
RECHECK_SECONDS = 1.0


def file_stamps(paths: Iterable[Path]) -> tuple[FileStamp, ...]:
    """(path, modification time in ns, size) of each file; (path, None, None) if it is gone."""
    stamps: list[FileStamp] = []
    for path in paths:
        try:
            status = os.stat(path)
        except OSError:
            stamps.append((str(path), None, None))
        else:
            stamps.append((str(path), status.st_mtime_ns, status.st_size))
    return tuple(stamps)


class FileCached(Generic[P, T]):
    """A loader that follows the loading rule (see the module's docstring).

    `files` takes the loader's arguments and gives the files its result is built from.
    The arguments are the cache key, so they must be hashable (paths, strings, numbers).
    """

    def __init__(self, load: Callable[P, T], files: Callable[P, Iterable[Path]]) -> None:
        self._load = load
        self._files = files
        self._kept: dict[Hashable, tuple[tuple[FileStamp, ...], T]] = {}
        self._checked_at: dict[Hashable, float] = {}  # when the kept stamps were last current
        self._loading: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        functools.update_wrapper(self, load)
        _ALL.add(self)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T:
        key = (args, tuple(sorted(kwargs.items())))
        kept = self._kept.get(key)
        if kept is not None and self._recently_checked(key):
            return kept[1]
        stamps = file_stamps(self._files(*args, **kwargs))
        if kept is not None and kept[0] == stamps:
            self._checked_at[key] = time.monotonic()
            return kept[1]
        with self._lock:
            loading = self._loading.setdefault(key, threading.Lock())
        with loading:  # one load at a time per key: the others wait and take its result
            kept = self._kept.get(key)
            if kept is not None and kept[0] == stamps:
                return kept[1]
            # Stamped before reading: a change made during the read is seen on the next call.
            value = self._load(*args, **kwargs)
            self._kept[key] = (stamps, value)
            self._checked_at[key] = time.monotonic()
            return value

    def is_current(self, *args: P.args, **kwargs: P.kwargs) -> bool:
        """Whether a call with these arguments would return what it kept (no reading)."""
        key = (args, tuple(sorted(kwargs.items())))
        kept = self._kept.get(key)
        if kept is None:
            return False
        return self._recently_checked(key) or kept[0] == file_stamps(self._files(*args, **kwargs))

    def _recently_checked(self, key: Hashable) -> bool:
        checked_at = self._checked_at.get(key)
        return checked_at is not None and time.monotonic() - checked_at < RECHECK_SECONDS

    def cache_clear(self) -> None:
        """Forget what was kept (tests; the rule itself never needs it)."""
        self._kept.clear()
        self._checked_at.clear()


_ALL: weakref.WeakSet[FileCached] = weakref.WeakSet()


def reloaded_on_change(
    files: Callable[P, Iterable[Path]],
) -> Callable[[Callable[P, T]], FileCached[P, T]]:
    """Decorate a loader so it follows the loading rule; `files(*args)` lists what it reads."""

    def wrap(load: Callable[P, T]) -> FileCached[P, T]:
        return FileCached(load, files)

    return wrap


def forget_loaded_files() -> None:
    """Forget every kept data file, so the next use reads each again (for tests)."""
    for cached in _ALL:
        cached.cache_clear()
