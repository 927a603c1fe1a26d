"""`youthvoice users list | reset-password | deactivate | reactivate | unlock`: what an operator
on the server does to staff accounts, each change audited as the command line, and a signed-in
browser of the account signed out at once where the change says so."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from cli.main import main
from survey.core.models import User
from survey.staff.permissions import Role
from survey.staff.sessions import SessionRules, begin_session, exchange_code, session_keys
from survey.staff.sessions import session_member as member_of
from survey.staff.users import SignInRefused, sign_in
from tests.support import PASSWORD, recent_events, staff

NEW_PASSWORD = "a fresh and long passphrase"


def _signed_in_browser(db, member) -> str:
    code = begin_session(db, member, _rules())
    token = exchange_code(db, code)
    assert token is not None
    return token


def _rules() -> SessionRules:
    from survey.core.settings import get_settings

    return SessionRules.from_settings(get_settings())


def _signs_in(db, username: str, password: str) -> bool:
    try:
        sign_in(db, username=username, password=password, address=None)
    except SignInRefused:
        return False
    return True


def _still_signed_in(db, token: str) -> bool:
    db.expire_all()
    return member_of(db, session_keys(token), _rules(), now=datetime.now(UTC)) is not None


def test_cli_users_list_shows_every_account_and_its_sign_ins_no_password(app_database, db, capsys):
    wendy = staff(db, "wendy", Role.WORKER)
    staff(db, "ada", Role.ADMIN)
    _signed_in_browser(db, wendy)
    assert main(["users", "list"]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert set(lines) == {"ada", "wendy"}
    assert "yes" in lines["wendy"] and lines["wendy"].rstrip().endswith("1")
    assert lines["ada"].rstrip().endswith("0")
    assert "$argon2" not in out and "Username" in out.splitlines()[0]


def test_cli_users_list_says_how_to_begin_when_there_is_no_one(app_database, capsys):
    assert main(["users", "list"]) == 0
    assert "create-user" in capsys.readouterr().out


def test_cli_users_reset_password_signs_the_account_out_and_is_audited(
    app_database, db, monkeypatch, capsys
):
    wendy = staff(db, "wendy", Role.WORKER)
    token = _signed_in_browser(db, wendy)
    monkeypatch.setattr("sys.stdin", io.StringIO(NEW_PASSWORD + "\n"))
    assert main(["users", "reset-password", "Wendy", "--password-stdin"]) == 0
    assert "New password set for 'wendy'; 1 sign-in ended." in capsys.readouterr().out
    db.expire_all()
    assert _signs_in(db, "wendy", NEW_PASSWORD) and not _signs_in(db, "wendy", PASSWORD)
    assert not _still_signed_in(db, token)
    event = recent_events(db, action="user.password_reset")[0]
    assert event.actor == "command line" and event.target == "wendy"
    assert NEW_PASSWORD not in str(event.detail)


def test_cli_users_reset_password_refuses_a_weak_one_and_changes_nothing(
    app_database, db, monkeypatch, capsys
):
    wendy = staff(db, "wendy", Role.WORKER)
    token = _signed_in_browser(db, wendy)
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "reset-password", "wendy", "--password-stdin"]) == 2
    assert "Not changed:" in capsys.readouterr().err
    db.expire_all()
    assert _signs_in(db, "wendy", PASSWORD)
    assert _still_signed_in(db, token)
    assert recent_events(db, action="user.password_reset") == []


def test_cli_users_deactivate_ends_sign_ins_and_reactivate_lets_them_back(app_database, db, capsys):
    wendy = staff(db, "wendy", Role.WORKER)
    staff(db, "ada", Role.ADMIN)
    token = _signed_in_browser(db, wendy)
    assert main(["users", "deactivate", "wendy"]) == 0
    assert "Deactivated 'wendy'; 1 sign-in ended." in capsys.readouterr().out
    assert not _still_signed_in(db, token)
    db.expire_all()
    assert db.exec(select(User.active).where(User.username == "wendy")).one() is False
    assert main(["users", "reactivate", "wendy"]) == 0
    assert "'wendy' can sign in again." in capsys.readouterr().out
    db.expire_all()
    assert db.exec(select(User.active).where(User.username == "wendy")).one() is True
    actions = [e.action for e in recent_events(db) if e.target == "wendy"]
    assert len([a for a in actions if a.startswith("user.") and "activ" in a]) == 2, actions
    assert all(
        e.actor == "command line"
        for e in recent_events(db)
        if e.target == "wendy" and e.action != "user.created"
    )


@pytest.mark.parametrize("action", ["deactivate", "reactivate", "unlock", "reset-password"])
def test_cli_users_an_unknown_account_is_named_and_nothing_changes(
    app_database, db, action, monkeypatch, capsys
):
    staff(db, "ada", Role.ADMIN)
    monkeypatch.setattr("sys.stdin", io.StringIO(NEW_PASSWORD + "\n"))
    extra = ["--password-stdin"] if action == "reset-password" else []
    code = main(["users", action, "nobody", *extra])
    printed = capsys.readouterr()
    assert code == 2 and "nobody" in printed.err, printed
    db.expire_all()
    assert db.exec(select(User.active)).one() is True
