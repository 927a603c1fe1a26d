"""No stored time can be paired with an answer more precisely than its time band: limits
keep counters per window under keyed hashes, and forget them when the window is over. The one
exception, for safeguarding: an alert (and its emails, once sent) keeps the time staff were
told to the quarter hour, so its age in working hours is known (docs/privacy.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import SQLModel, select

from survey.core.limits import limits_from_settings
from survey.core.models import RateLimit
from survey.core.settings import Settings
from survey.staff.users import Role
from tests.support import at, new_session, send, staff

LIMITS = limits_from_settings(Settings())


def _stored_moments(db) -> list[tuple[str, str, datetime]]:
    """Every time of day stored anywhere: datetimes, and whole seconds since 1970."""
    moments = []
    for table in SQLModel.metadata.sorted_tables:
        for row in db.connection().execute(select(table)).all():
            for column, value in zip(table.columns.keys(), row, strict=True):
                if isinstance(value, datetime):
                    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
                elif isinstance(value, int) and 1_500_000_000 < value < 2_500_000_000:
                    moment = datetime.fromtimestamp(value, UTC)
                else:
                    continue
                moments.append((table.name, column, moment))
    return moments


def test_no_stored_time_pairs_with_an_answer_more_precisely_than_its_time_band(db, definition):
    session = new_session(db, staff(db, "wendy", Role.WORKER), definition)
    first = at("2026-03-02 11:00")
    sent = [first + timedelta(seconds=s) for s in (5, 40, 75, 130, 200)]
    for i, moment in enumerate(sent):
        send(db, definition, {"district": "Swale"}, f"s{i}", session_id=session.id,
             device=f"phone-token-number-{i:04d}", limits=LIMITS,
             when=moment.strftime("%Y-%m-%d %H:%M:%S"))  # fmt: skip
    # While a minute is running, its counter exists, under a hash and with no answer's id...
    assert db.exec(select(RateLimit)).all()
    # ...and once a later answer has come in, nothing of those minutes is left anywhere.
    send(db, definition, {"district": "Swale"}, "later", limits=LIMITS, when="2026-03-02 13:30:00")
    window = (sent[0] - timedelta(minutes=1), sent[-1] + timedelta(minutes=1))
    linkable = [m for m in _stored_moments(db) if window[0] <= m[2] <= window[1]]
    assert linkable == []


def test_purge_forgets_every_counter_whose_window_is_over(app_database, db, definition):
    from cli.main import main

    session = new_session(db, staff(db, "wendy", Role.WORKER), definition)
    send(db, definition, {"district": "Swale"}, "s1", session_id=session.id,
         device="phone-token-number-0001", limits=LIMITS, when="2026-03-02 11:00:30")  # fmt: skip
    assert db.exec(select(RateLimit)).all()  # the last answer's minute, not yet swept
    assert main(["purge"]) == 0
    db.expire_all()
    assert db.exec(select(RateLimit)).all() == []


def _on_the_quarter_hour(moment: datetime) -> bool:
    return moment.minute % 15 == 0 and moment.second == 0 and moment.microsecond == 0


def test_an_alert_and_its_emails_keep_their_times_to_the_quarter_hour(mail, db, engine, definition):
    """The one exception to the time band (docs/privacy.md): an alert's age needs the time
    staff were told, kept to the quarter hour, and so are its emails' times once sent."""
    from survey.core.models import AlertNotice, SafeguardingAlert
    from survey.safeguarding.emailing import send_due_notices
    from survey.staff.users import create_user

    lead = {"username": "lead", "role": Role.SAFEGUARDING_LEAD, "email": "lead@example.org"}
    create_user(db, password="a long enough passphrase", **lead)
    set_up = datetime.now(UTC)  # staff's own actions (creating the account) are before this
    send(db, definition, {"unsafe_place_text": "my dad hits me and I'm scared to go home"}, "s")
    assert send_due_notices(engine).sent == ["lead@example.org"]

    alert = db.exec(select(SafeguardingAlert)).one()
    notice = db.exec(select(AlertNotice)).one()
    kept = [alert.raised_at, notice.created_at, notice.next_try_at, notice.sent_at]
    assert all(m is not None and _on_the_quarter_hour(m) for m in kept)
    since = [m for m in _stored_moments(db) if m[2] >= set_up]
    assert [m for m in since if not _on_the_quarter_hour(m[2])] == []
