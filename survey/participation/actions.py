""" "You said, we did": actions the partnership records against what young people raised,
shown to young people in plain words (the Lundy model's Audience and Influence)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from survey.core.audit import record_event
from survey.core.models import Action
from survey.staff.permissions import Permission, StaffMember, require


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


STATUS_WORDS = {
    ActionStatus.PLANNED: "We're going to do this",
    ActionStatus.IN_PROGRESS: "We're doing this now",
    ActionStatus.DONE: "We did this",
}


@dataclass(frozen=True)
class ActionView:
    id: int
    theme_id: str
    district: str | None
    asked: str
    done: str
    owner: str
    status: ActionStatus
    action_date: date


def record_action(
    db: Session,
    member: StaffMember,
    *,
    theme_id: str,
    district: str | None,
    asked: str,
    done: str,
    owner: str,
    status: str,
    action_date: date,
    theme_ids: list[str],
    districts: list[str],
    action_id: int | None = None,
) -> ActionView:
    """Record (or, with `action_id`, update) an action (RECORD_ACTIONS)."""
    require(member, Permission.RECORD_ACTIONS)
    problems = [
        "choose the theme young people raised" if theme_id not in theme_ids else "",
        f"unknown district '{district}'" if district and district not in districts else "",
        "say what young people asked for" if not asked.strip() else "",
        "say what was or will be done" if not done.strip() else "",
        "say who owns the action" if not owner.strip() else "",
        f"unknown status '{status}'" if status not in set(ActionStatus) else "",
    ]
    if any(problems):
        raise ValueError("Please " + "; ".join(p for p in problems if p) + ".")
    action = db.get(Action, action_id) if action_id else None
    action = action or Action(
        theme_id=theme_id,
        asked="",
        done="",
        owner="",
        status=status,
        action_date=action_date,
        recorded_by=member.username,
        recorded_at=datetime.now(UTC),
    )
    action.theme_id, action.district, action.status = theme_id, district or None, status
    action.asked, action.done, action.owner = asked.strip(), done.strip(), owner.strip()
    action.action_date = action_date
    db.add(action)
    record_event(
        db,
        action="action.recorded",
        actor=member.username,
        target=theme_id,
        detail={"status": status, "district": district},
    )
    db.commit()
    return _view(action)


def _view(action: Action) -> ActionView:
    assert action.id is not None
    return ActionView(
        action.id,
        action.theme_id,
        action.district,
        action.asked,
        action.done,
        action.owner,
        ActionStatus(action.status),
        action.action_date,
    )


def list_actions(db: Session, *, district: str | None = None) -> list[ActionView]:
    """Actions, newest first; for a district, its own and the whole area's."""
    query = select(Action).order_by(col(Action.action_date).desc(), col(Action.id).desc())
    if district:
        query = query.where((col(Action.district) == district) | col(Action.district).is_(None))
    return [_view(a) for a in db.exec(query).all()]
