"""Retention command: purge free text older than the retention period."""

from __future__ import annotations

import argparse
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from cli.context import open_engine
from survey.retention import purge_free_text
from survey.settings import get_settings
from survey.startup import load_survey_definition


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "purge",
        help="remove free text older than the retention period (see --dry-run)",
        description="Remove free-text answers, their quotes and evidence words older than "
        "YOUTHVOICE_RETENTION_FREE_TEXT_MONTHS (default 24). Structured answers and themes stay.",
    )
    parser.add_argument("--dry-run", action="store_true", help="only say what would go")
    parser.add_argument("--months", type=int, help="override the retention period")
    parser.set_defaults(handler=run_purge)


def run_purge(args: argparse.Namespace) -> int:
    settings = get_settings()
    questionnaire = load_survey_definition(settings).questionnaire
    months = args.months or settings.retention_free_text_months
    today = datetime.now(ZoneInfo(settings.timezone)).date()
    with Session(open_engine()) as db:
        plan = purge_free_text(
            db,
            questionnaire,
            months=months,
            today=today,
            dry_run=args.dry_run,
            actor="command line",
        )
    verb = "Would remove" if args.dry_run else "Removed"
    print(
        f"{verb} {plan.answers} free-text answers from {plan.responses} responses "
        f"submitted before {plan.cutoff:%d %b %Y}, and {plan.quotes} approved quotes."
    )
    return 0
