"""README.md documents every setting and every command (one test each, as datasette's
documentation tests do): a new setting or command fails here until it is written up."""

from __future__ import annotations

import argparse
import re

import pytest

from cli.main import build_parser
from survey.core.settings import PROJECT_ROOT, Settings

README = PROJECT_ROOT / "README.md"
SETTINGS_SECTION = "Settings"
COMMANDS_SECTION = "Commands and their errors"


def _section(title: str) -> str:
    """The text of README.md under `## title`, up to the next `## ` heading."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README.md has no '## {title}' section"
    return match.group(1)


def _variable(name: str) -> str:
    """The environment variable a settings field is read from."""
    alias = Settings.model_fields[name].validation_alias
    if isinstance(alias, str):
        return alias
    return f"{Settings.model_config.get('env_prefix', '')}{name}".upper()


def _commands() -> list[str]:
    parser = build_parser()
    [subparsers] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(subparsers.choices)


SETTINGS = sorted(_variable(name) for name in Settings.model_fields)
COMMANDS = _commands()


def test_docs_every_setting_and_command_is_found() -> None:
    assert "DATABASE_URL" in SETTINGS and "YOUTHVOICE_MODELS_DIR" in SETTINGS
    assert {"prepare", "create-user", "import-incidents", "bench-tagging"} <= set(COMMANDS)


@pytest.mark.parametrize("variable", SETTINGS)
def test_docs_readme_documents_the_setting(variable: str) -> None:
    row = rf"^\| `{re.escape(variable)}` \|"
    assert re.search(row, _section(SETTINGS_SECTION), re.M), (
        f"The setting {variable} (survey/core/settings.py) is not documented in README.md: "
        f"add a row `| `{variable}` | default | what |` to the table under "
        f"'## {SETTINGS_SECTION}'."
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_docs_readme_documents_the_command(command: str) -> None:
    mention = rf"`youthvoice {re.escape(command)}(?=[\s`])"
    rows = [
        line for line in _section(COMMANDS_SECTION).splitlines() if line.startswith("| `youthvoice")
    ]
    assert any(re.search(mention, row) for row in rows), (
        f"The command `youthvoice {command}` (cli/) is not documented in README.md: add it to "
        f"the table of commands under '## {COMMANDS_SECTION}'."
    )
