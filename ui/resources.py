"""Things built once per server process and shared by every page run (st.cache_resource)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from nlp.codebook import Codebook, load_codebook
from nlp.tagger import Tagger, load_tagger
from survey.core.data_files import DataFileError
from survey.core.database import make_engine, migrate
from survey.core.limits import Limits, limits_from_settings
from survey.core.settings import Settings, get_settings
from survey.questionnaire_versions import ensure_questionnaire_version
from survey.response_summary import rebuild_missing_summaries, summaries_missing
from survey.safeguarding.alerts import HelpContacts, load_help_contacts
from survey.startup import SurveyDefinition, load_survey_definition
from ui.outage import outage_in_plain_words


def settings() -> Settings:
    return get_settings()


def limits() -> Limits:
    return limits_from_settings(get_settings())


@st.cache_resource(show_spinner=False)
def _definition(data_dir: str, max_text: int) -> SurveyDefinition:
    return load_survey_definition(get_settings())


def survey_definition() -> SurveyDefinition:
    s = settings()
    return _definition(str(s.data_dir), s.max_text_length)


@st.cache_resource(show_spinner="Getting the database ready…")
def _ready_engine(database_url: str, questionnaire_version: str) -> Engine:
    # The app migrates on start, so a deployment upgrades itself.
    engine = make_engine(database_url)
    try:
        migrate(engine)
        with Session(engine) as db:
            today = datetime.now(ZoneInfo(settings().timezone)).date()
            # Never records a questionnaire that drops questions: that is accepted on
            # purpose (`youthvoice prepare --accept-removed-questions`) or the file restored.
            ensure_questionnaire_version(
                db, survey_definition().questionnaire, today, path=settings().questionnaire_path
            )
            if summaries_missing(db):  # responses stored before the board's summaries existed
                rebuild_missing_summaries(db, survey_definition().dimensions)
    except Exception:
        engine.dispose()  # a failed start is retried on the next run; keep no pool open
        raise
    return engine


def engine() -> Engine:
    """The migrated engine; a bad data file stops every page with its plain message."""
    try:
        return _ready_engine(settings().database_url, survey_definition().questionnaire.version)
    except DataFileError as problem:  # not cached: the next run tries again once it is fixed
        st.error("The app cannot start until a data file is put right:")
        # st.code shows the message as typed: file names and ids are not read as Markdown.
        st.code(str(problem), language=None, wrap_lines=True)
        st.stop()
        raise  # unreachable: st.stop() ends the run


@contextmanager
def db_session() -> Iterator[Session]:
    """A new database session for one page run, in a `with` block. If the database cannot
    be reached, the page says so in the product's own words and stops, keeping what was
    typed (ui/outage.py)."""
    with outage_in_plain_words(), Session(engine(), expire_on_commit=False) as db:
        yield db


@st.cache_resource(show_spinner="Loading the theme tagger…")
def _tagger(codebook: str, models: str, training: str) -> Tagger:
    # Shared by every session: Tagger is read-only and locks around spaCy itself.
    return load_tagger(Path(codebook), Path(models), Path(training))


def tagger() -> Tagger:
    s = settings()
    return _tagger(str(s.codebook_path), str(s.models_dir), str(s.training_dir))


@st.cache_resource(show_spinner=False)
def _codebook(path: str, mtime: float) -> Codebook:
    return load_codebook(Path(path))


def codebook() -> Codebook:
    path = settings().codebook_path
    return _codebook(str(path), path.stat().st_mtime)


@st.cache_resource(show_spinner=False)
def _help_contacts(path: str, mtime: float) -> HelpContacts:
    return load_help_contacts(Path(path))


def help_contacts() -> HelpContacts:
    path = settings().data_dir / "help_contacts.yaml"
    return _help_contacts(str(path), path.stat().st_mtime)
