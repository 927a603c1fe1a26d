"""Alembic environment: migrations run against the engine the app passes in."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import incidents.models  # noqa: F401  (the incident tables)
import survey.core.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from survey.core.database import make_engine
from survey.core.settings import get_settings

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    engine = context.config.attributes.get("engine") or make_engine(get_settings().database_url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things: batch mode recreates the table instead.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
