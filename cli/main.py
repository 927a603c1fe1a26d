"""The `youthvoice` command: one entry point, one module per group of subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cli import board, database, incidents, privacy, retention, tagging, themes, users

# Each module exposes `register(subparsers)`, adding parsers whose default `handler`
# takes the parsed args and returns the process exit code.
COMMAND_MODULES = [database, users, tagging, themes, privacy, retention, incidents, board]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="youthvoice",
        description="Youth voice survey and participation platform: administration commands.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
