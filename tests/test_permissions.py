"""The permission table, and every domain action refusing whoever it doesn't give the
permission to, also when called without the UI (no page, no navigation in the way)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from incidents.history import undo_import
from incidents.importing import import_files
from incidents.models import IncidentImport
from incidents.reading import files_from_paths, files_from_uploads
from incidents.vocabulary import vocabulary_from_settings
from insights.board.context import BoardFilter, load_board_context
from insights.board.data import load_board_data
from insights.board.pack import export_board_pack
from survey.core.audit import audit_log_csv
from survey.core.models import ParticipationSession, SafeguardingAlert
from survey.core.settings import Settings
from survey.participation.actions import record_action
from survey.participation.paper_forms import enter_paper_form
from survey.participation.quotes import approve_quote
from survey.participation.review import decide_theme
from survey.participation.sessions import close_session, open_session
from survey.privacy.retention import delete_response
from survey.safeguarding.alerts import AlertState, change_alert_state, read_flagged_text
from survey.staff.permissions import (
    PERMISSIONS,
    AccessDenied,
    Permission,
    Role,
    StaffMember,
    holders,
    may,
    operator,
    require,
)
from survey.staff.users import unlock_user
from survey.startup import SurveyDefinition
from tests.incidents.helpers import csv_bytes, police_row
from tests.support import permissions_of, send, staff

SAMPLE = Path(__file__).parent / "incidents" / "data" / "2019-01-kent-street-sample.csv"
PLAIN = "waiting at the bus stop at night, men shout stuff at you"
DISCLOSURE = "my mums boyfriend Darren hits me when shes at work and I'm scared to go home"
TEXT_QUESTION = "unsafe_place_text"
# Read-only pages: the page gate is their only check (tests/pages/test_role_gate.py).
PAGE_ONLY = {Permission.READ_BOARD, Permission.EXPLORE_THEMES, Permission.SEE_RESPONSE_OVERVIEW}


def test_permissions_table_names_every_permission_and_admins_hold_all():
    assert set(PERMISSIONS) == set(Permission)
    assert all(Role.ADMIN in roles for roles in PERMISSIONS.values())
    assert permissions_of(Role.ADMIN) == set(Permission)
    for permission in Permission:
        assert not may(None, permission)


@pytest.mark.parametrize(
    "permission",
    [
        Permission.DELETE_RESPONSES,
        Permission.READ_AUDIT_LOG,
        Permission.MANAGE_STAFF,
        Permission.MANAGE_EVERY_SESSION,
        Permission.REVIEW_EVERY_RESPONSE,
    ],
)
def test_permissions_the_admin_only_ones_stay_admin_only(permission):
    assert PERMISSIONS[permission] == {Role.ADMIN}


def test_permissions_require_says_plainly_who_may():
    worker = StaffMember(1, "wendy", "Wendy", Role.WORKER)
    assert require(worker, Permission.RUN_SESSIONS) is worker
    with pytest.raises(
        AccessDenied, match=r"^Only analysts and admins can import incident data\.$"
    ):
        require(worker, Permission.IMPORT_INCIDENTS)
    with pytest.raises(AccessDenied, match="Please sign in"):
        require(None, Permission.RUN_SESSIONS)
    assert holders(Permission.FOLLOW_UP_ALERTS) == (
        "participation workers, safeguarding leads and admins"
    )
    assert holders(Permission.DELETE_RESPONSES) == "admins"


def test_permissions_a_worker_cannot_import_or_undo_incidents_without_the_ui(db):
    worker = staff(db, "wendy", Role.WORKER)
    vocabulary = vocabulary_from_settings(Settings())
    with pytest.raises(AccessDenied, match="Only analysts and admins can import incident data"):
        import_files(db, worker, files_from_paths([SAMPLE]), vocabulary=vocabulary, dry_run=True)
    assert not db.exec(select(IncidentImport)).all()
    stored = import_files(db, operator(), files_from_paths([SAMPLE]), vocabulary=vocabulary)
    assert stored.import_id
    with pytest.raises(AccessDenied, match="Only analysts and admins can undo incident imports"):
        undo_import(db, worker, stored.import_id)
    analyst = staff(db, "ana", Role.ANALYST)
    assert undo_import(db, analyst, stored.import_id).removed == 20
    record = db.get(IncidentImport, stored.import_id)
    assert (record.actor, record.undone_by) == ("command line", "ana")


# One domain action for each permission, done by `member` in a world where everything the
# action needs exists: the member's own session, response and alert (so a member who holds
# the permission is refused nothing), and another worker's (for the "every" permissions).
Action = Callable[["World", StaffMember], object]


class World:
    def __init__(self, db: Session, definition: SurveyDefinition) -> None:
        self.db, self.definition = db, definition
        self.admin = staff(db, "ada", Role.ADMIN)
        self.imports = 0
        self.other = staff(db, "owen", Role.WORKER)
        self.other_session = self.session_of(self.other)
        self.other_response = self.response(self.other_session, PLAIN)
        send(db, definition, {TEXT_QUESTION: DISCLOSURE}, "open-alert")  # the open survey's
        self.open_alert = db.exec(
            select(SafeguardingAlert.id).where(col(SafeguardingAlert.worker_id).is_(None))
        ).one()

    def session_of(self, member: StaffMember) -> int:
        """A session run by the member, whoever they are (an admin opens it for them)."""
        started = open_session(
            self.db,
            worker=self.admin,
            name="Youth club night",
            venue_type="youth_club",
            district="Thanet",
            held_on=date(2026, 3, 2),
            age_group=None,
            districts=self.definition.dimensions.district_names,
        )
        session = self.db.get(ParticipationSession, started.id)
        assert session is not None
        session.worker_id = member.id
        self.db.add(session)
        self.db.commit()
        return started.id

    def response(self, session_id: int, text: str) -> int:
        return send(
            self.db, self.definition, {TEXT_QUESTION: text}, uuid.uuid4().hex, session_id=session_id
        )

    def own_response(self, member: StaffMember, text: str = PLAIN) -> int:
        return self.response(self.session_of(member), text)

    def own_alert(self, member: StaffMember) -> int:
        response_id = self.own_response(member, DISCLOSURE)
        query = select(SafeguardingAlert.id).where(SafeguardingAlert.response_id == response_id)
        return self.db.exec(query).one()


def _import(w: World, m: StaffMember) -> object:
    vocabulary = vocabulary_from_settings(Settings())
    return import_files(w.db, m, files_from_paths([SAMPLE]), vocabulary=vocabulary)


def _undo(w: World, m: StaffMember) -> object:
    w.imports += 1  # a month of its own each time: a file already imported stores nothing
    row = police_row(month=f"2019-{w.imports:02d}", crime_id=uuid.uuid4().hex)
    stored = import_files(
        w.db,
        operator(),
        files_from_uploads([("month.csv", csv_bytes([row]))]),
        vocabulary=vocabulary_from_settings(Settings()),
    )
    assert stored.import_id
    return undo_import(w.db, m, stored.import_id)


def _board_pack(w: World, m: StaffMember) -> object:
    ctx = load_board_context(Settings())
    data = load_board_data(w.db, ctx)
    return export_board_pack(w.db, m, data, BoardFilter(), ctx, today=date(2026, 4, 1))


def _record_action(w: World, m: StaffMember) -> object:
    return record_action(
        w.db,
        m,
        theme_id="people.groups_of_men",
        district=None,
        asked="Men shout at girls at the station",
        done="Street pastors on Fridays",
        owner="Thanet CSP",
        status="planned",
        action_date=date(2026, 3, 20),
        theme_ids=["people.groups_of_men"],
        districts=[],
    )


def _paper_form(w: World, m: StaffMember) -> object:
    return enter_paper_form(
        w.db,
        m,
        session_id=w.session_of(m),
        definition=w.definition,
        answers={TEXT_QUESTION: PLAIN},
        submission_id=uuid.uuid4().hex,
        tagger=None,
    )


def _decide(response_id: Callable[[World, StaffMember], int]) -> Action:
    def decide(w: World, m: StaffMember) -> object:
        return decide_theme(
            w.db,
            m,
            response_id=response_id(w, m),
            question_id=TEXT_QUESTION,
            theme_id="place.transport_hub",
            present=True,
            codebook_version="test",
        )

    return decide


ACTIONS: dict[Permission, Action] = {
    Permission.RUN_SESSIONS: lambda w, m: open_session(
        w.db,
        worker=m,
        name="Year 9",
        venue_type="school",
        district="Thanet",
        held_on=date(2026, 3, 2),
        age_group="14-15",
        districts=w.definition.dimensions.district_names,
    ),
    Permission.ENTER_PAPER_FORMS: _paper_form,
    Permission.REVIEW_THEMES: _decide(lambda w, m: w.own_response(m)),
    Permission.APPROVE_QUOTES: lambda w, m: approve_quote(
        w.db, m, response_id=w.own_response(m), question_id=TEXT_QUESTION
    ),
    Permission.FOLLOW_UP_ALERTS: lambda w, m: change_alert_state(
        w.db, m, w.own_alert(m), AlertState.SEEN
    ),
    Permission.MANAGE_EVERY_SESSION: lambda w, m: close_session(w.db, m, w.other_session),
    Permission.REVIEW_EVERY_RESPONSE: _decide(lambda w, m: w.other_response),
    Permission.FOLLOW_UP_EVERY_ALERT: lambda w, m: read_flagged_text(w.db, m, w.open_alert),
    Permission.IMPORT_INCIDENTS: _import,
    Permission.UNDO_IMPORTS: _undo,
    Permission.EXPORT_BOARD_PACK: _board_pack,
    Permission.RECORD_ACTIONS: _record_action,
    Permission.DELETE_RESPONSES: lambda w, m: delete_response(
        w.db, m, w.own_response(m), "a test response"
    ),
    Permission.READ_AUDIT_LOG: lambda w, m: audit_log_csv(w.db, m),
    Permission.MANAGE_STAFF: lambda w, m: unlock_user(w.db, m, "owen"),
}


def test_permissions_every_permission_has_a_domain_action_or_is_page_only():
    assert set(ACTIONS) | PAGE_ONLY == set(Permission)
    assert not set(ACTIONS) & PAGE_ONLY


@pytest.mark.parametrize("permission", sorted(ACTIONS, key=lambda p: p.name))
def test_permissions_each_action_refuses_every_role_the_table_does_not_give_it(
    db, definition, permission
):
    world = World(db, definition)
    for role in Role:
        member = staff(db, f"{role.value}-{permission.name.lower()}", role)
        if may(member, permission):
            ACTIONS[permission](world, member)  # done, no AccessDenied
        else:
            with pytest.raises(AccessDenied):
                ACTIONS[permission](world, member)
            db.rollback()
