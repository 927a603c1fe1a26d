"""Paper forms: a worker types in the answers young people wrote on paper in a session.

Same checks, redaction, tagging and idempotency as the online survey; the response is
marked as paper-sourced and can be entered after the session has closed.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from survey.participation.sessions import session_for_staff
from survey.responses import SubmitResult, submit_response
from survey.staff.permissions import Permission, StaffMember, require
from survey.startup import SurveyDefinition
from survey.themes import ThemeTagger


def enter_paper_form(
    db: Session,
    member: StaffMember,
    *,
    session_id: int,
    definition: SurveyDefinition,
    answers: dict[str, Any],
    submission_id: str,
    tagger: ThemeTagger | None,
) -> SubmitResult:
    """Store one paper form into one of the member's own sessions."""
    require(member, Permission.ENTER_PAPER_FORMS)
    session_for_staff(db, member, session_id)  # refuses another worker's session
    return submit_response(
        db=db,
        questionnaire=definition.questionnaire,
        dimensions=definition.dimensions,
        answers=answers,
        submission_id=submission_id,
        source="paper",
        tagger=tagger,
        session_id=session_id,
    )
