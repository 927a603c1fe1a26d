"""Commands on stored themes: retag (spaCy and the database are imported by the handler)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "retag",
        help="re-tag stored responses tagged by an older codebook or model",
        description="Re-tag every stored response whose themes come from another codebook or "
        "model version, in committed batches: an interrupted run resumes where it stopped.",
    )
    parser.add_argument("--batch-size", type=int, default=500)
    parser.set_defaults(handler=run_retag)


def run_retag(args: argparse.Namespace) -> int:
    from sqlmodel import Session
    from tqdm import tqdm

    from cli.context import open_engine
    from nlp.tagger import load_tagger
    from survey.core.settings import get_settings
    from survey.retagging import responses_to_retag, retag_responses
    from survey.startup import load_survey_definition

    settings = get_settings()
    questionnaire = load_survey_definition(settings).questionnaire
    tagger = load_tagger(settings.codebook_path, settings.models_dir, settings.training_dir)
    with Session(open_engine()) as db:
        stale = responses_to_retag(db, tagger)
        print(
            f"{stale} responses to re-tag (codebook {tagger.codebook_version}, "
            f"model {tagger.model_version})."
        )
        with tqdm(total=stale, unit="response", disable=stale == 0) as bar:
            done = retag_responses(
                db, questionnaire, tagger, batch_size=args.batch_size, on_batch=bar.update
            )
    print(f"Re-tagged {done} responses.")
    return 0
