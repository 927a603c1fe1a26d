"""Optional single sign-on through Streamlit's `st.login` (OpenID Connect), e.g. Microsoft
Entra ID, which councils and police forces use. Off unless YOUTHVOICE_SSO_PROVIDER names a
provider configured in `.streamlit/secrets.toml` (README: "Single sign-on").

Who gets which role is `data/sso_roles.yaml`, validated on load: the claims of the ID token
(Streamlit's `st.user`) that name the person, claims that must hold a value (Entra's tenant
id), and rules, in order: the first whose claim equals its value (or, for a list claim such
as Entra's `roles` or `groups`, holds it) gives the role. Someone no rule matches is not let
in. The role is read again at every single sign-on, so a change in Entra applies at the next.

A person signed in this way gets an account here the first time (audited), with no password:
it signs in only through single sign-on, and never takes over an account that has a password.
An admin deactivates it like any other. Once in, the sign-in is an ordinary staff session
(survey/staff/sessions.py) with its idle and absolute limits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlmodel import Session, select

from survey.core.audit import record_event
from survey.core.data_files import read_yaml, reloaded_on_change, validate_file
from survey.core.email_addresses import email_address
from survey.core.models import User
from survey.staff.permissions import Role, StaffMember

# The password hash of an account that signs in only through single sign-on: not an argon2
# hash, so no password ever matches it (survey/staff/users.py).
SSO_ONLY = "!single-sign-on"
# A single sign-on is turned into a staff session only this soon after the provider issued
# its token (its `iat`): Streamlit's own login cookie lasts 30 days, and must not sign
# someone back in after their session here has ended.
FRESH_FOR = timedelta(minutes=10)
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,79}")


class SingleSignOnRefused(Exception):
    """Single sign-on cannot let this person in; the message is plain and safe to show."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoleRule(_Strict):
    claim: str = Field(min_length=1)
    value: str = Field(min_length=1)
    role: Role


class SsoRoles(_Strict):
    button: str = Field(default="Sign in with your organisation's account", min_length=1)
    username_claim: str = Field(default="preferred_username", min_length=1)
    display_name_claim: str = Field(default="name", min_length=1)
    email_claim: str = Field(default="email", min_length=1)
    require: dict[str, str] = {}
    roles: list[RoleRule] = Field(min_length=1)

    @field_validator("require", mode="before")
    @classmethod
    def _nothing_required(cls, value: Any) -> Any:
        return {} if value is None else value  # `require:` with its lines commented out


@dataclass(frozen=True)
class SsoIdentity:
    username: str
    display_name: str
    email: str | None
    role: Role


def load_sso_roles(path: Path) -> SsoRoles:
    """Read and validate the role mapping (`FILE: roles > item 2 > role: ...` if wrong)."""
    return validate_file(path, read_yaml(path), SsoRoles)


@reloaded_on_change(lambda path: [path])
def cached_sso_roles(path: Path) -> SsoRoles:
    """The role mapping, by the loading rule (survey/core/data_files.py)."""
    return load_sso_roles(path)


def role_for(claims: Mapping[str, Any], mapping: SsoRoles) -> Role | None:
    """The role the first matching rule gives (None: no rule matches)."""
    for rule in mapping.roles:
        if _holds(claims.get(rule.claim), rule.value):
            return rule.role
    return None


def identity_from_claims(
    claims: Mapping[str, Any], mapping: SsoRoles, now: datetime | None = None
) -> SsoIdentity:
    """Who the provider's claims say this is, and their role here; SingleSignOnRefused
    with a plain reason if they may not come in."""
    now = now or datetime.now(UTC)
    issued = claims.get("iat")
    if isinstance(issued, int | float) and now - datetime.fromtimestamp(issued, UTC) > FRESH_FOR:
        raise SingleSignOnRefused("That single sign-on is too old here: please sign in again.")
    for claim, value in mapping.require.items():
        if not _holds(claims.get(claim), value):
            raise SingleSignOnRefused(
                "Your organisation's account is not one this app lets in (its "
                f"'{claim}' is not the one required)."
            )
    raw_name = claims.get(mapping.username_claim)
    username = raw_name.strip().lower() if isinstance(raw_name, str) else ""
    if not _USERNAME.fullmatch(username):
        raise SingleSignOnRefused(
            f"Your organisation's account gives no usable '{mapping.username_claim}' "
            "(2-80 letters, digits, dots, dashes, underscores or @)."
        )
    role = role_for(claims, mapping)
    if role is None:
        raise SingleSignOnRefused(
            "Your organisation's account has no role in this app yet: ask an admin to give you one."
        )
    shown = claims.get(mapping.display_name_claim)
    display_name = shown.strip()[:120] if isinstance(shown, str) and shown.strip() else username
    return SsoIdentity(
        username, display_name, _email_or_none(claims.get(mapping.email_claim)), role
    )


def sso_sign_in(db: Session, identity: SsoIdentity, now: datetime | None = None) -> StaffMember:
    """The staff member a single sign-on identity is: their account here, made the first
    time and brought up to date (role, name, email) on each sign-on; audited."""
    now = now or datetime.now(UTC)
    user = db.exec(select(User).where(User.username == identity.username)).first()
    if user is None:
        user = User(
            username=identity.username,
            display_name=identity.display_name,
            role=identity.role.value,
            email=identity.email,
            password_hash=SSO_ONLY,
            created_at=now,
        )
        db.add(user)
        detail = {"role": identity.role.value, "via": "single sign-on"}
        record_event(
            db,
            action="user.created",
            actor=identity.username,
            target=identity.username,
            detail=detail,
        )
    elif user.password_hash != SSO_ONLY:
        raise SingleSignOnRefused(
            f"An account with a password already has the username {identity.username!r}: "
            "sign in with that password, or ask an admin."
        )
    elif not user.active:
        raise SingleSignOnRefused("This account has been deactivated: ask an admin.")
    else:
        if user.role != identity.role.value:
            record_event(
                db,
                action="user.role_changed",
                actor=identity.username,
                target=identity.username,
                detail={"from": user.role, "to": identity.role.value, "via": "single sign-on"},
            )
        user.role = identity.role.value
        user.display_name = identity.display_name
        user.email = identity.email or user.email
        db.add(user)
    record_event(db, action="sign_in", actor=identity.username, detail={"via": "single sign-on"})
    db.commit()
    assert user.id is not None
    return StaffMember(user.id, user.username, user.display_name, Role(user.role))


def _holds(claim: Any, value: str) -> bool:
    if isinstance(claim, list | tuple):
        return value in [str(item) for item in claim]
    return claim is not None and str(claim) == value


def _email_or_none(raw: Any) -> str | None:
    if not isinstance(raw, str) or not raw.strip():
        return None
    try:
        return email_address(raw)
    except ValueError:
        return None
