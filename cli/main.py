"""The `youthvoice` command: one entry point, one module per group of subcommands.

Building the parser must stay cheap: `youthvoice --help` and every command pay for it. A
command module imports only the standard library (and light project modules) at the top
and imports what its handler needs (the database, pandas, spaCy, the board code) inside
the handler; tests/test_cli_startup.py checks it. `youthvoice bench-cli` times it.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from cli import (
    alerts,
    board,
    command_speed,
    database,
    incidents,
    load,
    privacy,
    retention,
    tagging,
    themes,
    users,
)
from cli.errors import plain_message

# Each module exposes `register(subparsers)`, adding parsers whose default `handler`
# takes the parsed args and returns the process exit code.
COMMAND_MODULES = [
    database,
    users,
    alerts,
    tagging,
    themes,
    privacy,
    retention,
    incidents,
    board,
    load,
    command_speed,
]
# A bad data file, setting or database: put right by the user, not a crash.
EXIT_EXPECTED_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="youthvoice",
        description="Youth voice survey and participation platform: administration commands.",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="with an error in a data file, a setting or the database, print the traceback too",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except Exception as error:
        message = plain_message(error)
        if message is None:  # not one we expect: a bug, whose traceback is what helps
            raise
        if args.debug:
            traceback.print_exc()
        print(message, file=sys.stderr)
        return EXIT_EXPECTED_ERROR


if __name__ == "__main__":
    sys.exit(main())
