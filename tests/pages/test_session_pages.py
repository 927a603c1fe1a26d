from __future__ import annotations

from sqlmodel import select

from survey.core.models import ParticipationSession, Quote, Response, ResponseTheme
from survey.staff.users import Role
from tests.support import app_test, click, new_session, recent_events, send, staff


def _as(member, page: str, **query):
    at = app_test(page)
    at.session_state["staff_user_id"] = member.id
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_session_pages_worker_creates_closes_and_reopens_a_session(app_database, db):
    worker = staff(db, "wendy", Role.WORKER)
    at = _as(worker, "pages/sessions.py")
    assert "No sessions yet" in at.info[0].value
    at.text_input[0].input("Year 9, Dane Court")
    at.selectbox[1].set_value("Thanet")
    click(at, "Create session")
    row = db.exec(select(ParticipationSession)).one()
    assert row.name == "Year 9, Dane Court" and row.district == "Thanet"
    assert any(row.code in s.value for s in at.subheader)
    assert at.get("image") or at.get("imgs")  # the QR code
    assert len(at.get("download_button")) == 2
    click(at, "Close session")
    db.refresh(row)
    assert row.closed_at is not None
    click(at, "Reopen session")
    db.refresh(row)
    assert row.closed_at is None


def test_session_pages_another_workers_session_is_not_offered_even_by_url(
    app_database, db, definition
):
    wendy, will = staff(db, "wendy", Role.WORKER), staff(db, "will", Role.WORKER)
    new_session(db, wendy, definition, name="Wendy's group")
    theirs = new_session(db, will, definition, name="Will's group")
    at = _as(wendy, "pages/sessions.py", session=str(theirs.id))
    assert at.selectbox[-1].options == [o for o in at.selectbox[-1].options if "Will" not in o]
    assert not any(theirs.code in s.value for s in at.subheader)
    live = _as(wendy, "pages/live_session.py", session=str(theirs.id))
    assert not any(theirs.code in m.value for m in live.markdown)


def test_session_pages_live_screen_counts_answers_and_shows_themes(
    app_database, db, definition, tagger
):
    worker = staff(db, "wendy", Role.WORKER)
    session = new_session(db, worker, definition)
    for i in range(5):
        send(
            db,
            definition,
            {"unsafe_place_text": "men drinking at the bus station"},
            f"s{i}",
            tagger=tagger,
            session_id=session.id,
        )
    at = _as(worker, "pages/live_session.py", session=str(session.id))
    assert not at.exception
    assert any(session.code in m.value for m in at.markdown)
    assert at.metric[0].value == "5"
    assert at.get("vega_lite_chart")
    assert not at.text  # no free text on the screen by default


def test_session_pages_paper_form_is_stored_once_as_paper(app_database, db, definition):
    worker = staff(db, "wendy", Role.WORKER)
    session = new_session(db, worker, definition)
    at = _as(worker, "pages/paper_forms.py")
    at.radio(key="pf_age_band").set_value("16-17")
    at.text_area(key="pf_unsafe_place_text").input("the alley near Tom's house")
    click(at, "Save this form")
    assert "Form saved" in at.success[0].value
    response = db.exec(select(Response)).one()
    assert response.source == "paper" and response.session_id == session.id
    assert response.district is None  # unanswered radios stay unanswered
    assert at.radio(key="pf_age_band").value is None  # a blank form for the next one
    click(at, "Save this form")  # a blank form: an empty response is never stored
    assert "This form is blank, so nothing was saved" in at.error[0].value
    assert len(db.exec(select(Response)).all()) == 1


def test_session_pages_review_desk_removes_a_theme_and_approves_a_quote(
    app_database, db, definition, tagger
):
    worker, other = staff(db, "wendy", Role.WORKER), staff(db, "will", Role.WORKER)
    session = new_session(db, worker, definition)
    response_id = send(
        db,
        definition,
        {"unsafe_place_text": "drunk men at the bus station"},
        "r",
        tagger=tagger,
        session_id=session.id,
    )
    assert "Nothing to review" in _as(other, "pages/review_desk.py").info[0].value
    at = _as(worker, "pages/review_desk.py")
    assert "drunk men" in at.get("html")[0].proto.body
    remove = next(
        b for b in at.button if b.key == f"{response_id}-unsafe_place_text-people.groups_of_men"
    )
    remove.click().run()
    decision = db.exec(select(ResponseTheme).where(ResponseTheme.source == "reviewer")).one()
    assert decision.theme_id == "people.groups_of_men" and decision.present is False
    click(at, "Approve quote")
    assert db.exec(select(Quote)).one().text == "drunk men at the bus station"
    at.run()
    assert any("Approved for the board" in t.value for t in at.text)
    click(at, "Withdraw quote")  # approved by mistake: it leaves the board at once
    assert db.exec(select(Quote)).all() == []
    assert recent_events(db, action="quote.withdrawn")[0].actor == "wendy"
    assert not any("Approved for the board" in t.value for t in at.text)
    click(at, "Approve quote")
    click(at, "Mark reviewed")
    assert db.get(Response, response_id).reviewed_by == "wendy"
