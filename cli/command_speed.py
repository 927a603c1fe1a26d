"""The command's own speed: bench-cli (the figures are cli/bench/startup.py's)."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    bench = subparsers.add_parser(
        "bench-cli",
        help="time `youthvoice --help` and `youthvoice tag` as fresh processes",
        description="Run `youthvoice --help` and `youthvoice tag town` as fresh processes, "
        "after one untimed warm-up run each, and print the median and fastest wall time, "
        "the peak memory and the machine's load average before and after.",
    )
    bench.add_argument("--runs", type=int, default=10, help="timed runs of each command")
    bench.set_defaults(handler=run_bench_cli)


def run_bench_cli(args: argparse.Namespace) -> int:
    from cli.bench.startup import run

    if args.runs < 1:
        print("bench-cli: --runs must be at least 1", file=sys.stderr)
        return 2
    run(args.runs)
    return 0
