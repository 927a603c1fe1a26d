"""What every command needs: the settings, and a migrated database."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from survey.database import make_engine, migrate
from survey.settings import get_settings


def open_engine() -> Engine:
    """The engine for DATABASE_URL, migrated to the newest schema."""
    engine = make_engine(get_settings().database_url)
    migrate(engine)
    return engine
