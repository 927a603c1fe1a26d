"""The admin's Staff accounts page resets a password and deactivates or reactivates an
account, audited, signing that member out everywhere; the sign-in page offers single
sign-on only when it is configured."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from survey.core.settings import get_settings
from survey.staff.sessions import SessionRules, begin_session, exchange_code, session_keys
from survey.staff.users import Role, SignInRefused, sign_in
from tests.support import app_test, click, recent_events, staff

NEW_PASSWORD = "a brand new passphrase"
HERE = "192.0.2.9"


def _accounts_page(admin):
    page = app_test("pages/staff_accounts.py")
    page.session_state["staff_user_id"] = admin.id
    return page.run()


def _form_select(page, label: str, index: int):
    """The selectbox of one form (each form on the page has an "Account" selectbox)."""
    boxes = [box for box in page.selectbox if box.label == label]
    return boxes[index]


def _signed_in_elsewhere(db, member) -> str:
    rules = SessionRules.from_settings(get_settings())
    code = begin_session(db, member, rules)
    assert exchange_code(db, code) == code
    return code


def _still_signed_in(db, token: str) -> bool:
    from survey.staff.sessions import session_member

    rules = SessionRules.from_settings(get_settings())
    return session_member(db, session_keys(token), rules) is not None


def test_staff_accounts_page_resets_a_password_and_signs_them_out(app_database, db):
    admin = staff(db, "ada", Role.ADMIN)
    sam = staff(db, "sam", Role.WORKER)
    token = _signed_in_elsewhere(db, sam)
    page = _accounts_page(admin)
    assert page.dataframe[0].value.set_index("Username").loc["sam", "Signed in"] == 1

    _form_select(page, "Account", 1).set_value("sam")  # the reset form's
    [new, again] = [t for t in page.text_input if "password" in t.label.lower()]
    new.input(NEW_PASSWORD)
    again.input("something else entirely")
    click(page, "Set the new password")
    assert "differ" in page.error[0].value
    assert _still_signed_in(db, token)

    _form_select(page, "Account", 1).set_value("sam")
    [new, again] = [t for t in page.text_input if "password" in t.label.lower()]
    new.input("short")
    again.input("short")
    click(page, "Set the new password")
    assert "at least 12 characters" in page.error[0].value

    _form_select(page, "Account", 1).set_value("sam")
    [new, again] = [t for t in page.text_input if "password" in t.label.lower()]
    new.input(NEW_PASSWORD)
    again.input(NEW_PASSWORD)
    click(page, "Set the new password")
    assert not page.exception and not page.error
    assert "sam has a new password and signed out of 1 browser(s)" in page.success[0].value
    assert not _still_signed_in(db, token)
    assert sign_in(db, username="sam", password=NEW_PASSWORD, address=HERE)
    [event] = recent_events(db, action="user.password_reset")
    assert (event.actor, event.target) == ("ada", "sam")


def test_staff_accounts_page_deactivates_and_reactivates(app_database, db):
    admin = staff(db, "ada", Role.ADMIN)
    sam = staff(db, "sam", Role.WORKER)
    token = _signed_in_elsewhere(db, sam)
    page = _accounts_page(admin)

    _form_select(page, "Account", 2).set_value("sam")  # the deactivate form's
    click(page, "Deactivate")
    assert "sam is deactivated, and signed out of 1 browser(s)" in page.success[0].value
    assert not _still_signed_in(db, token)
    with pytest.raises(SignInRefused):
        sign_in(db, username="sam", password="a long enough passphrase", address=HERE)

    _form_select(page, "Account", 2).set_value("ada")
    click(page, "Deactivate")
    assert "cannot deactivate your own account" in page.error[0].value

    _form_select(page, "Account", 2).set_value("sam")
    click(page, "Reactivate")
    assert "sam can sign in again" in page.success[0].value
    assert sign_in(db, username="sam", password="a long enough passphrase", address=HERE)
    actions = [e.action for e in recent_events(db) if e.target == "sam"]
    assert actions[:2] == ["user.reactivated", "user.deactivated"]


def test_staff_accounts_page_a_member_deactivated_while_signed_in_is_signed_out(app_database, db):
    admin = staff(db, "ada", Role.ADMIN)
    sam = staff(db, "sam", Role.WORKER)
    page = app_test("pages/sign_in.py").run()
    page.text_input[0].input("sam")
    page.text_input[1].input("a long enough passphrase")
    click(page, "Sign in")
    assert [t.value for t in page.title] == ["Signed in"]
    assert page.session_state["staff_user_id"] == sam.id

    from survey.staff.users import set_active

    set_active(db, admin, "sam", False)
    page.run()
    assert [t.value for t in page.title] == ["Staff sign in"]
    assert "staff_user_id" not in page.session_state


def test_sign_in_page_offers_single_sign_on_only_when_it_is_configured(app_database, monkeypatch):
    page = app_test("pages/sign_in.py").run()
    assert [b.label for b in page.button] == ["Sign in"]

    monkeypatch.setenv("YOUTHVOICE_SSO_PROVIDER", "microsoft")
    get_settings.cache_clear()
    page = app_test("pages/sign_in.py").run()
    assert not page.exception
    assert [b.label for b in page.button] == ["Sign in", "Sign in with Microsoft"]
    get_settings.cache_clear()


def test_sign_in_page_a_session_that_ended_elsewhere_signs_this_browser_out(app_database, db):
    """Signed in here (its session in this browser session's state), then signed out in
    another tab: the next run here is signed out too."""
    staff(db, "sam", Role.WORKER)
    page = app_test("pages/sign_in.py").run()
    page.text_input[0].input("sam")
    page.text_input[1].input("a long enough passphrase")
    click(page, "Sign in")
    keys = page.session_state["_staff_session"]
    from survey.staff.users import sign_out_by_session

    assert sign_out_by_session(db, keys) == "sam"  # the other tab's sign-out route
    page.run()
    assert [t.value for t in page.title] == ["Staff sign in"]


def test_sign_in_page_sign_in_is_kept_as_a_session_not_only_in_the_page(app_database, db):
    staff(db, "sam", Role.WORKER)
    before = datetime.now(UTC)
    page = app_test("pages/sign_in.py").run()
    page.text_input[0].input("sam")
    page.text_input[1].input("a long enough passphrase")
    click(page, "Sign in")
    from sqlmodel import select

    from survey.core.models import StaffSession

    [row] = db.exec(select(StaffSession)).all()
    assert row.token_hash == page.session_state["_staff_session"].pending  # until the browser
    assert row.created_at.replace(tzinfo=UTC) >= before.replace(microsecond=0)
