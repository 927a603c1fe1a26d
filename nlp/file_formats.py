"""Reading the editable files: YAML validated by pydantic models, and JSONL line by line.

This is the project's one reader of YAML, one reader of JSONL and one way of validating what
they hold. Every problem is a `DataFileError` naming the file, where in it (a line, or an item
by its id or name, never a list index) and what is wrong, e.g.
`data/codebook.yaml: theme 'place.park' > strands: unknown strand 'sv_knfe' (known: ...)` or
`data/training/feel_safer.jsonl: line 12: not valid JSON (Expecting value)`.

It lives in nlp/ because nlp, the bottom layer, imports nothing of the project and yet reads
the codebook and the training files. Code outside nlp imports it from
`survey/core/data_files.py`, which adds the loading rule (when a file is read again).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)
ErrorT = TypeVar("ErrorT", bound="DataFileError")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when there is one
MAX_REPORTED = 5  # problems listed from one validation; the first ones are the ones to fix


class DataFileError(ValueError):
    """A data file is missing, unreadable or does not say what it must.

    The message is `FILE: WHERE: PROBLEM` (or `FILE: PROBLEM` for the file as a whole).
    """

    def __init__(self, path: Path | str, problem: str, where: str = "") -> None:
        self.path = str(path)
        self.where = where
        self.problem = problem
        location = f"{self.path}: {where}: " if where else f"{self.path}: "
        super().__init__(location + problem)


@contextmanager
def errors_as(error_class: type[ErrorT]) -> Iterator[None]:
    """Raise any DataFileError inside the block as `error_class` (same file, place, problem),
    for loaders whose callers catch their own kind of error (CodebookError, ...)."""
    try:
        yield
    except DataFileError as error:
        if isinstance(error, error_class):
            raise
        raise error_class(error.path, error.problem, error.where) from None


def unknown_value(
    path: Path | str, where: str, kind: str, value: object, known: Iterable[object]
) -> DataFileError:
    """The error for a name a file uses that its vocabulary does not define."""
    listed = ", ".join(str(k) for k in known) or "none"
    return DataFileError(path, f"unknown {kind} '{value}' (known: {listed})", where)


def check_known(
    path: Path | str, where: str, kind: str, value: object, known: Iterable[object]
) -> None:
    """Raise `unknown_value` unless `value` is one of `known` (listed in order if not)."""
    known = list(known)
    if value not in known:
        raise unknown_value(path, where, kind, value, known)


# --- reading ------------------------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    """A file's bytes; a missing or unreadable file is a DataFileError naming it."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, error: OSError) -> DataFileError:
    if isinstance(error, FileNotFoundError):
        return DataFileError(path, "file not found")
    if isinstance(error, IsADirectoryError):
        return DataFileError(path, "is a folder, not a file")
    return DataFileError(path, f"cannot be read ({error.strerror})")


def decode(path: Path, data: bytes, where: str = "") -> str:
    """UTF-8 text of a file's bytes (line endings kept as written)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(path, f"not UTF-8 text ({exc.reason})", where) from None


def read_text(path: Path) -> str:
    return decode(path, read_bytes(path))


def read_lines(path: Path) -> list[str]:
    """The stripped lines of a plain list (one entry a line), without blanks and # comments."""
    lines = (line.strip() for line in read_text(path).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def parse_yaml(path: Path, text: str) -> Any:
    """Parse YAML text read from `path`, turning a syntax error into a DataFileError."""
    try:
        return yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        where, problem = yaml_error_parts(exc)
        raise DataFileError(path, problem, where) from None


def read_yaml(path: Path) -> Any:
    """Read and parse a YAML file; every failure is a DataFileError naming the file."""
    return parse_yaml(path, read_text(path))


def yaml_error_parts(error: yaml.YAMLError) -> tuple[str, str]:
    """Where ("line 3", or "") and what ("not valid YAML: ...") of a YAML error.

    PyYAML's own message quotes the text around the error over several lines; a person
    needs the line number and the problem.
    """
    mark = getattr(error, "problem_mark", None)
    where = f"line {mark.line + 1}" if mark else ""
    problem = getattr(error, "problem", None) or " ".join(str(error).split())
    return where, f"not valid YAML: {problem}"


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line of a JSONL file, read a line at a time.

    A line that is not UTF-8, not JSON, or not a JSON object is a DataFileError naming the
    file and the line (`FILE: line 12: not valid JSON (...)`).
    """
    try:
        stream = Path(path).open("rb")  # noqa: SIM115 (closed by the `with` below)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    with stream:
        for number, raw in enumerate(stream, 1):
            where = f"line {number}"
            line = decode(path, raw, where)
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataFileError(path, f"not valid JSON ({exc.msg})", where) from None
            if not isinstance(row, dict):
                found = "a list" if isinstance(row, list) else f"{row!r}"
                raise DataFileError(path, f"expected a JSON object {{...}}, found {found}", where)
            yield number, row


# --- validating ---------------------------------------------------------------------------


def validate_file(path: Path, raw: Any, model: type[ModelT]) -> ModelT:
    """Validate parsed YAML against a pydantic model; report the first problems clearly."""
    if raw is None:
        raise DataFileError(path, "the file is empty")
    if not isinstance(raw, dict):  # every data file is a mapping ("name: value" lines)
        found = "a list" if isinstance(raw, list) else f"only {raw!r}"
        raise DataFileError(path, f"expected 'name: value' lines at the top level, found {found}")
    return validate_item(path, raw, model)


def validate_row(path: Path, number: int, row: dict[str, Any], model: type[ModelT]) -> ModelT:
    """Validate one JSONL row (from `read_jsonl`) against a pydantic model."""
    return validate_item(path, row, model, f"line {number}")


def validate_item(path: Path | str, raw: Any, model: type[ModelT], where: str = "") -> ModelT:
    """Validate `raw` against `model`; the error names `where` and the item inside it."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        messages = []
        for error in exc.errors()[:MAX_REPORTED]:
            inside = describe_location(raw, tuple(error["loc"]))
            messages.append(f"{inside}: {_plain(error)}" if inside else _plain(error))
        raise DataFileError(path, "; ".join(messages), where) from None


def describe_location(raw: Any, loc: tuple[int | str, ...]) -> str:
    """Render a pydantic error location against the raw data, naming items by id or name."""
    parts: list[str] = []
    node = raw
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
            node = node[key]
            label = _item_label(node)
            if label is not None and parts:
                parts[-1] = f"{_singular(parts[-1])} '{label}'"
            else:
                parts.append(f"item {key + 1}")
            continue
        parts.append(str(key))
        node = node.get(key) if isinstance(node, dict) else None
    return " > ".join(parts)


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"  # categories -> category
    return word[:-1] if word.endswith("s") else word


def _plain(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key (a typing mistake, or not one this file takes)"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def _item_label(node: Any) -> Any:
    if not isinstance(node, dict):
        return None
    return node.get("id") or node.get("name") or node.get("value")
