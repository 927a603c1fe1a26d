"""What a new staff password must be: long, not the username, not a common password.

The common passwords are a plain list in `data/common_passwords.txt` that a partnership may
extend (a local football club, the name of the town). A password is compared with it after
lower-casing and dropping spaces, and again with digits and symbols at either end trimmed
off both sides, so "Arsenal 1886!" is caught by the line "arsenal1886" and "liverpool2024" by
"liverpool1892": people mostly vary the number, not the word.
"""

from __future__ import annotations

import re
from pathlib import Path

from survey.core.data_files import DataFileError, read_lines, reloaded_on_change
from survey.core.settings import get_settings

MIN_LENGTH = 12
COMMON_PASSWORDS_FILE = "common_passwords.txt"
_SPACES = re.compile(r"\s+")
_END_DIGITS_AND_SYMBOLS = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_LETTER = re.compile(r"[^\W\d_]")


def password_problem(password: str, username: str, common_list: Path | None = None) -> str | None:
    """Why this password may not be used by this user, in plain words; None if it may."""
    typed = password.strip()
    if not typed:
        return "a password cannot be only spaces"
    # Spaces at either end add nothing anyone would guess last, so they do not count.
    if len(typed) < MIN_LENGTH:
        return (
            f"a password needs at least {MIN_LENGTH} characters (not counting spaces at the ends)"
        )
    name = username.strip().lower()
    lowered = typed.lower()
    if lowered == name:
        return "a password cannot be the username"
    # "sam.smith2024!" is the username with digits round it; "sam likes long walks" is not.
    if len(name) >= 2 and name in lowered and not _LETTER.search(lowered.replace(name, "")):
        return "a password cannot be the username with only digits or symbols added"
    path = common_list or get_settings().data_dir / COMMON_PASSWORDS_FILE
    whole, trimmed = _comparable(password)
    common = load_common_passwords(path)
    if whole in common.whole or (trimmed and trimmed in common.trimmed):
        return (
            "that password (or one like it) is on the list of common passwords; "
            "a phrase of a few unrelated words is easier to remember and harder to guess"
        )
    return None


def check_new_password(password: str, username: str, common_list: Path | None = None) -> None:
    """Raise ValueError with the plain reason if this password may not be used."""
    problem = password_problem(password, username, common_list)
    if problem:
        raise ValueError(problem)


class CommonPasswords:
    """The list as compared: whole entries, and entries with end digits and symbols trimmed."""

    def __init__(self, entries: frozenset[str]) -> None:
        self.whole = entries
        self.trimmed = frozenset(t for t in (_trim(e) for e in entries) if t)


@reloaded_on_change(lambda path: [path])
def load_common_passwords(path: Path) -> CommonPasswords:
    """The list, by the loading rule (survey/core/data_files.py: read once, and again when
    the file changes); a missing or empty list is an error, never 'no rules'."""
    entries = frozenset(_comparable(line)[0] for line in read_lines(path))
    if not entries:
        raise DataFileError(path, "the list of common passwords is empty: one password a line")
    return CommonPasswords(entries)


def _comparable(text: str) -> tuple[str, str]:
    whole = _SPACES.sub("", text.lower())
    return whole, _trim(whole)


def _trim(text: str) -> str:
    return _END_DIGITS_AND_SYMBOLS.sub("", text)
