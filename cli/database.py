"""Database commands: prepare (migrate, questionnaire, demo data) and migrate.

What they read and write is imported inside the handlers, so other commands (and --help)
do not pay for it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from survey.core.settings import Settings
    from survey.startup import SurveyDefinition


def register(subparsers: argparse._SubParsersAction) -> None:
    prepare = subparsers.add_parser(
        "prepare",
        help="migrate the database, record the questionnaire, load demo data when empty",
    )
    prepare.add_argument("--no-demo", action="store_true", help="never load demo data")
    prepare.add_argument(
        "--accept-removed-questions",
        action="store_true",
        help="record the questionnaire even if it drops questions the last recorded version asked",
    )
    prepare.set_defaults(handler=run_prepare)
    upgrade = subparsers.add_parser("migrate", help="create or upgrade the database schema")
    upgrade.set_defaults(handler=run_migrate)


def run_prepare(args: argparse.Namespace) -> int:
    from cli.context import settings_engine
    from incidents.demo import load_demo_incidents
    from nlp.tagger import load_tagger
    from survey.core.settings import get_settings
    from survey.startup import load_survey_definition, prepare_database

    settings = get_settings()
    definition = load_survey_definition(settings)
    demo = settings.demo_data and not args.no_demo
    check_data_files(settings, definition, demo=demo)
    engine = settings_engine()
    # Trains the theme model when none matches the codebook and training data yet.
    tagger = load_tagger(settings.codebook_path, settings.models_dir, settings.training_dir)
    print(f"Theme tagger ready (codebook {tagger.codebook_version}, model {tagger.model_version}).")
    loaded = prepare_database(
        engine,
        settings,
        definition,
        demo=demo,
        tagger=tagger,
        accept_removed_questions=args.accept_removed_questions,
    )
    print(f"Database ready ({engine.url.render_as_string(hide_password=True)}).")
    print(f"Questionnaire {definition.questionnaire.version}.")
    if loaded:
        print(f"Loaded {loaded} synthetic demo responses.")
    if demo:
        incidents = load_demo_incidents(engine, definition.dimensions, data_dir=settings.data_dir)
        if incidents:
            print(f"Loaded {incidents} synthetic demo incidents.")
    report_address(settings)
    return 0


def report_address(settings: Settings) -> None:
    """Where join links point and where `make run` listens; a warning (on stderr) when
    phones could not join that way, a hint when only this computer can."""
    import sys

    from survey.core.public_address import AddressLevel, address_check

    print(
        f"Join links and QR codes point to {settings.public_url} (YOUTHVOICE_PUBLIC_URL); "
        f"`make run` listens on {settings.host}:{settings.port} "
        "(YOUTHVOICE_HOST, YOUTHVOICE_PORT)."
    )
    check = address_check(
        settings.public_url,
        settings.host,
        settings.port,
        behind_proxy=settings.forwarded_for_trusted,
    )
    if check is None:
        return
    if check.level == AddressLevel.WARNING:
        print(f"WARNING: {check.message}", file=sys.stderr)
    else:
        print(f"Hint: {check.message}")


def check_data_files(settings: Settings, definition: SurveyDefinition, *, demo: bool) -> None:
    """Read every other file in data/ the app needs, so a mistake in one is reported now.

    Otherwise a bad help contacts file would first show when a young person needs help, and
    a bad demo profile after 600 demo responses were stored.
    """
    from incidents.demo_profile import PROFILE_FILE, load_incident_profile
    from incidents.vocabulary import vocabulary_from_settings
    from insights.board.context import load_board_context
    from survey.demo import load_demo_texts
    from survey.privacy.redaction_lexicon import load_lexicon
    from survey.safeguarding.disclosures import load_cues, load_model
    from survey.safeguarding.help_contacts import load_help_contacts
    from survey.staff.passwords import COMMON_PASSWORDS_FILE, load_common_passwords

    data = settings.data_dir
    load_help_contacts(data / "help_contacts.yaml", definition.dimensions)
    load_model(load_cues(data / "safeguarding_cues.yaml"))  # its training files, and kept
    load_lexicon(data)
    load_common_passwords(data / COMMON_PASSWORDS_FILE)
    if settings.sso_provider:  # single sign-on's roles, only when it is on
        from survey.staff.single_sign_on import load_sso_roles

        load_sso_roles(settings.sso_roles_path)
    vocabulary = vocabulary_from_settings(settings)  # the police.uk files
    load_board_context(settings)  # the codebook and the theme-incident links
    if demo:
        load_demo_texts(data / "demo" / "free_text.yaml", definition.questionnaire)
        load_incident_profile(data / PROFILE_FILE, vocabulary)


def run_migrate(_args: argparse.Namespace) -> int:
    from cli.context import settings_engine
    from survey.core.database import migrate

    engine = settings_engine()
    migrate(engine)
    print("Schema is up to date.")
    return 0
