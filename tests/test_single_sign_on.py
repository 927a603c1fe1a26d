"""Optional single sign-on (survey/staff/single_sign_on.py), without a provider: the role
mapping file is validated on load, roles come from the ID token's claims, an account is made
the first time and kept up to date, and single sign-on never takes over a password account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from survey.core.data_files import DataFileError
from survey.core.models import User
from survey.core.settings import Settings
from survey.staff.permissions import Role, operator
from survey.staff.single_sign_on import (
    SSO_ONLY,
    SingleSignOnRefused,
    SsoRoles,
    identity_from_claims,
    load_sso_roles,
    role_for,
    sso_sign_in,
)
from survey.staff.users import SignInRefused, reset_password, set_active, sign_in
from tests.support import PASSWORD, recent_events, staff

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
TENANT = "11111111-2222-3333-4444-555555555555"
MAPPING = SsoRoles.model_validate(
    {
        "require": {"tid": TENANT},
        "roles": [
            {"claim": "groups", "value": "admins-group-id", "role": "admin"},
            {"claim": "roles", "value": "YouthVoice.SafeguardingLead", "role": "safeguarding_lead"},
            {"claim": "roles", "value": "YouthVoice.Worker", "role": "worker"},
        ],
    }
)


def _claims(**changes):
    claims = {
        "iss": f"https://login.microsoftonline.com/{TENANT}/v2.0",
        "tid": TENANT,
        "preferred_username": "Sam.Smith@Kent.gov.uk",
        "name": "Sam Smith",
        "email": "sam.smith@kent.gov.uk",
        "roles": ["YouthVoice.Worker"],
        "iat": int((NOW - timedelta(seconds=20)).timestamp()),
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sso_roles.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_single_sign_on_the_shipped_mapping_loads_and_maps_entra_app_roles():
    mapping = load_sso_roles(Settings().sso_roles_path)
    assert mapping.button == "Sign in with Microsoft"
    assert role_for({"roles": ["YouthVoice.Board"]}, mapping) == Role.BOARD
    assert role_for({"roles": ["YouthVoice.Admin", "YouthVoice.Board"]}, mapping) == Role.ADMIN
    assert role_for({"roles": ["Something.Else"]}, mapping) is None
    assert role_for({}, mapping) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("roles: []\n", "roles: "),
        ("roles:\n  - {claim: roles, value: X, role: superuser}\n", "role: "),
        ("roles:\n  - {claim: roles, role: admin}\n", "value: "),
        ("roles:\n  - {claim: '', value: X, role: admin}\n", "claim: "),
        ("rolls:\n  - {claim: roles, value: X, role: admin}\n", "rolls: "),
        ("- just a list\n", "expected 'name: value' lines"),
        ("roles: [\n", "not valid YAML"),
    ],
)
def test_single_sign_on_a_bad_mapping_is_refused_naming_the_file_and_entry(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(DataFileError, match=r"sso_roles\.yaml") as refused:
        load_sso_roles(path)
    assert message in str(refused.value)


def test_single_sign_on_a_mapping_with_require_left_empty_loads(tmp_path):
    path = _write(tmp_path, "require:\nroles:\n  - {claim: groups, value: g1, role: analyst}\n")
    mapping = load_sso_roles(path)
    assert mapping.require == {} and role_for({"groups": ["g0", "g1"]}, mapping) == Role.ANALYST
    assert role_for({"groups": "g1"}, mapping) == Role.ANALYST  # a single value, not a list


def test_single_sign_on_roles_come_from_the_claims_first_rule_first():
    worker = identity_from_claims(_claims(), MAPPING, NOW)
    assert worker.username == "sam.smith@kent.gov.uk" and worker.role == Role.WORKER
    assert worker.display_name == "Sam Smith" and worker.email == "sam.smith@kent.gov.uk"
    both = _claims(groups=["admins-group-id"], roles=["YouthVoice.Worker"])
    assert identity_from_claims(both, MAPPING, NOW).role == Role.ADMIN
    lead = _claims(roles=["YouthVoice.SafeguardingLead", "YouthVoice.Worker"])
    assert identity_from_claims(lead, MAPPING, NOW).role == Role.SAFEGUARDING_LEAD
    nameless = identity_from_claims(_claims(name=None, email="not an address"), MAPPING, NOW)
    assert nameless.display_name == "sam.smith@kent.gov.uk" and nameless.email is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"roles": ["Other.App"]}, "no role in this app"),
        ({"roles": None}, "no role in this app"),
        ({"tid": "99999999-0000-0000-0000-000000000000"}, "'tid' is not the one required"),
        ({"preferred_username": None}, "no usable 'preferred_username'"),
        ({"preferred_username": "sam smith"}, "no usable 'preferred_username'"),
        ({"iat": int((NOW - timedelta(minutes=11)).timestamp())}, "too old"),
    ],
)
def test_single_sign_on_refuses_plainly(changes, message):
    with pytest.raises(SingleSignOnRefused, match=message):
        identity_from_claims(_claims(**changes), MAPPING, NOW)


def test_single_sign_on_makes_the_account_once_and_keeps_its_role_current(db):
    first = sso_sign_in(db, identity_from_claims(_claims(), MAPPING, NOW), NOW)
    assert (first.username, first.role) == ("sam.smith@kent.gov.uk", Role.WORKER)
    user = db.exec(select(User).where(User.username == first.username)).one()
    assert user.password_hash == SSO_ONLY  # no password signs in to it
    with pytest.raises(SignInRefused):
        sign_in(db, username=first.username, password=SSO_ONLY, address="192.0.2.1")

    promoted = _claims(roles=["YouthVoice.SafeguardingLead"])
    again = sso_sign_in(db, identity_from_claims(promoted, MAPPING, NOW), NOW)
    assert again.id == first.id and again.role == Role.SAFEGUARDING_LEAD
    assert [e.detail["via"] for e in recent_events(db, action="sign_in")] == ["single sign-on"] * 2
    [created] = recent_events(db, action="user.created")
    assert created.detail == {"role": "worker", "via": "single sign-on"}
    [changed] = recent_events(db, action="user.role_changed")
    assert changed.detail["from"] == "worker" and changed.detail["to"] == "safeguarding_lead"


def test_single_sign_on_never_takes_over_a_password_account_nor_a_deactivated_one(db):
    staff(db, "sam", Role.ADMIN)
    takeover = identity_from_claims(_claims(preferred_username="sam"), MAPPING, NOW)
    with pytest.raises(SingleSignOnRefused, match="already has the username 'sam'"):
        sso_sign_in(db, takeover, NOW)

    identity = identity_from_claims(_claims(), MAPPING, NOW)
    sso_sign_in(db, identity, NOW)
    set_active(db, operator(), identity.username, False)
    with pytest.raises(SingleSignOnRefused, match="deactivated"):
        sso_sign_in(db, identity, NOW)


def test_single_sign_on_accounts_have_no_password_to_reset(db):
    identity = identity_from_claims(_claims(), MAPPING, NOW)
    sso_sign_in(db, identity, NOW)
    with pytest.raises(ValueError, match="signs in through single sign-on"):
        reset_password(db, operator(), identity.username, PASSWORD)
