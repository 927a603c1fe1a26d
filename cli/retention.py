"""Retention command: purge free text older than the retention period (the database is
imported by the handler)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from sqlmodel import Session


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "purge",
        help="remove free text older than the retention period (see --dry-run)",
        description="Remove free-text answers, their quotes and evidence words older than "
        "YOUTHVOICE_RETENTION_FREE_TEXT_MONTHS (default 24), and other records kept only "
        "for a while; then compact the database so the removed text leaves its files. "
        "Structured answers and themes stay.",
    )
    parser.add_argument("--dry-run", action="store_true", help="only say what would go")
    parser.add_argument(
        "--months", type=int, help="override the retention period (at least 1 month)"
    )
    parser.set_defaults(handler=run_purge)


def run_purge(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import OperationalError
    from sqlmodel import Session

    from cli.context import open_engine
    from survey.core.settings import get_settings
    from survey.privacy.retention import (
        FREE_TEXT_TABLES,
        RetentionPeriodTooShort,
        purge_free_text,
        reclaim_space,
    )
    from survey.startup import load_survey_definition

    settings = get_settings()
    questionnaire = load_survey_definition(settings).questionnaire
    # `is None`, not `or`: an explicit 0 must be refused, not read as "the default".
    months = settings.retention_free_text_months if args.months is None else args.months
    today = datetime.now(ZoneInfo(settings.timezone)).date()
    engine = open_engine()
    with Session(engine) as db:
        try:
            plan = purge_free_text(
                db,
                questionnaire,
                months=months,
                today=today,
                dry_run=args.dry_run,
                actor="command line",
            )
        except RetentionPeriodTooShort as refusal:
            print(refusal, file=sys.stderr)
            return 2
        changed: set[str] = set()
        if not args.dry_run:
            changed = set(FREE_TEXT_TABLES) | forget_expired(db)
    verb = "Would remove" if args.dry_run else "Removed"
    print(
        f"{verb} {plan.answers} free-text answers from {plan.responses} responses "
        f"submitted before {plan.cutoff:%d %b %Y}, and {plan.quotes} approved quotes."
    )
    if args.dry_run:
        return 0
    try:
        emptied = reclaim_space(engine, changed)
    except OperationalError as problem:  # SQLite stayed locked past its busy timeout
        print(
            f"The text is deleted, but the database could not be compacted ({problem.orig}); "
            "its bytes stay in the file until `youthvoice purge` runs again at a quieter time.",
            file=sys.stderr,
        )
        return 1
    if not emptied:
        print(
            "The database is compacted, but the app was reading, so some old pages stay in "
            "the write-ahead log until its next checkpoint; run `youthvoice purge` again at a "
            "quieter time to remove them now."
        )
    return 0


def forget_expired(db: Session) -> set[str]:
    """The one place for every other clean-up of records kept only for a while (e.g. rate
    limit counters whose window is over). Each runs here, after the free text and before the
    space is reclaimed, and adds the tables it deleted from, so the compaction covers them."""
    from survey.core.limits import forget_expired_limits
    from survey.drafts import sweep_expired_drafts

    changed: set[str] = set()
    if forget_expired_limits(db):
        changed.add("rate_limit")
    if sweep_expired_drafts(db):  # unfinished surveys past their two hours
        changed.add("survey_draft")
    return changed
