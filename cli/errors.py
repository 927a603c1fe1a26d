"""What a command says when something it expects can go wrong does: one plain line.

A bad data file, a bad setting, a database URL that cannot be used or a database that does
not answer are things a partnership puts right itself; the message names the file (and line
or item), the setting or the database, and the problem. Anything else is a bug and keeps its
traceback. `youthvoice --debug` prints the traceback of the expected ones too.
"""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from cli.context import DatabaseSettingError
from nlp.codebook import CodebookError
from nlp.training import TrainingDataError
from survey.core.data_files import DataFileError
from survey.core.settings import get_settings
from survey.privacy.redaction_lexicon import LexiconError
from survey.safeguarding.disclosures import CuesError

# Each names its file (and where in it) in its message; see survey/core/data_files.py.
DATA_FILE_ERRORS: tuple[type[Exception], ...] = (
    DataFileError,
    CodebookError,
    TrainingDataError,
    CuesError,
    LexiconError,
)


def plain_message(error: BaseException) -> str | None:
    """The one-line message for an expected error; None for one that is a bug."""
    if isinstance(error, DATA_FILE_ERRORS):
        return _one_line(str(error))
    if isinstance(error, DatabaseSettingError):
        return str(error)
    if isinstance(error, ValidationError) and error.title == "Settings":
        return _setting_message(error)
    if isinstance(error, DBAPIError) and error.statement is None:
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
    try:
        where = make_url(get_settings().database_url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        where = "DATABASE_URL"
    reason = _one_line(str(error.orig if error.orig is not None else error))
    return f"cannot use the database at {where} (DATABASE_URL): {reason}"


def _one_line(text: str) -> str:
    return " ".join(line.strip() for line in text.strip().splitlines() if line.strip())
