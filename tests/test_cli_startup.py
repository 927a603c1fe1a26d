"""The `youthvoice` command starts cheaply: building its parser, `--help` and every command's
own help import none of the heavy libraries, and `tag` imports only what tagging needs.

What is imported is checked in a fresh process, never how long it takes (that is
`youthvoice bench-cli`'s job).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from survey.core.settings import PROJECT_ROOT

HEAVY = ("pandas", "altair", "spacy", "streamlit", "sqlalchemy", "sqlmodel", "numpy", "alembic")
# What a command needs only once it runs: never for the parser or the help.
NOT_FOR_HELP = (*HEAVY, "pydantic", "yaml", "argon2", "nlp", "incidents", "insights", "ui")

PROBE = """
import argparse, contextlib, io, json, sys
import cli.main
{work}
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}})))
"""


def _top_level_modules_after(work: str) -> set[str]:
    """The top-level packages a fresh process has imported after running `work`."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(work=work)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_cli_startup_building_the_parser_imports_nothing_heavy() -> None:
    loaded = _top_level_modules_after("cli.main.build_parser()")
    assert loaded.isdisjoint(NOT_FOR_HELP), sorted(loaded & set(NOT_FOR_HELP))


def test_cli_startup_help_of_the_command_and_of_every_subcommand_imports_nothing_heavy() -> None:
    work = """
parser = cli.main.build_parser()
[commands] = [a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
with contextlib.redirect_stdout(io.StringIO()):
    for args in (["--help"], *([name, "--help"] for name in commands)):
        try:
            cli.main.main(args)
        except SystemExit:
            pass
"""
    loaded = _top_level_modules_after(work)
    assert loaded.isdisjoint(NOT_FOR_HELP), sorted(loaded & set(NOT_FOR_HELP))


def test_cli_startup_tag_imports_spacy_but_not_the_board_or_the_database(
    theme_model_dir: Path,
) -> None:
    work = """
with contextlib.redirect_stdout(io.StringIO()) as out:
    assert cli.main.main(["tag", "waiting at the bus stop at night"]) == 0
assert json.loads(out.getvalue())["themes"], out.getvalue()
"""
    loaded = _top_level_modules_after(work)
    assert "spacy" in loaded
    board_and_database = {"pandas", "altair", "streamlit", "sqlalchemy", "sqlmodel", "alembic"}
    assert loaded.isdisjoint(board_and_database), sorted(loaded & board_and_database)


# The load bench speaks Streamlit's websocket protocol with the installed package's message
# classes: that one file may import `streamlit.proto`, and nothing else of streamlit.
PROTOCOL_CLIENT = PROJECT_ROOT / "cli" / "bench" / "streamlit_client.py"


def test_cli_startup_no_command_module_imports_streamlit_or_ui() -> None:
    # ruff's TID251 says so too (pyproject.toml); this holds even where ruff is not run.
    for path in sorted((PROJECT_ROOT / "cli").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                if path == PROTOCOL_CLIENT and name.startswith("streamlit.proto."):
                    continue
                assert name.split(".")[0] not in ("streamlit", "ui"), f"{path}: imports {name}"
