"""Reading the audit log: only an admin, with filters, newest first; reading and exporting
it are audited themselves (a view once per filters within an hour, every export)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from sqlmodel import select

from survey.core.audit import audit_actions, audit_events, audit_log_csv, record_event
from survey.core.models import AuditEvent
from survey.staff.users import AccessDenied, Role
from tests.support import at, staff


def _log(db) -> None:
    for when, actor, action, target in [
        ("2026-06-30 09:00", "wendy", "session.opened", "ABC234"),
        ("2026-06-30 23:59", "sam_smith", "sign_in.failed", None),
        ("2026-07-01 00:30", "samXsmith", "sign_in", None),  # "_" must not match any letter
        ("2026-07-02 10:00", '=HYPERLINK("x")', "sign_in.failed", None),  # typed as a name
        ("2026-07-03 10:00", "Wendy", "session.closed", "ABC234"),
    ]:
        record_event(db, action=action, actor=actor, target=target, at=at(when), detail={"x": 1})
    db.commit()


def _shown(table: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(table["At"], table["Action"], strict=True))


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_audit_log_only_an_admin_reads_it_even_without_the_page(db, role):
    _log(db)
    member = staff(db, "someone", role)
    with pytest.raises(AccessDenied):
        audit_events(db, member)
    with pytest.raises(AccessDenied):
        audit_actions(db, member)
    with pytest.raises(AccessDenied):
        audit_log_csv(db, member)
    assert not db.exec(select(AuditEvent).where(AuditEvent.action.startswith("audit."))).all()


def test_audit_log_newest_first_with_filters(db):
    _log(db)
    admin = staff(db, "ada", Role.ADMIN)
    everything = audit_events(db, admin)
    assert list(everything.columns) == ["At", "Actor", "Action", "Target", "Detail"]
    assert everything["Action"].iloc[0] == "user.created"  # the admin's account, made today
    assert _shown(everything)[1:3] == [
        ("2026-07-03 10:00:00 BST", "session.closed"),
        ("2026-07-02 10:00:00 BST", "sign_in.failed"),
    ]
    assert everything["Detail"].iloc[1] == '{"x":1}'  # compact JSON
    assert "sign_in.failed" in audit_actions(db, admin)

    failed = audit_events(db, admin, action="sign_in.failed")
    assert set(failed["Action"]) == {"sign_in.failed"} and len(failed) == 2
    assert list(audit_events(db, admin, actor="WEN")["Actor"]) == ["Wendy", "wendy"]
    assert list(audit_events(db, admin, actor="sam_")["Actor"]) == ["sam_smith"]
    # Days are the partnership's (Europe/London): 00:30 BST on 1 July is 23:30 UTC on 30 June.
    first_of_july = audit_events(db, admin, since=date(2026, 7, 1), until=date(2026, 7, 1))
    assert _shown(first_of_july) == [("2026-07-01 00:30:00 BST", "sign_in")]
    june = audit_events(db, admin, until=date(2026, 6, 30), actor="s")
    assert list(june["Actor"]) == ["sam_smith"]
    assert len(audit_events(db, admin, limit=2)) == 2
    with pytest.raises(ValueError, match="after"):
        audit_events(db, admin, since=date(2026, 7, 2), until=date(2026, 7, 1))
    with pytest.raises(ValueError, match="between"):
        audit_events(db, admin, limit=0)


def test_audit_log_a_time_given_in_any_zone_reads_back_as_that_moment(db):
    admin = staff(db, "ada", Role.ADMIN)
    record_event(db, action="summer", actor="x", at=at("2026-07-01 00:30"))
    record_event(db, action="utc", actor="x", at=datetime(2026, 7, 1, 0, 30, tzinfo=UTC))
    db.commit()
    shown = dict(
        zip(
            audit_events(db, admin, actor="x")["Action"],
            audit_events(db, admin, actor="x")["At"],
            strict=True,
        )
    )
    assert shown == {"summer": "2026-07-01 00:30:00 BST", "utc": "2026-07-01 01:30:00 BST"}


def _views(db) -> list[dict]:
    db.expire_all()
    return [
        e.detail
        for e in db.exec(
            select(AuditEvent).where(AuditEvent.action == "audit.viewed").order_by(AuditEvent.id)
        )
    ]


def test_audit_log_viewing_is_audited_once_per_filters_within_an_hour(db):
    _log(db)
    admin = staff(db, "ada", Role.ADMIN)
    now = datetime(2026, 7, 4, 9, 0, tzinfo=UTC)
    for minutes in (0, 1, 5):  # the page reruns: the same filters, one view
        audit_events(db, admin, now=now + timedelta(minutes=minutes))
    assert len(_views(db)) == 1
    audit_events(db, admin, action="sign_in", now=now + timedelta(minutes=6))
    audit_events(db, admin, now=now + timedelta(minutes=7))  # back to all: a new view
    audit_events(db, admin, now=now + timedelta(minutes=8))
    audit_events(db, admin, now=now + timedelta(minutes=69))  # an hour after the last one
    views = _views(db)
    assert [v["action"] for v in views] == [None, "sign_in", None, None]
    assert views[1] == {
        "action": "sign_in",
        "actor": None,
        "since": None,
        "until": None,
        "limit": 500,
    }
    assert (
        db.exec(select(AuditEvent).where(AuditEvent.action == "audit.viewed")).first().actor
        == "ada"
    )


def test_audit_log_every_export_is_audited_and_safe_to_open(db):
    _log(db)
    admin = staff(db, "ada", Role.ADMIN)
    for _ in range(2):
        csv = audit_log_csv(db, admin, action="sign_in.failed")
    exports = db.exec(select(AuditEvent).where(AuditEvent.action == "audit.exported")).all()
    assert len(exports) == 2 and exports[0].detail["rows"] == 2 and exports[0].actor == "ada"
    table = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert list(table.columns) == ["At", "Actor", "Action", "Target", "Detail"]
    assert table["Actor"].iloc[0] == '\'=HYPERLINK("x")'  # never a formula in a spreadsheet
