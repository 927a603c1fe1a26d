"""Theme tagging commands: tag, evaluate, train, bench-tagging (owned by the nlp work).

spaCy and the pipeline are imported inside the handlers, so other commands (and --help)
do not pay for them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nlp.tagger import Tagger

DEFAULT_BENCH_TEXTS = 20_000


def register(subparsers: argparse._SubParsersAction) -> None:
    paths = argparse.ArgumentParser(add_help=False)
    paths.add_argument("--codebook", type=Path, help="codebook YAML (default: settings)")
    paths.add_argument(
        "--training-dir", type=Path, help="training JSONL folder (default: settings)"
    )
    paths.add_argument("--models-dir", type=Path, help="trained models folder (default: settings)")

    tag = subparsers.add_parser("tag", parents=[paths], help="tag text with themes (JSON out)")
    tag.add_argument("text", nargs="?", help="the text to tag")
    tag.add_argument("--file", type=Path, help="JSONL file whose lines have a 'text' key")
    tag.set_defaults(handler=tag_command)

    evaluate = subparsers.add_parser(
        "evaluate", parents=[paths], help="score the tagger on labelled JSONL"
    )
    evaluate.add_argument("file", type=Path, help="JSONL with 'text' and 'themes' on each line")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(handler=evaluate_command)

    train = subparsers.add_parser("train", parents=[paths], help="train the theme model")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument(
        "--no-reviews",
        action="store_true",
        help="train on data/training only, not on reviewed answers from the database",
    )
    train.set_defaults(handler=train_command)

    bench = subparsers.add_parser(
        "bench-tagging", parents=[paths], help="tagging speed, latency and memory"
    )
    bench.add_argument("--n", type=int, default=DEFAULT_BENCH_TEXTS, help="number of texts")
    bench.set_defaults(handler=bench_command)


def _paths(args: argparse.Namespace) -> tuple[Path, Path, Path]:
    """Codebook, training dir and models dir: from the options, else from the settings.

    The codebook is checked against data/dimensions.yaml (its strands and place themes)
    before anything uses it.
    """
    from survey.core.dimensions import cached_codebook
    from survey.core.settings import get_settings

    settings = get_settings()
    codebook = args.codebook or settings.codebook_path
    cached_codebook(Path(codebook), settings.dimensions_path)
    return (
        codebook,
        args.training_dir or settings.training_dir,
        args.models_dir or settings.models_dir,
    )


def _model_dir(args: argparse.Namespace) -> Path:
    """The trained model for the current inputs, training it first (with a note) if needed."""
    from nlp.training import is_trained, model_dir_for, train_model

    codebook, training_dir, models_dir = _paths(args)
    model_dir = model_dir_for(codebook, training_dir, models_dir)
    if not is_trained(model_dir):
        print(f"note: no trained theme model yet; training {model_dir.name} ...", file=sys.stderr)
        started = time.perf_counter()
        model_dir = train_model(codebook, training_dir, models_dir)
        print(f"note: trained in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return model_dir


def _load(args: argparse.Namespace) -> Tagger:
    from nlp.tagger import Tagger
    from nlp.training import current_model_dir

    model_dir = _model_dir(args)
    current = current_model_dir(_paths(args)[2], model_dir)
    return Tagger.from_disk(current or model_dir)


def tag_command(args: argparse.Namespace) -> int:
    from nlp.evaluation import read_texts
    from nlp.tagger import tag_record

    if (args.text is None) == (args.file is None):
        print("tag: give either TEXT or --file FILE.jsonl", file=sys.stderr)
        return 2
    texts = [args.text] if args.file is None else read_texts(args.file)
    from survey.privacy.redaction import redact
    from survey.safeguarding.disclosures import detect_disclosure
    from survey.safeguarding.language import unread_language

    tagger = _load(args)
    for text, tags in zip(texts, tagger.tag_many(texts), strict=True):
        record = tag_record(text, tags)
        # As the submit path does: redact, then check the redacted text for a disclosure
        # (its evidence offsets point into "redacted").
        record["redacted"] = redact(text).text
        disclosure = detect_disclosure(record["redacted"])
        record["safeguarding"] = {
            "flagged": disclosure.flagged,
            "band": disclosure.band,  # "alert", "check" or null
            "categories": disclosure.categories,
            "evidence": disclosure.evidence,
        }
        # Not English enough to be machine-read: the language seen (the check queue's reason).
        record["unread_language"] = unread_language(record["redacted"])
        print(json.dumps(record, ensure_ascii=False))
    return 0


def evaluate_command(args: argparse.Namespace) -> int:
    from nlp.evaluation import evaluate_tagger, format_report, read_rows

    rows = read_rows(args.file)
    report = evaluate_tagger(_load(args), rows)
    if args.json:
        per_theme = {
            theme: {"precision": s.precision, "recall": s.recall, "f1": s.f1, "support": s.support}
            for theme, s in report.per_theme.items()
        }
        out = {"micro_f1": report.micro_f1, "macro_f1": report.macro_f1, "per_theme": per_theme}
        print(json.dumps(out))
    else:
        print(format_report(report))
    return 0


def train_command(args: argparse.Namespace) -> int:
    from nlp.training import model_dir_for, remember_current, train_model

    codebook, training_dir, models_dir = _paths(args)
    reviewed = [] if args.no_reviews else _reviewed_examples()
    started = time.perf_counter()
    base = model_dir_for(codebook, training_dir, models_dir)
    model_dir = train_model(
        codebook, training_dir, models_dir, extra_examples=reviewed, seed=args.seed
    )
    if not args.no_reviews:
        remember_current(models_dir, model_dir, base)
    print(
        f"model: {model_dir} ({len(reviewed)} reviewed answers; "
        f"{time.perf_counter() - started:.1f} s)"
    )
    print("Run `youthvoice retag` to re-tag stored responses with it.")
    return 0


def _reviewed_examples() -> list[tuple[str, list[str]]]:
    """Reviewed answers from the database (DATABASE_URL), with the reviewers' themes."""
    from sqlmodel import Session

    from cli.context import open_engine
    from insights.tagger_agreement import reviewed_examples
    from survey.core.settings import get_settings
    from survey.startup import load_survey_definition
    from survey.themes import tagged_questions

    questionnaire = load_survey_definition(get_settings()).questionnaire
    with Session(open_engine()) as db:
        return reviewed_examples(db, tagged_questions(questionnaire))


def bench_command(args: argparse.Namespace) -> int:
    codebook, training_dir, models_dir = _paths(args)
    from nlp.training import is_trained, model_dir_for

    model_dir = model_dir_for(codebook, training_dir, models_dir)
    if not is_trained(model_dir):
        print("note: training the theme model first", file=sys.stderr)
        command = [sys.executable, "-m", "cli.main", "train", "--codebook", str(codebook)]
        command += ["--training-dir", str(training_dir), "--models-dir", str(models_dir)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    # measured in a fresh process, so its load time and peak memory are the pipeline's alone
    command = [sys.executable, "-m", "nlp.bench", str(model_dir), str(training_dir)]
    return subprocess.run([*command, "--n", str(args.n)], check=False).returncode
