"""Things built once per server process and shared by every page run (st.cache_resource)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from nlp.codebook import Codebook, load_codebook
from nlp.tagger import Tagger, load_tagger
from survey.database import make_engine, migrate
from survey.response_summary import rebuild_missing_summaries, summaries_missing
from survey.responses import ensure_questionnaire_version
from survey.safeguarding import HelpContacts, load_help_contacts
from survey.settings import Settings, get_settings
from survey.startup import SurveyDefinition, load_survey_definition


def settings() -> Settings:
    return get_settings()


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
    migrate(engine)
    with Session(engine) as db:
        today = datetime.now(ZoneInfo(settings().timezone)).date()
        ensure_questionnaire_version(db, survey_definition().questionnaire, today)
        if summaries_missing(db):  # responses stored before the board's summaries existed
            rebuild_missing_summaries(db, survey_definition().dimensions)
    return engine


def engine() -> Engine:
    return _ready_engine(settings().database_url, survey_definition().questionnaire.version)


def db_session() -> Session:
    """A new database session for one page run; use it in a `with` block."""
    return Session(engine(), expire_on_commit=False)


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
