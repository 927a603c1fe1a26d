"""Staff email addresses (where safeguarding alert emails go): checked for their form, set or
removed by an admin (audited, the address kept out of the log), shown on Staff accounts."""

from __future__ import annotations

import pytest
from sqlmodel import select

from survey.core.models import User
from survey.staff.users import AccessDenied, Role, create_user, set_email, staff_accounts
from tests.support import PASSWORD, app_test, click, recent_events, staff


@pytest.mark.parametrize(
    "bad",
    ["sam", "sam@", "@example.org", "sam@example", "sam smith@example.org", "a..b@example.org",
     "sam@example.org\r\nBcc: everyone@example.org", "sam@-example.org"],
)  # fmt: skip
def test_staff_email_refuses_what_is_not_an_address(db, bad):
    with pytest.raises(ValueError, match="not an email address"):
        create_user(db, username="sam", password=PASSWORD, role=Role.WORKER, email=bad)
    assert db.exec(select(User)).all() == []


def test_staff_email_is_set_and_removed_by_an_admin_and_audited(db):
    admin = staff(db, "ada", Role.ADMIN)
    staff(db, "sam", Role.WORKER)
    assert set_email(db, admin, "Sam", " Sam@Example.ORG ") == "Sam@example.org"
    [event] = recent_events(db, action="user.email_changed")
    assert (event.target, event.detail) == ("sam", {"email": "set"})
    assert "example" not in str(event.detail)
    assert staff_accounts(db, admin).set_index("Username").loc["sam", "Email"] == "Sam@example.org"
    assert set_email(db, admin, "sam", "") is None
    assert db.exec(select(User.email).where(User.username == "sam")).one() is None
    with pytest.raises(ValueError, match="no user"):
        set_email(db, admin, "nobody", "x@example.org")
    with pytest.raises(AccessDenied):
        set_email(db, staff(db, "wendy", Role.WORKER), "sam", "x@example.org")


def test_staff_email_page_sets_an_address(app_database, db):
    admin = staff(db, "ada", Role.ADMIN)
    staff(db, "lee", Role.SAFEGUARDING_LEAD)
    at = app_test("pages/staff_accounts.py")
    at.session_state["staff_user_id"] = admin.id
    at.run()
    at.selectbox[1].set_value("lee")
    at.text_input[0].input("not an address")
    click(at, "Save email address")
    assert "not an email address" in at.error[0].value
    at.text_input[0].input("lee@example.org")
    click(at, "Save email address")
    assert "Alert emails for lee go to" in at.success[0].value
    assert db.exec(select(User.email).where(User.username == "lee")).one() == "lee@example.org"
