"""Board commands: board-pack and bench-dashboard.

The board code (pandas, Altair, the database) is imported inside the handlers, so other
commands (and --help) do not pay for it.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    pack = subparsers.add_parser("board-pack", help="write the board pack (HTML, and CSV zip)")
    pack.add_argument("--district", action="append", default=[], help="repeat for several")
    pack.add_argument("--from", dest="start", type=_month, help="first month, YYYY-MM")
    pack.add_argument("--to", dest="end", type=_month, help="last month, YYYY-MM")
    pack.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    pack.add_argument("--csv", type=Path, help="also write the tables as a CSV zip here")
    pack.set_defaults(handler=run_board_pack)
    bench = subparsers.add_parser(
        "bench-dashboard",
        help="seed 100k responses and 1M incidents, time the board overview's domain calls",
    )
    bench.add_argument("--responses", type=int, default=100_000)
    bench.add_argument("--incidents", type=int, default=1_000_000)
    bench.add_argument("--reruns", type=int, default=24)
    bench.add_argument(
        "--accept-removed-questions",
        action="store_true",
        help="record the questionnaire even if it drops questions the last recorded version asked",
    )
    bench.set_defaults(handler=run_bench_dashboard)


def _month(text: str) -> date:
    try:
        return datetime.strptime(text[:7], "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month like 2026-03") from None


def run_board_pack(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from cli.context import open_engine
    from insights.board.context import BoardFilter, load_board_context
    from insights.board.data import load_board_data
    from insights.board.pack import export_board_pack
    from survey.core.settings import get_settings
    from survey.staff.permissions import operator

    settings = get_settings()
    ctx = load_board_context(settings)
    unknown = [d for d in args.district if d not in ctx.dimensions.district_names]
    if unknown:
        print(
            f"Unknown district(s): {', '.join(unknown)}. Known: "
            f"{', '.join(ctx.dimensions.district_names)}",
            file=sys.stderr,
        )
        return 2
    chosen = BoardFilter(districts=tuple(args.district), month_from=args.start, month_to=args.end)
    with Session(open_engine()) as db:
        pack = export_board_pack(
            db, operator("command line"), load_board_data(db, ctx), chosen, ctx, today=date.today()
        )
    args.out.write_text(pack.html, encoding="utf-8")
    print(f"Board pack written to {args.out}")
    if args.csv:
        args.csv.write_bytes(pack.csv_zip)
        print(f"Tables written to {args.csv}")
    return 0


def run_bench_dashboard(args: argparse.Namespace) -> int:
    from sqlalchemy import func
    from sqlmodel import Session, select

    from cli.bench.board import STEPS, time_dashboard
    from cli.bench.seed import seed_bench_responses
    from cli.context import open_engine
    from incidents.bench import run_bench
    from incidents.models import Incident
    from incidents.vocabulary import vocabulary_from_settings
    from insights.board.context import load_board_context
    from nlp.codebook import load_codebook
    from survey.core.models import Response
    from survey.core.settings import get_settings
    from survey.startup import load_survey_definition

    settings = get_settings()
    engine = open_engine()
    definition = load_survey_definition(settings)
    with Session(engine) as db:
        have_responses = db.exec(select(func.count()).select_from(Response)).one()
        have_incidents = db.exec(select(func.count()).select_from(Incident)).one()
    if have_responses < args.responses:
        print(f"Seeding {args.responses - have_responses:,} responses…", flush=True)
        with Session(engine) as db:
            seed_bench_responses(
                db,
                args.responses - have_responses,
                dimensions=definition.dimensions,
                questionnaire=definition.questionnaire,
                theme_ids=load_codebook(settings.codebook_path).theme_ids,
                first_month=date(2019, 1, 1),
                months=50,
                accept_removed_questions=args.accept_removed_questions,
            )
    if have_incidents < args.incidents:
        print(f"Importing {args.incidents - have_incidents:,} police.uk rows…", flush=True)
        run_bench(
            engine,
            vocabulary_from_settings(settings),
            rows=args.incidents - have_incidents,
            keep=True,
        )
    dims = definition.dimensions
    times = time_dashboard(
        engine,
        load_board_context(settings),  # read at start-up, as the app does: not timed
        districts=dims.district_names,
        ages=[a.id for a in dims.age_bands],
        strands=[s.id for s in dims.strands],
        reruns=args.reruns,
    )
    print(f"database: {engine.url.render_as_string(hide_password=True)}")
    print(f"reruns timed: {times.reruns} (one filter changed each time)")
    print(f"rerun median: {times.rerun_median_ms:.0f} ms")
    print(f"rerun p90: {times.rerun_p90_ms:.0f} ms")
    steps = ", ".join(f"{step} {times.step_median_ms[step]:.0f} ms" for step in STEPS)
    print(f"rerun median by step: {steps}")
    print(f"first aggregation: {times.first_aggregation_ms:.0f} ms")
    print(
        "(the board overview page's domain calls, without Streamlit: sending the tables "
        "and drawing the charts in the browser are not timed)"
    )
    return 0
