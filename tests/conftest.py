"""Shared fixtures: a real database per test, on SQLite always and on PostgreSQL when
TEST_DATABASE_URL names a server (each test run gets its own database there)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel

from survey.core.database import make_engine, migrate
from survey.core.settings import Settings, get_settings
from survey.startup import SurveyDefinition, load_survey_definition

# Limits hash their keys with the server secret: a fixed one, so no test writes var/.
os.environ.setdefault("YOUTHVOICE_SECRET_KEY", "test secret, not for any deployment " * 2)
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, migrated once, dropped at the end."""
    if not TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    server = make_url(TEST_DATABASE_URL)
    name = f"youthvoice_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(server.render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    yield url
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgres(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        # The audit log refuses TRUNCATE by trigger; a test database may be emptied anyway.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """The URL of an empty, migrated database of each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'youthvoice.db'}"
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        return url
    url = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture(scope="session", autouse=True)
def upload_copies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Incident uploads are copied to disk while checked: into this run's own folder."""
    os.environ.setdefault("YOUTHVOICE_UPLOAD_DIR", str(tmp_path_factory.mktemp("uploads")))
    get_settings.cache_clear()
    yield


@pytest.fixture(scope="session")
def definition() -> SurveyDefinition:
    return load_survey_definition(Settings())


@pytest.fixture
def app_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app's settings at the test database (for AppTest and commands)."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def tagger():
    """The real theme tagger the app uses (trained into var/models once, if missing)."""
    from nlp.tagger import load_tagger

    settings = Settings()
    return load_tagger(settings.codebook_path, settings.models_dir, settings.training_dir)
