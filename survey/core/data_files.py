"""Loading the editable files in `data/` with messages a partnership can act on.

A bad file must fail with the file, the item (by its id or name, not a list index) and
the problem, e.g. `data/questionnaire.yaml: section 'where' > question 'place_name':
show_if refers to unknown question 'wher'`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)


class DataFileError(ValueError):
    """A file in `data/` is missing, unreadable or does not say what it must."""

    def __init__(self, path: Path | str, problem: str, where: str = "") -> None:
        self.path = str(path)
        self.where = where
        self.problem = problem
        location = f"{self.path}: {where}: " if where else f"{self.path}: "
        super().__init__(location + problem)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file, turning every failure into a DataFileError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(path, "file not found") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(path, f"not UTF-8 text ({exc.reason})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where, problem = yaml_error_parts(exc)
        raise DataFileError(path, problem, where) from None


def yaml_error_parts(error: yaml.YAMLError) -> tuple[str, str]:
    """Where ("line 3", or "") and what ("not valid YAML: ...") of a YAML error.

    PyYAML's own message quotes the text around the error over several lines; a person
    needs the line number and the problem.
    """
    mark = getattr(error, "problem_mark", None)
    where = f"line {mark.line + 1}" if mark else ""
    problem = getattr(error, "problem", None) or " ".join(str(error).split())
    return where, f"not valid YAML: {problem}"


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
    return word[:-1] if word.endswith("s") else word


def validate_file(path: Path, raw: Any, model: type[ModelT]) -> ModelT:
    """Validate parsed YAML against a pydantic model; report the first problems clearly."""
    if raw is None:
        raise DataFileError(path, "the file is empty")
    if not isinstance(raw, dict):  # every data file is a mapping ("name: value" lines)
        found = "a list" if isinstance(raw, list) else f"only {raw!r}"
        raise DataFileError(path, f"expected 'name: value' lines at the top level, found {found}")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        messages = []
        for error in exc.errors()[:5]:
            where = describe_location(raw, tuple(error["loc"]))
            messages.append(f"{where}: {_plain(error)}" if where else _plain(error))
        raise DataFileError(path, "; ".join(messages)) from None


def _plain(error: Any) -> str:
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def _item_label(node: Any) -> Any:
    if not isinstance(node, dict):
        return None
    return node.get("id") or node.get("name") or node.get("value")
