"""What a test run may not touch: anything under the repository's `var/`, and any tracked
file. A snapshot is taken when the run starts and compared when it ends (tests/conftest.py).

In a git checkout the tracked files are covered by `git status` (plus the size and time of
each file it already lists, so a file that was already edited and changes again counts);
outside one (a copied tree, an unpacked archive) every file of the tree is listed instead.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Folders a run may write, or that are not the project's: never compared.
NOT_THE_PROJECT = frozenset(
    {
        "var",  # compared on its own
        ".git",
        ".venv",
        "node_modules",
        "__pycache__",
        ".pytest_cache",
        ".ruff_cache",
        ".mypy_cache",
        "build",
        "test-results",
    }
)

Fingerprint = tuple[int, int] | None  # size and modification time; None: gone


@dataclass(frozen=True)
class RepositoryGuard:
    root: Path
    var: dict[str, Fingerprint]
    # `git status` lines with the fingerprint of their file, or, outside git, every file
    tree: dict[str, Fingerprint]
    git: bool

    @classmethod
    def take(cls, root: Path = ROOT) -> RepositoryGuard:
        var = _listing(root / "var")
        status = _git_status(root)
        if status is not None:
            return cls(root, var, status, git=True)
        return cls(root, var, _listing(root, NOT_THE_PROJECT), git=False)

    def changes(self, allowed: tuple[Path, ...] = ()) -> list[str]:
        """What differs from the snapshot, one line each (empty: nothing), leaving out the
        files under `allowed` folders (`make screenshots` writes docs/screenshots)."""
        found = _differences("var/", self.var, _listing(self.root / "var"))
        if self.git:
            tree = _git_status(self.root)
            if tree is None:  # git could not be asked at the end: var/ is all we can say
                return found
        else:
            tree = _listing(self.root, NOT_THE_PROJECT)
        found += _differences("", self.tree, tree)
        prefixes = []
        for folder in allowed:
            try:
                prefixes.append(Path(folder).resolve().relative_to(self.root).as_posix() + "/")
            except ValueError:  # outside the repository: nothing of it is compared anyway
                continue
        return [
            line
            for line in found
            if not any(line.split(": ", 1)[1].startswith(prefix) for prefix in prefixes)
        ]


def _differences(
    label: str, before: dict[str, Fingerprint], after: dict[str, Fingerprint]
) -> list[str]:
    lines = []
    for key in sorted(before.keys() | after.keys()):
        if key not in before:
            lines.append(f"created or changed: {label}{key}")
        elif key not in after:
            lines.append(f"restored or removed: {label}{key}")
        elif before[key] != after[key]:
            lines.append(f"changed: {label}{key}")
    return lines


def _fingerprint(path: Path) -> Fingerprint:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns)


def _listing(folder: Path, skip: frozenset[str] = frozenset()) -> dict[str, Fingerprint]:
    """Every file under `folder`, leaving out folders named in `skip` (`var` only at the
    top)."""
    found: dict[str, Fingerprint] = {}
    if not folder.is_dir():
        return found
    for parent, dirs, files in os.walk(folder):
        top = Path(parent) == folder
        dirs[:] = [
            d
            for d in dirs
            if d not in skip - ({"var"} if not top else set()) and not d.endswith(".egg-info")
        ]
        for name in files:
            path = Path(parent, name)
            found[path.relative_to(folder).as_posix()] = _fingerprint(path)
    return found


def _git_status(root: Path) -> dict[str, Fingerprint] | None:
    """`git status` of the tree (tracked changes and untracked, not ignored, files), or
    None when this is not a git checkout or git is missing."""
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=30,
        )
        if top.returncode != 0:
            return None
        status = subprocess.run(
            ["git", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", "."],
            cwd=root,
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if status.returncode != 0:
        return None
    top_level = Path(top.stdout.strip())
    entries: dict[str, Fingerprint] = {}
    fields = status.stdout.decode("utf-8", "surrogateescape").split("\0")
    index = 0
    while index < len(fields):
        entry = fields[index]
        index += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if code[0] in "RC":  # a rename or copy is followed by its source
            index += 1
        entries[f"{path} ({code.strip()})"] = _fingerprint(top_level / path)
    return entries
