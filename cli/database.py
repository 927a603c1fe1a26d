"""Database commands: prepare (migrate, questionnaire, demo data) and migrate."""

from __future__ import annotations

import argparse

from incidents.demo import load_demo_incidents
from nlp.tagger import load_tagger
from survey.database import make_engine, migrate
from survey.settings import get_settings
from survey.startup import load_survey_definition, prepare_database


def register(subparsers: argparse._SubParsersAction) -> None:
    prepare = subparsers.add_parser(
        "prepare",
        help="migrate the database, record the questionnaire, load demo data when empty",
    )
    prepare.add_argument("--no-demo", action="store_true", help="never load demo data")
    prepare.set_defaults(handler=run_prepare)
    upgrade = subparsers.add_parser("migrate", help="create or upgrade the database schema")
    upgrade.set_defaults(handler=run_migrate)


def run_prepare(args: argparse.Namespace) -> int:
    settings = get_settings()
    definition = load_survey_definition(settings)
    engine = make_engine(settings.database_url)
    # Trains the theme model when none matches the codebook and training data yet.
    tagger = load_tagger(settings.codebook_path, settings.models_dir, settings.training_dir)
    print(f"Theme tagger ready (codebook {tagger.codebook_version}, model {tagger.model_version}).")
    demo = settings.demo_data and not args.no_demo
    loaded = prepare_database(engine, settings, definition, demo=demo, tagger=tagger)
    print(f"Database ready ({engine.url.render_as_string(hide_password=True)}).")
    print(f"Questionnaire {definition.questionnaire.version}.")
    if loaded:
        print(f"Loaded {loaded} synthetic demo responses.")
    if demo:
        incidents = load_demo_incidents(engine, definition.dimensions, data_dir=settings.data_dir)
        if incidents:
            print(f"Loaded {incidents} synthetic demo incidents.")
    return 0


def run_migrate(_args: argparse.Namespace) -> int:
    engine = make_engine(get_settings().database_url)
    migrate(engine)
    print("Schema is up to date.")
    return 0
