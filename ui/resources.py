"""Things built once per server process and shared by every page run.

Data files follow the one loading rule (survey/core/data_files.py): read once per process,
read again when a file changes. A data file with a mistake stops every page with its plain
message until it is put right; nothing needs a restart.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from nlp.codebook import Codebook
from nlp.tagger import Tagger, load_tagger
from nlp.training import CURRENT_FILE
from survey.core.data_files import DataFileError, reloaded_on_change
from survey.core.database import make_engine, migrate
from survey.core.limits import Limits, limits_from_settings
from survey.core.settings import Settings, get_settings
from survey.questionnaire_versions import ensure_questionnaire_version
from survey.response_summary import rebuild_missing_summaries, summaries_missing
from survey.safeguarding.emailing import NoticeSender
from survey.safeguarding.help_contacts import HelpContacts, cached_help_contacts
from survey.startup import SurveyDefinition, cached_survey_definition
from ui.outage import outage_in_plain_words

log = logging.getLogger(__name__)


def settings() -> Settings:
    return get_settings()


def limits() -> Limits:
    return limits_from_settings(get_settings())


@contextmanager
def data_files_put_right() -> Iterator[None]:
    """A bad data file stops the page with its plain message (file, entry, problem).

    Nothing is kept of a file that failed, so the next run tries again once it is fixed.
    """
    try:
        yield
    except DataFileError as problem:
        st.error("The app cannot start until a data file is put right:")
        # st.code shows the message as typed: file names and ids are not read as Markdown.
        st.code(str(problem), language=None, wrap_lines=True)
        st.stop()
        raise  # unreachable: st.stop() ends the run


def survey_definition() -> SurveyDefinition:
    """The questionnaire, dimensions and codebook, checked against each other."""
    with data_files_put_right():
        return cached_survey_definition(settings())


@st.cache_resource(show_spinner="Getting the database ready…")
def _ready_engine(database_url: str) -> Engine:
    # The app migrates on start, so a deployment upgrades itself.
    engine = make_engine(database_url)
    try:
        migrate(engine)
    except Exception:
        engine.dispose()  # a failed start is retried on the next run; keep no pool open
        raise
    return engine


@st.cache_resource(show_spinner=False, max_entries=4)
def _questionnaire_recorded(database_url: str, questionnaire_version: str) -> str:
    # Once per questionnaire version (the file is read again when it changes).
    with Session(_ready_engine(database_url)) as db:
        today = datetime.now(ZoneInfo(settings().timezone)).date()
        # Never records a questionnaire that drops questions: that is accepted on
        # purpose (`youthvoice prepare --accept-removed-questions`) or the file restored.
        ensure_questionnaire_version(
            db, survey_definition().questionnaire, today, path=settings().questionnaire_path
        )
        if summaries_missing(db):  # responses stored before the board's summaries existed
            rebuild_missing_summaries(db, survey_definition().dimensions)
    return questionnaire_version


# The engines already migrated with their questionnaire recorded, by (database URL, version):
# engine() runs several times in every page run, and each st.cache_resource call hashes its
# arguments and inspects the function's signature (a few per cent of a young person's run).
_READY: dict[tuple[str, str], Engine] = {}


def engine() -> Engine:
    """The migrated engine; a bad data file stops every page with its plain message."""
    with data_files_put_right():  # not cached: the next run tries again once it is fixed
        url = settings().database_url
        version = survey_definition().questionnaire.version
        ready = _READY.get((url, version))
        if ready is None:
            _questionnaire_recorded(url, version)
            ready = _READY[(url, version)] = _ready_engine(url)
        return ready


@contextmanager
def db_session() -> Iterator[Session]:
    """A new database session for one page run, in a `with` block. If the database cannot
    be reached, the page says so in the product's own words and stops, keeping what was
    typed (ui/outage.py)."""
    with outage_in_plain_words(), Session(engine(), expire_on_commit=False) as db:
        yield db


def _tagger_files(codebook: Path, models: Path, training: Path) -> list[Path]:
    # What the tagger is built from: the codebook, the training files, and the pointer to a
    # model retrained with reviewers' corrections (`youthvoice train`).
    return [codebook, *sorted(training.glob("*.jsonl")), models / CURRENT_FILE]


@reloaded_on_change(_tagger_files)
def _tagger(codebook: Path, models: Path, training: Path) -> Tagger:
    # Shared by every session: Tagger is read-only and locks around spaCy itself.
    return load_tagger(codebook, models, training)


def warm_up() -> None:
    """Build the theme tagger and load the safeguarding checks (the disclosure model, the
    language identifier): what a young person's first page or first submit would otherwise
    wait a few seconds for. Called once when the server starts (server.py), before it takes
    its first page. A data file with a mistake is left to the pages, which say so plainly."""
    try:
        paths = (settings().codebook_path, settings().models_dir, settings().training_dir)
        cached_survey_definition(settings())
        _tagger(*paths)
        _warm_safeguarding_checks()
    except Exception:  # never stops the server: the first page shows the problem
        log.warning("warming up at start failed; the pages will say why", exc_info=True)


@asynccontextmanager
async def warmed_up_at_start(app: object) -> AsyncIterator[None]:
    """The server's lifespan (st.App in server.py): warm up before the first page."""
    await asyncio.to_thread(warm_up)
    yield


def _warm_safeguarding_checks() -> None:
    from survey.safeguarding.disclosures import detect_disclosure
    from survey.safeguarding.language import unread_language

    detect_disclosure("warming up the safeguarding checks")
    unread_language("rozgrzewka: sprawdzanie języka")  # not English: loads the identifier


_CHECKS_READY: list[bool] = []  # set once this process has loaded them (a fast path per run)


def safeguarding_checks_ready() -> bool:
    """Load the disclosure model and the language identifier at start-up, not on the first
    young person's submit (which would otherwise wait a second or two)."""
    if not _CHECKS_READY:
        _CHECKS_READY.append(_load_safeguarding_checks())
    return True


@st.cache_resource(show_spinner="Getting the safeguarding checks ready…")
def _load_safeguarding_checks() -> bool:
    _warm_safeguarding_checks()
    return True


def tagger() -> Tagger:
    """The theme tagger for the current codebook (checked against the vocabulary first)."""
    s = settings()
    survey_definition()  # a codebook with an unknown strand or place stops here, plainly
    paths = (s.codebook_path, s.models_dir, s.training_dir)
    with data_files_put_right():
        if _tagger.is_current(*paths):
            return _tagger(*paths)
        with st.spinner("Loading the theme tagger…"):
            return _tagger(*paths)


def codebook() -> Codebook:
    """The codebook, as checked with the questionnaire and the dimensions."""
    return survey_definition().codebook


def help_contacts() -> HelpContacts:
    with data_files_put_right():
        s = settings()
        return cached_help_contacts(s.data_dir / "help_contacts.yaml", s.dimensions_path)


@st.cache_resource(show_spinner=False)
def _alert_email_sender(database_url: str) -> NoticeSender:
    # One per server process: a background thread, woken by every submit that queued
    # emails. Replicas each run one; their claims never send an email twice.
    return NoticeSender(_ready_engine(database_url), get_settings).start()


def start_alert_emails() -> None:
    """Start this process's sender of safeguarding alert emails (when emails are on)."""
    if settings().alert_emails_on:
        _alert_email_sender(settings().database_url)
