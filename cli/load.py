"""Load: bench-load (the figures are cli/bench/load.py's)."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    bench = subparsers.add_parser(
        "bench-load",
        help="young people doing the whole survey at once over Streamlit's websocket, "
        "beside a bare form",
        description="Drive young people through the whole survey over Streamlit's websocket "
        "protocol (first page, Start, each part's Next, Send, thank-you), with a think time "
        "before each press or as a burst, and print p50/p95/p99 per step, the responses "
        "stored, the errors and the server's CPU per journey; then the CPU per response of a "
        "bare Starlette form calling the same submit_response, driven by as many clients, and "
        "the ratio. Loopback only. By default it starts the app on a free port with a fresh "
        "SQLite database; --url and --server-pid drive a running one. Exit 1 if a young "
        "person's answers were lost.",
    )
    bench.add_argument(
        "-n", "--young-people", type=int, default=100, help="how many at once (at most 500)"
    )
    pace = bench.add_mutually_exclusive_group()
    pace.add_argument(
        "--think",
        default="5-20",
        metavar="LOW-HIGH",
        help="seconds each one waits before each press, at random in this range (default 5-20)",
    )
    pace.add_argument("--burst", action="store_true", help="no think time: every press at once")
    bench.add_argument("--seed", type=int, default=1, help="of the think times and the answers")
    bench.add_argument(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="the fresh database of the servers the bench starts",
    )
    bench.add_argument(
        "--postgres",
        metavar="URL",
        help="the PostgreSQL server to make fresh databases on (loopback; default "
        "TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres)",
    )
    bench.add_argument(
        "--url", help="drive this running app instead (loopback only, e.g. http://127.0.0.1:8501)"
    )
    bench.add_argument(
        "--server-pid",
        type=int,
        action="append",
        default=[],
        help="the running app's process, for its CPU (repeat for replicas)",
    )
    bench.add_argument(
        "--database-url",
        help="the running app's database, to count responses (default DATABASE_URL)",
    )
    bench.add_argument(
        "--replicas",
        type=int,
        default=0,
        help="start this many app replicas behind nginx, configured with deploy/nginx as "
        "shipped (needs Debian's nginx; use --database postgresql, as deployed); default: one "
        "server, reached directly",
    )
    bench.add_argument("--step-timeout", type=float, default=60.0, help="seconds (default 60)")
    bench.add_argument(
        "--deadline", type=float, default=600.0, help="for the whole crowd, seconds (at most 1800)"
    )
    bench.add_argument(
        "--no-bare-form", action="store_true", help="leave out the bare form's comparison"
    )
    bench.set_defaults(handler=run_bench_load)


def _think(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def run_bench_load(args: argparse.Namespace) -> int:
    from cli.bench.load import LoadOptions, run_load

    try:
        think = (0.0, 0.0) if args.burst else _think(args.think)
        options = LoadOptions(
            young_people=args.young_people,
            think=think,
            seed=args.seed,
            url=args.url,
            server_pids=tuple(args.server_pid),
            database=args.database,
            postgres_server=args.postgres,
            database_url=args.database_url,
            step_timeout=args.step_timeout,
            deadline=args.deadline,
            bare_form=not args.no_bare_form,
            replicas=args.replicas,
        )
        options.check()
    except ValueError as problem:  # NotLoopback is one
        print(f"bench-load: {problem}", file=sys.stderr)
        return 2
    from cli.bench.replicas import NginxMissing

    try:
        report = run_load(options)
    except NginxMissing as problem:
        print(f"bench-load: --replicas: {problem}", file=sys.stderr)
        return 2
    return 1 if report.lost or report.errors else 0
