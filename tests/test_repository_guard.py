"""The check that a test run leaves `var/` and the tracked files alone (tests/conftest.py
runs it at the end of every run), in a git checkout and in a plain copied tree."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.repository_guard import RepositoryGuard


def _tree(root: Path) -> None:
    (root / "var").mkdir()
    (root / "var" / "youthvoice.db").write_text("data")
    (root / "data").mkdir()
    (root / "data" / "codebook.yaml").write_text("themes: []\n")
    (root / "already-edited.txt").write_text("one")


@pytest.fixture
def no_git_above(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # whatever holds the temporary folder, git must not find a repository above it
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))


def test_repository_guard_outside_git_sees_new_and_changed_files(tmp_path, no_git_above):
    _tree(tmp_path)
    guard = RepositoryGuard.take(tmp_path)
    assert not guard.git
    assert guard.changes() == []
    (tmp_path / "var" / "models").mkdir()
    (tmp_path / "var" / "models" / "meta.json").write_text("{}")
    (tmp_path / "data" / "codebook.yaml").write_text("themes: [changed]\n")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.pyc").write_text("not the project's")
    assert guard.changes() == [
        "created or changed: var/models/meta.json",
        "changed: data/codebook.yaml",
    ]
    # a folder written on purpose (`make screenshots`) is left out
    assert guard.changes(allowed=(tmp_path / "data",)) == [
        "created or changed: var/models/meta.json"
    ]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_repository_guard_in_git_sees_tracked_changes_and_var(tmp_path, no_git_above):
    _tree(tmp_path)
    (tmp_path / ".gitignore").write_text("var/\n")

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "start")
    (tmp_path / "already-edited.txt").write_text("edited before the run")
    guard = RepositoryGuard.take(tmp_path)
    assert guard.git
    assert guard.changes() == []
    (tmp_path / "already-edited.txt").write_text("edited again, during the run")
    (tmp_path / "data" / "codebook.yaml").write_text("themes: [changed]\n")
    (tmp_path / "var" / "secret_key").write_text("made by a test")
    assert guard.changes() == [
        "created or changed: var/secret_key",
        "changed: already-edited.txt (M)",
        "created or changed: data/codebook.yaml (M)",
    ]
