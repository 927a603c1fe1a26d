"""Incident data commands: import-incidents, bench-import (owned by the incidents work)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    pass
