"""Shared fixtures: a real database per test, on SQLite always and on PostgreSQL when
TEST_DATABASE_URL names a server (each test run gets its own database there).

Nothing a test run makes lands in the repository: the trained theme model, uploads, the
secret key and a forgotten database all go to this run's own temporary folder (set in the
environment before any setting is read, so `streamlit run` servers the browser tests start
see it too), and the run fails at the end if it created or changed anything under `var/` or
any tracked file (`repository_guard`).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Before the project's modules are imported, so no setting is ever read without these.
# xdist's workers inherit the environment of the process that started them, so the whole
# run shares one folder (and one trained model).
RUN_DIR_VARIABLE = "YOUTHVOICE_TEST_RUN_DIR"
if RUN_DIR_VARIABLE not in os.environ:
    os.environ[RUN_DIR_VARIABLE] = tempfile.mkdtemp(prefix="youthvoice-tests-")
    OWNS_RUN_DIR = True  # this process made the folder, and removes it at the end
else:
    OWNS_RUN_DIR = False
RUN_DIR = Path(os.environ[RUN_DIR_VARIABLE])
os.environ["YOUTHVOICE_MODELS_DIR"] = str(RUN_DIR / "models")
os.environ["YOUTHVOICE_UPLOAD_DIR"] = str(RUN_DIR / "uploads")
os.environ["YOUTHVOICE_SECRET_KEY_FILE"] = str(RUN_DIR / "secret_key")
# Limits hash their keys with the server secret: a fixed one, so no test writes var/.
os.environ.setdefault("YOUTHVOICE_SECRET_KEY", "test secret, not for any deployment " * 2)
# A test that forgets `app_database` gets a throwaway database, never var/ or a real one.
os.environ["DATABASE_URL"] = f"sqlite:///{RUN_DIR / 'stray.db'}"

import pytest  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

from survey.core import data_files  # noqa: E402
from survey.core.database import make_engine, migrate  # noqa: E402
from survey.core.settings import Settings, get_settings  # noqa: E402
from survey.startup import SurveyDefinition, load_survey_definition  # noqa: E402
from tests.repository_guard import RepositoryGuard  # noqa: E402

# Tests edit a data file and read it back at once; the one-second window between looks at
# the files (data_files.RECHECK_SECONDS) has its own test (tests/test_data_files.py).
data_files.RECHECK_SECONDS = 0.0

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])


def _is_first_process(config: pytest.Config) -> bool:
    """True in a run without xdist and in xdist's controller; False in its workers."""
    return not hasattr(config, "workerinput")


# Someone editing the tree while tests run (a shared checkout) may switch the check off.
REPOSITORY_CHECK = os.environ.get("YOUTHVOICE_TEST_REPOSITORY_CHECK", "on") != "off"


def pytest_configure(config: pytest.Config) -> None:
    if _is_first_process(config) and REPOSITORY_CHECK:
        config.stash[GUARD] = RepositoryGuard.take()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    guard = session.config.stash.get(GUARD, None)
    if guard is None:
        return
    # `make screenshots` saves the README's pictures into the repository on purpose.
    screenshots = os.environ.get("YOUTHVOICE_SCREENSHOTS_DIR")
    changed = guard.changes(allowed=(Path(screenshots),) if screenshots else ())
    if changed:
        session.config.stash[CHANGED] = changed
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    changed = config.stash.get(CHANGED, None)
    if changed:
        terminalreporter.section("the test run changed the repository", red=True, bold=True)
        terminalreporter.line(
            "Tests must write only to temporary folders, never var/ or tracked files:"
        )
        for line in changed:
            terminalreporter.line(f"  {line}")
        terminalreporter.line(
            "If you changed these yourself while the tests ran, run them again (or set "
            "YOUTHVOICE_TEST_REPOSITORY_CHECK=off while you edit)."
        )


def pytest_unconfigure(config: pytest.Config) -> None:
    if OWNS_RUN_DIR and _is_first_process(config):
        shutil.rmtree(RUN_DIR, ignore_errors=True)


GUARD = pytest.StashKey[RepositoryGuard]()
CHANGED = pytest.StashKey[list[str]]()


@contextmanager
def run_lock(name: str) -> Iterator[None]:
    """One process of this run at a time (xdist's workers share RUN_DIR)."""
    with (RUN_DIR / f"{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- databases --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated once per session; each test gets a copy of its file."""
    path = tmp_path_factory.mktemp("template") / "youthvoice.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()  # the last connection closing folds the WAL back into the file
    assert not Path(f"{path}-wal").exists(), "the template must be one file to copy"
    return path


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
    """Empty the run's migrated PostgreSQL database: TRUNCATE of every table. Measured
    faster than a CREATE DATABASE … TEMPLATE per test: 55 ms against 21 ms to create plus
    117 ms to drop it; 46 PostgreSQL tests took 17 s against 23 s."""
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        # The audit log refuses TRUNCATE by trigger; a test database may be emptied anyway.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty, migrated database of each backend."""
    if request.param == "sqlite":
        path = tmp_path / "youthvoice.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
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


# --- the theme tagger -------------------------------------------------------------------


@pytest.fixture(scope="session")
def theme_model_dir() -> Path:
    """The model for the shipped codebook and training data, trained once per test run
    into the run's YOUTHVOICE_MODELS_DIR (the folder the app and the commands read)."""
    from nlp.training import train_model

    settings = Settings()
    with run_lock("models"):
        return train_model(settings.codebook_path, settings.training_dir, settings.models_dir)


@pytest.fixture(scope="session")
def tagger(theme_model_dir: Path):
    """The real theme tagger the app uses, loaded as the app loads it."""
    from nlp.tagger import load_tagger

    settings = Settings()
    return load_tagger(settings.codebook_path, settings.models_dir, settings.training_dir)


# --- email -----------------------------------------------------------------------------


@pytest.fixture
def mail(monkeypatch: pytest.MonkeyPatch):
    """A real SMTP server (tests/mail_server.py) on a free port, and the settings that send
    alert emails through it, with links to https://voice.example.org."""
    from tests.mail_server import MailServer

    server = MailServer().start()
    monkeypatch.setenv("YOUTHVOICE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("YOUTHVOICE_SMTP_PORT", str(server.port))
    monkeypatch.setenv("YOUTHVOICE_SMTP_STARTTLS", "false")
    monkeypatch.setenv("YOUTHVOICE_SMTP_FROM", "Youth voice <alerts@voice.example.org>")
    monkeypatch.setenv("YOUTHVOICE_PUBLIC_URL", "https://voice.example.org")
    get_settings.cache_clear()
    yield server
    server.stop()
    get_settings.cache_clear()
