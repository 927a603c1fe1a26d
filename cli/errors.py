"""What a command says when something it expects can go wrong does: one plain line.

A bad data file, a bad setting, a database URL that cannot be used or a database that does
not answer are things a partnership puts right itself; the message names the file (and line
or item), the setting or the database, and the problem. Anything else is a bug and keeps its
traceback. `youthvoice --debug` prints the traceback of the expected ones too.

Nothing is imported to recognise an error: an exception of a class can only have been raised
once the module defining it was loaded, so each class is looked up in `sys.modules` and a
module not loaded yet is skipped. Starting the command (and `--help`) pays for none of them.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError
    from sqlalchemy.exc import DBAPIError

# Each names its file (and where in it) in its message; see survey/core/data_files.py.
DATA_FILE_ERRORS: tuple[tuple[str, str], ...] = (
    ("nlp.file_formats", "DataFileError"),  # every data file's error derives from it
    ("nlp.codebook", "CodebookError"),
    ("nlp.training", "TrainingDataError"),
    ("survey.safeguarding.disclosures", "CuesError"),
    ("survey.privacy.redaction_lexicon", "LexiconError"),
)


class _NotLoaded(Exception):
    """Stands for a class whose module is not loaded: no error is an instance of it."""


def _loaded(module_name: str, class_name: str) -> Any:
    module = sys.modules.get(module_name)
    return getattr(module, class_name, _NotLoaded) if module is not None else _NotLoaded


def plain_message(error: BaseException) -> str | None:
    """The one-line message for an expected error; None for one that is a bug."""
    if isinstance(error, tuple(_loaded(*where) for where in DATA_FILE_ERRORS)):
        return _one_line(str(error))
    if isinstance(error, _loaded("cli.context", "DatabaseSettingError")):
        return str(error)
    # pydantic.ValidationError is pydantic_core's
    if isinstance(error, _loaded("pydantic_core", "ValidationError")) and error.title == "Settings":
        return _setting_message(error)
    if isinstance(error, _loaded("sqlalchemy.exc", "DBAPIError")) and error.statement is None:
        # No statement: it failed while connecting, before any SQL was sent.
        return _database_message(error)
    if isinstance(error, OSError) and error.filename is not None:
        return f"{error.filename}: {error.strerror or error}"
    return None


def _setting_message(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else ""
        name = field if field.isupper() else f"YOUTHVOICE_{field.upper()}"
        # The value is never repeated: a setting may be a password or a secret key.
        problems.append(f"setting {name}: {item['msg']}")
    return "; ".join(problems)


def _database_message(error: DBAPIError) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from survey.core.settings import get_settings

    try:
        where = make_url(get_settings().database_url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        where = "DATABASE_URL"
    reason = _one_line(str(error.orig if error.orig is not None else error))
    return f"cannot use the database at {where} (DATABASE_URL): {reason}"


def _one_line(text: str) -> str:
    return " ".join(line.strip() for line in text.strip().splitlines() if line.strip())
