"""A young person's unfinished answers, kept two hours so back, reload and a dropped
connection lose nothing, with no account and nothing identifying.

The phone keeps a random draft token (a first-party cookie, ui/survey_draft.py). The server
keeps the draft sealed with AES-256-GCM under a key derived from that token (HKDF-SHA256),
in a row whose key is only SHA-256 of the token: a copy of the database (or a backup) holds
neither the token nor the key, so it reveals no answer, and not even the answers' length
(the sealed text is padded to whole blocks). The row goes when the answers are sent (in the
response's own transaction), when the young person starts afresh, and two hours after the
last write: a write sweeps the expired rows (at most once a minute per process: a sweep
is a DELETE and a commit, and a crowd writes drafts many times a second), and so does
`youthvoice purge`.

What is sealed: the answers given so far, the part reached, the submission id (so a send after
a reload is still stored once) and the session joined, if any. Nothing about the person.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col

from survey.core.database import upsert_into
from survey.core.models import ParticipationSession, SurveyDraft

log = logging.getLogger(__name__)

DRAFT_LIFETIME = timedelta(hours=2)
# secrets.token_urlsafe(32): 43 characters, 256 random bits. Anything else is not a token.
_GOOD_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
_FORMAT = b"\x01"  # the first byte of every sealed draft: how the rest is laid out
_NONCE_BYTES = 12
_BLOCK = 256  # the sealed text is padded to a multiple of this, so its length says little
_KEY_INFO = b"youthvoice survey draft key v1"


@dataclass(frozen=True)
class Draft:
    """What a draft keeps: the answers so far, the part reached (0 is the welcome), the
    submission id and the joined session's id."""

    step: int
    answers: dict[str, Any] = field(default_factory=dict)
    submission_id: str = ""
    session_id: int | None = None
    # The joined session's name, read from the database when a draft is loaded (never sealed).
    session_name: str | None = None


def new_draft_token() -> str:
    return secrets.token_urlsafe(32)


def is_draft_token(text: object) -> bool:
    return isinstance(text, str) and _GOOD_TOKEN.fullmatch(text) is not None


def token_hash(token: str) -> str:
    """The row's key: SHA-256 of the token (the token has 256 random bits, so the hash
    cannot be turned back into it, nor into the sealing key, which HKDF derives apart)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _sealing_key(token: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO)
    return hkdf.derive(token.encode("ascii"))


def _associated(token: str) -> bytes:
    # Binds the sealed bytes to their row: moved under another token's row, they open nowhere.
    return _FORMAT + token_hash(token).encode("ascii")


def seal(token: str, draft: Draft) -> bytes:
    """The draft, encrypted and authenticated with a key only the token gives."""
    if not is_draft_token(token):
        raise ValueError("not a draft token")
    plain = json.dumps(
        {
            "step": draft.step,
            "answers": draft.answers,
            "submission_id": draft.submission_id,
            "session_id": draft.session_id,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    plain += b" " * (-len(plain) % _BLOCK)  # JSON ignores the trailing spaces
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = AESGCM(_sealing_key(token)).encrypt(nonce, plain, _associated(token))
    return _FORMAT + nonce + sealed


def open_sealed(token: str, sealed: bytes) -> Draft | None:
    """The draft sealed under this token; None for any other token, or bytes that were
    changed, cut short or are not a draft."""
    if not is_draft_token(token) or not sealed.startswith(_FORMAT):
        return None
    nonce = sealed[len(_FORMAT) : len(_FORMAT) + _NONCE_BYTES]
    body = sealed[len(_FORMAT) + _NONCE_BYTES :]
    try:
        plain = AESGCM(_sealing_key(token)).decrypt(nonce, body, _associated(token))
        data = json.loads(plain.decode("utf-8"))
    except (InvalidTag, ValueError):
        return None
    return _draft_from(data)


def _draft_from(data: Any) -> Draft | None:
    if not isinstance(data, dict):
        return None
    step, answers = data.get("step"), data.get("answers")
    submission_id, session_id = data.get("submission_id"), data.get("session_id")
    if (
        not isinstance(step, int)
        or isinstance(step, bool)
        or step < 0
        or not isinstance(answers, dict)
        or not all(isinstance(k, str) for k in answers)
        or not isinstance(submission_id, str)
        or not 0 < len(submission_id) <= 64
        or not (session_id is None or (isinstance(session_id, int) and session_id > 0))
    ):
        return None
    return Draft(step, answers, submission_id, session_id)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite gives the stored UTC time back without its zone.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def save_draft(db: Session, token: str, draft: Draft, *, now: datetime | None = None) -> datetime:
    """Keep the draft under its token for two hours from now (replacing the one kept before),
    commit, then sweep every expired draft. Returns when it expires."""
    now = now or _utc_now()
    expires = now + DRAFT_LIFETIME
    row = upsert_into(db, SurveyDraft).values(
        token_hash=token_hash(token), sealed=seal(token, draft), expires_at=expires
    )
    # On the connection, not through the ORM: a plain statement, run at every Next by
    # every young person.
    db.connection().execute(
        row.on_conflict_do_update(
            index_elements=["token_hash"],
            set_={"sealed": row.excluded.sealed, "expires_at": row.excluded.expires_at},
        )
    )
    db.commit()
    if _sweep_due(now):
        sweep_expired_drafts(db, now=now)
    return expires


SWEEP_EVERY = timedelta(minutes=1)
_last_sweep: list[datetime] = []  # this process's last sweep after a write (none yet: empty)


def _sweep_due(now: datetime) -> bool:
    """Whether a write at `now` sweeps: the first in this process, then once a minute (a
    clock moved back, as tests move it, sweeps too)."""
    last = _last_sweep[0] if _last_sweep else None
    if last is not None and last <= now < last + SWEEP_EVERY:
        return False
    _last_sweep[:] = [now]
    return True


def load_draft(db: Session, token: str, *, now: datetime | None = None) -> Draft | None:
    """The draft kept under this token, if there is one and it has not expired."""
    if not is_draft_token(token):
        return None
    row = db.get(SurveyDraft, token_hash(token))
    if row is None or _aware(row.expires_at) <= (now or _utc_now()):
        return None
    draft = open_sealed(token, row.sealed)
    if draft is None or draft.session_id is None:
        return draft
    session = db.get(ParticipationSession, draft.session_id)
    if session is None:  # the session was deleted: the answers go to the open survey
        return Draft(draft.step, draft.answers, draft.submission_id)
    return Draft(draft.step, draft.answers, draft.submission_id, session.id, session.name)


def forget_draft(db: Session, token: str) -> None:
    """Delete the draft kept under this token, in the caller's transaction (the submit's,
    so the response and the end of its draft are one commit)."""
    if is_draft_token(token):
        db.exec(delete(SurveyDraft).where(col(SurveyDraft.token_hash) == token_hash(token)))


def delete_draft(db: Session, token: str) -> None:
    """Delete the draft kept under this token now (starting afresh)."""
    forget_draft(db, token)
    db.commit()


def sweep_expired_drafts(db: Session, *, now: datetime | None = None) -> int:
    """Delete every draft past its two hours, in its own short transaction; returns how
    many. Best effort after a write: if another process is deleting the same rows, the next
    sweep (or `youthvoice purge`) finishes the job."""
    try:
        result = db.exec(
            delete(SurveyDraft).where(col(SurveyDraft.expires_at) <= (now or _utc_now()))
        )
        db.commit()
    except SQLAlchemyError:
        with suppress(SQLAlchemyError):
            db.rollback()
        log.warning("expired survey drafts were not swept this time", exc_info=True)
        return 0
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
