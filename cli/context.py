"""What every command needs: the settings, and a migrated database."""

from __future__ import annotations

from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError

from survey.core.database import make_engine, migrate
from survey.core.settings import get_settings

EXAMPLE_URLS = "e.g. sqlite:///var/youthvoice.db or postgresql+psycopg://user@host/youthvoice"


class DatabaseSettingError(Exception):
    """DATABASE_URL names no database this app can use; the message says why."""


def database_url() -> str:
    """DATABASE_URL, checked: a typo is named as such, not left to a traceback from SQLAlchemy."""
    url = get_settings().database_url
    try:
        make_url(url).get_dialect()  # an unknown database (NoSuchModuleError) fails here too
    except (ArgumentError, ValueError) as problem:
        # The URL is never repeated: it may hold a password.
        raise DatabaseSettingError(
            f"DATABASE_URL is not a database URL this app can use ({problem}); {EXAMPLE_URLS}"
        ) from None
    return url


def settings_engine() -> Engine:
    """The engine for DATABASE_URL, not yet migrated."""
    url = database_url()
    try:
        return make_engine(url)
    except OSError as problem:  # a SQLite file whose folder cannot be made
        raise DatabaseSettingError(
            f"DATABASE_URL: cannot make the folder for the SQLite database "
            f"({problem.filename}: {problem.strerror})"
        ) from None


def open_engine() -> Engine:
    """The engine for DATABASE_URL, migrated to the newest schema."""
    engine = settings_engine()
    migrate(engine)
    return engine
