from __future__ import annotations

from pathlib import Path

import pytest

from survey.core.data_files import DataFileError
from survey.core.settings import PROJECT_ROOT, get_settings
from survey.staff.passwords import COMMON_PASSWORDS_FILE, load_common_passwords, password_problem
from survey.staff.users import create_user


@pytest.mark.parametrize(
    ("password", "username", "problem"),
    [
        (" " * 12, "sam", "only spaces"),
        ("\t \n" * 5, "sam", "only spaces"),
        ("ab  cd  ef  gh", "sam", None),
        ("  short pw  ", "sam", "at least 12 characters"),
        ("samuel.smith", "samuel.smith", "cannot be the username"),
        ("  Samuel.Smith  ", "samuel.smith", "cannot be the username"),
        ("samuel.smith2024!", "samuel.smith", "username with only digits or symbols"),
        ("1986SamuelSmith", "samuelsmith", "username with only digits or symbols"),
        ("samsamsamsam", "sam", "username with only digits or symbols"),
        ("sam walks the long way round", "sam", None),
        ("password1234", "sam", "common passwords"),
        ("Password 1234", "sam", "common passwords"),
        ("QWERTYUIOP123", "sam", "common passwords"),
        ("iloveyou1234", "sam", "common passwords"),
        ("123456789012", "sam", "common passwords"),
        ("Arsenal 2024!!", "sam", "common passwords"),
        ("liverpool1999", "sam", "common passwords"),
        ("correct horse battery staple", "sam", "common passwords"),
        ("a long enough passphrase", "sam", None),
        ("kettle orbit marmalade", "sam", None),
    ],
)
def test_passwords_rules(password, username, problem):
    found = password_problem(password, username)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_passwords_users_refuses_each_rule_on_create(db):
    for password in [" " * 14, "ruth.jones99!", "qwertyuiop123", "letmein12345"]:
        with pytest.raises(ValueError, match=r"spaces|username|common passwords"):
            create_user(db, username="Ruth.Jones", password=password, role="worker")
    create_user(db, username="Ruth.Jones", password="ruth keeps bees in margate", role="worker")


def test_passwords_shipped_list_is_a_few_hundred_long_enough_lines():
    common = load_common_passwords(PROJECT_ROOT / "data" / COMMON_PASSWORDS_FILE)
    assert len(common.whole) >= 250
    assert "password1234" in common.whole and "arsenal" in common.trimmed


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "file not found"), ("", "is empty"), ("# only a note\n\n   \n", "is empty")],
)
def test_passwords_bad_list_names_the_file(tmp_path: Path, content, message):
    path = tmp_path / COMMON_PASSWORDS_FILE
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError, match=message) as refused:
        password_problem("a long enough passphrase", "sam", path)
    assert str(path) in str(refused.value)


def test_passwords_list_comes_from_the_data_dir(tmp_path: Path, monkeypatch, db):
    (tmp_path / COMMON_PASSWORDS_FILE).write_text("# local\nmargate seafront\n", encoding="utf-8")
    monkeypatch.setenv("YOUTHVOICE_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        assert password_problem("Margate Seafront 2026", "sam") is not None
        assert password_problem("password1234", "sam") is None  # this list replaces the shipped
        (tmp_path / COMMON_PASSWORDS_FILE).unlink()
        load_common_passwords.cache_clear()
        with pytest.raises(DataFileError, match=r"common_passwords\.txt: file not found"):
            create_user(db, username="sam", password="a long enough passphrase", role="worker")
    finally:
        get_settings.cache_clear()
        load_common_passwords.cache_clear()
