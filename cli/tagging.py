"""Theme tagging commands: tag, evaluate, train, bench-tagging (owned by the nlp work)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    pass
