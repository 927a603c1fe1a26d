"""`youthvoice alerts` for cron: --overdue lists open alerts past their due time (exit 1 when
there are any, 0 when none), --send sends the queued emails; `create-user --email`."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from cli.main import main
from survey.core.models import SafeguardingAlert, User
from survey.staff.users import Role, create_user
from tests.support import PASSWORD, send

DISCLOSURE = "my dad hits me every night and I'm scared to go home"


def _alert(db, definition, sid: str, *, raised_ago: timedelta, state: str = "new") -> int:
    send(db, definition, {"unsafe_place_text": DISCLOSURE}, sid)
    alert = db.exec(select(SafeguardingAlert).order_by(SafeguardingAlert.id.desc())).first()
    alert.raised_at = datetime.now(UTC) - raised_ago
    alert.state = state
    db.add(alert)
    db.commit()
    return alert.id


def test_alerts_command_overdue_exits_0_when_none(app_database, db, definition, capsys):
    assert main(["alerts", "--overdue"]) == 0
    _alert(db, definition, "fresh", raised_ago=timedelta(0))
    assert main(["alerts", "--overdue"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "No overdue alerts."


def test_alerts_command_overdue_lists_open_alerts_past_due_and_exits_1(
    app_database, db, definition, capsys
):
    late = _alert(db, definition, "late", raised_ago=timedelta(days=30))
    _alert(db, definition, "done", raised_ago=timedelta(days=30), state="actioned")
    _alert(db, definition, "fresh", raised_ago=timedelta(0))

    assert main(["alerts", "--overdue"]) == 1

    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith(f"Alert {late} (alert, new): raised ")
    assert "Late: open more than 24 working hours" in line
    assert line.endswith(f"/safeguarding_alerts?alert={late}")
    assert "dad" not in line and "scared" not in line


def test_alerts_command_send_sends_the_queued_emails(app_database, mail, db, definition, capsys):
    lead = {"username": "lead", "role": Role.SAFEGUARDING_LEAD, "email": "lead@example.org"}
    create_user(db, password=PASSWORD, **lead)
    send(db, definition, {"unsafe_place_text": DISCLOSURE}, "s1")
    assert main(["alerts", "--send"]) == 0
    assert capsys.readouterr().out.strip() == "Sent 1 alert email."
    assert [m.recipients for m in mail.received] == [["lead@example.org"]]

    send(db, definition, {"unsafe_place_text": DISCLOSURE}, "s2")
    mail.stop()
    assert main(["alerts", "--send"]) == 1  # cron hears of it
    out = capsys.readouterr().out
    assert "Email to lead@example.org not sent: could not reach the mail server" in out


def test_alerts_command_send_with_emails_off_says_so(app_database, capsys):
    assert main(["alerts", "--send"]) == 0
    assert "emails are off" in capsys.readouterr().out


def test_alerts_command_needs_something_to_do(app_database, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["alerts"])
    assert stopped.value.code == 2
    assert "--send, --overdue or both" in capsys.readouterr().err


def test_alerts_command_create_user_takes_an_email_address(app_database, db, monkeypatch):
    command = "create-user --role safeguarding_lead --username lee --password-stdin --email"
    command = command.split()
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    assert main([*command, "Lee.Lead@Example.ORG"]) == 0
    assert db.exec(select(User.email)).one() == "Lee.Lead@example.org"
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    command[4] = "lee2"
    assert main([*command, "lee at example.org"]) == 2
    assert len(db.exec(select(User)).all()) == 1
