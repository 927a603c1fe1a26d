"""A young person's unfinished answers: sealed under a random token only their phone holds,
kept two hours, deleted on send and on expiry; and an empty response is never stored."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, update
from sqlmodel import col, select

from survey.answers import NOTHING_ANSWERED, NothingAnswered
from survey.core.limits import LimitReached, limits_from_settings
from survey.core.models import Answer, RateLimit, Response, SurveyDraft
from survey.core.settings import Settings
from survey.drafts import (
    DRAFT_LIFETIME,
    Draft,
    delete_draft,
    is_draft_token,
    load_draft,
    new_draft_token,
    open_sealed,
    save_draft,
    seal,
    sweep_expired_drafts,
    token_hash,
)
from survey.responses import submit_response
from survey.staff.users import Role
from tests.support import FULL_ANSWERS, at, new_session, send, staff

NOW = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
WORDS = "waiting at the bus stop at night, men shout stuff at you"
DRAFT = Draft(
    step=3,
    answers={"district": "Thanet", "unsafe_places": ["place.park"], "unsafe_place_text": WORDS},
    submission_id="3f1c2d9e-draft-submission",
)


def _count(db, table) -> int:
    return db.exec(select(func.count()).select_from(table)).one()


def _rows(db) -> list[SurveyDraft]:
    db.expire_all()
    return list(db.exec(select(SurveyDraft)).all())


# --- sealing ------------------------------------------------------------------------------


def test_drafts_seal_and_open_with_the_same_token_only():
    token, other = new_draft_token(), new_draft_token()
    assert is_draft_token(token) and token != other
    sealed = seal(token, DRAFT)
    assert open_sealed(token, sealed) == DRAFT
    assert open_sealed(other, sealed) is None  # a wrong token opens nothing
    assert open_sealed("not a token", sealed) is None
    changed = bytearray(sealed)
    changed[-1] ^= 1
    assert open_sealed(token, bytes(changed)) is None  # nor do changed bytes
    assert open_sealed(token, sealed[:20]) is None


def test_drafts_sealed_bytes_hold_no_word_of_the_answers_nor_the_token():
    token = new_draft_token()
    sealed = seal(token, DRAFT)
    for secret in ["bus stop", "shout", "Thanet", "place.park", "district", DRAFT.submission_id]:
        assert secret.encode() not in sealed
    assert token.encode() not in sealed and token_hash(token).encode() not in sealed
    # Sealed twice, the same draft gives different bytes (a fresh nonce each time).
    assert seal(token, DRAFT) != sealed


def test_drafts_sealed_length_says_little_about_the_answers():
    token = new_draft_token()
    short = seal(token, Draft(1, {"district": "Dover"}, "s"))
    longer = seal(token, Draft(4, {"district": "Dover", "unsafe_place_text": "a" * 120}, "s"))
    assert len(short) == len(longer)  # padded to whole blocks


# --- kept in the database -----------------------------------------------------------------


def test_drafts_saved_under_the_token_hash_and_loaded_back(db):
    token = new_draft_token()
    expires = save_draft(db, token, DRAFT, now=NOW)
    assert expires == NOW + DRAFT_LIFETIME == NOW + timedelta(hours=2)
    [row] = _rows(db)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() == token_hash(token)
    assert token not in row.token_hash
    for secret in [b"bus stop", b"Thanet", DRAFT.submission_id.encode(), token.encode()]:
        assert secret not in row.sealed  # a copy of the database reveals nothing
    assert load_draft(db, token, now=NOW + timedelta(minutes=5)) == DRAFT
    assert load_draft(db, new_draft_token(), now=NOW) is None  # a wrong token finds nothing
    assert load_draft(db, "../../etc/passwd", now=NOW) is None


def test_drafts_a_later_write_replaces_the_draft_and_gives_two_more_hours(db):
    token = new_draft_token()
    save_draft(db, token, DRAFT, now=NOW)
    later = Draft(4, {**DRAFT.answers, "unsafe_because": ["groups_of_men"]}, DRAFT.submission_id)
    save_draft(db, token, later, now=NOW + timedelta(minutes=90))
    [row] = _rows(db)
    assert row.expires_at.replace(tzinfo=UTC) == NOW + timedelta(minutes=210)
    assert load_draft(db, token, now=NOW + timedelta(minutes=200)) == later


def test_drafts_keep_the_joined_session_and_read_its_name_back(db, definition):
    session = new_session(db, staff(db, "wendy", Role.WORKER), definition)
    token = new_draft_token()
    save_draft(db, token, Draft(2, {"district": "Thanet"}, "sub", session.id), now=NOW)
    restored = load_draft(db, token, now=NOW)
    assert restored is not None
    assert (restored.session_id, restored.session_name) == (session.id, session.name)


def test_drafts_expire_after_two_hours_and_every_write_sweeps_them(db):
    old, new = new_draft_token(), new_draft_token()
    save_draft(db, old, DRAFT, now=NOW)
    assert load_draft(db, old, now=NOW + timedelta(hours=2) - timedelta(seconds=1)) == DRAFT
    assert load_draft(db, old, now=NOW + timedelta(hours=2)) is None  # expired: unreadable
    save_draft(db, new, DRAFT, now=NOW + timedelta(hours=2, seconds=1))  # any write sweeps
    assert [r.token_hash for r in _rows(db)] == [token_hash(new)]
    assert sweep_expired_drafts(db, now=NOW + timedelta(hours=5)) == 1
    assert _rows(db) == []


def test_drafts_a_crowd_of_writes_sweeps_once_a_minute(db):
    expired, a, b = new_draft_token(), new_draft_token(), new_draft_token()
    save_draft(db, expired, DRAFT, now=NOW - timedelta(days=1))
    save_draft(db, a, DRAFT, now=NOW)  # sweeps: the day-old draft is gone
    assert token_hash(expired) not in {r.token_hash for r in _rows(db)}
    save_draft(db, expired, DRAFT, now=NOW + timedelta(seconds=10))  # within the minute
    db.exec(  # and expired, by hand
        update(SurveyDraft)
        .where(col(SurveyDraft.token_hash) == token_hash(expired))
        .values(expires_at=NOW - timedelta(hours=1))
    )
    db.commit()
    save_draft(db, b, DRAFT, now=NOW + timedelta(seconds=59))  # within the minute: no sweep
    assert token_hash(expired) in {r.token_hash for r in _rows(db)}
    save_draft(db, b, DRAFT, now=NOW + timedelta(minutes=1))  # a minute on: swept
    assert token_hash(expired) not in {r.token_hash for r in _rows(db)}


def test_drafts_purge_sweeps_expired_drafts(app_database, db):
    from cli.main import main

    token = new_draft_token()
    save_draft(db, token, DRAFT, now=datetime.now(UTC) - timedelta(hours=3))
    assert len(_rows(db)) == 1
    assert main(["purge"]) == 0
    assert _rows(db) == []


def test_drafts_delete_when_starting_afresh(db):
    token = new_draft_token()
    save_draft(db, token, DRAFT, now=NOW)
    delete_draft(db, token)
    assert _rows(db) == [] and load_draft(db, token, now=NOW) is None


# --- sending ------------------------------------------------------------------------------


def _send(db, definition, token, answers=None, sid=None, **options):
    return submit_response(
        db=db,
        questionnaire=definition.questionnaire,
        dimensions=definition.dimensions,
        answers=DRAFT.answers if answers is None else answers,
        submission_id=sid or DRAFT.submission_id,
        now=at("2026-03-02 11:00"),
        draft_token=token,
        **options,
    )


def test_drafts_sending_deletes_the_draft_with_the_response(db, definition):
    token, someone_else = new_draft_token(), new_draft_token()
    save_draft(db, token, DRAFT)
    save_draft(db, someone_else, DRAFT)
    result = _send(db, definition, token)
    assert not result.already_stored and _count(db, Response) == 1
    assert [r.token_hash for r in _rows(db)] == [token_hash(someone_else)]  # only theirs
    assert load_draft(db, token) is None


def test_drafts_a_send_after_a_reload_stores_once(db, definition):
    """The submission id is in the draft: a second tab (or a reload that brought the draft
    back before the first send's page arrived) sends the same id, and nothing more is
    stored; that send deletes the draft too."""
    token = new_draft_token()
    save_draft(db, token, DRAFT)
    first = _send(db, definition, token)
    save_draft(db, token, DRAFT)  # the other tab presses Next after the first one sent
    restored = load_draft(db, token)
    assert restored is not None and restored.submission_id == DRAFT.submission_id
    again = _send(db, definition, token, answers=restored.answers, sid=restored.submission_id)
    assert again.already_stored and again.response_id == first.response_id
    assert _count(db, Response) == 1 and _rows(db) == []


def test_drafts_a_refused_send_keeps_the_draft(db, definition):
    token = new_draft_token()
    save_draft(db, token, DRAFT)
    full = limits_from_settings(Settings(responses_per_device=1))
    _send(db, definition, None, sid="earlier", device="one-phone-token-000001", limits=full)
    with pytest.raises(LimitReached):
        _send(db, definition, token, device="one-phone-token-000001", limits=full)
    assert load_draft(db, token) == DRAFT  # nothing lost: they can send again later


# --- an empty response is never stored ---------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"age_band": None, "unsafe_places": [], "unsafe_place_text": "   \n "},
        {"unsafe_place_text": "\u200b"},
        # Answers only to questions the skip logic hides count for nothing either.
        {"feels_unsafe_somewhere": None, "unsafe_places": ["place.park"]},
    ],
)
@pytest.mark.parametrize("source", ["online", "paper"])
def test_an_empty_response_is_refused_kindly_and_stores_nothing(db, definition, answers, source):
    limits = limits_from_settings(Settings())
    with pytest.raises(NothingAnswered) as refused:
        send(db, definition, answers, "empty", source=source, device="a-phone-token-00001",
             limits=limits)  # fmt: skip
    assert str(refused.value) == NOTHING_ANSWERED
    assert NOTHING_ANSWERED.startswith("You haven't answered anything yet")
    assert refused.value.problems == []  # no question is at fault
    assert _count(db, Response) == 0 and _count(db, Answer) == 0
    assert _count(db, RateLimit) == 0  # no limit used up either


def test_one_answer_is_enough_to_send(db, definition):
    assert send(db, definition, {"district": "Swale"}, "one")
    assert send(db, definition, {"age_band": "prefer_not_to_say"}, "rather-not-say")
    assert _count(db, Response) == 2


def test_an_empty_paper_form_is_refused_too(db, definition):
    from survey.participation.paper_forms import enter_paper_form

    worker = staff(db, "wendy", Role.WORKER)
    session = new_session(db, worker, definition)
    with pytest.raises(NothingAnswered):
        enter_paper_form(db, worker, session_id=session.id, definition=definition,
                         answers={}, submission_id="blank-paper", tagger=None)  # fmt: skip
    assert _count(db, Response) == 0


def test_full_answers_still_send(db, definition):
    token = new_draft_token()
    save_draft(db, token, Draft(6, FULL_ANSWERS, "full"))
    assert not _send(db, definition, token, answers=FULL_ANSWERS, sid="full").already_stored
    assert _rows(db) == []
