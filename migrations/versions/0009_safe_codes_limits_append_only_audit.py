"""safe summary codes, limits without linkable times, append-only audit log

Revision ID: 0009
Revises: 0008

- Board summary codes could be shared by two values when first answers arrived together
  on PostgreSQL (read-all-then-len+1). This repairs any shared codes, recomputes every
  summary's packed key, says what it repaired (log and audit log), then adds the unique
  constraint that makes it impossible.
- session_submission kept each session answer's submit time to the microsecond and
  sign_in_failure each failed sign-in; both go. Limits now live in rate_limit: one counter per
  keyed hash, deleted when its window is over.
- The audit log becomes append-only at the database: UPDATE and DELETE are refused by a
  trigger (docs/operations.md has the procedure for retention).
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

# The packing of response_summary.dims_key as it was when this migration was written
# (survey/response_summary.py); frozen here so later changes there cannot change history.
CODED = ("source", "venue_type", "gender", "age_band", "district")
CODE_BITS = 6

AUDIT_REFUSAL = "the audit log is append-only: see docs/operations.md, Audit log retention"


def upgrade() -> None:
    repaired = _repair_summary_codes()
    with op.batch_alter_table("summary_code", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_summary_code_kind_code", ["kind", "code"])
    op.drop_table("session_submission")
    op.drop_table("sign_in_failure")
    op.create_table(
        "rate_limit",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("window_start", sa.BigInteger(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("rate_limit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rate_limit_expires_at"), ["expires_at"])
        batch_op.create_index(batch_op.f("ix_rate_limit_subject"), ["subject"])
    if repaired:
        _note_repair(repaired)
    _make_audit_append_only()


def _repair_summary_codes() -> dict[str, object]:
    """Give every value of a kind its own code, and re-pack every summary's key."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT kind, value, code FROM summary_code")).all()
    by_kind: dict[str, list[tuple[int, str]]] = {}
    for kind, value, code in rows:
        by_kind.setdefault(kind, []).append((code, value))
    codes: dict[str, dict[str, int]] = {kind: {} for kind in CODED}
    shared: dict[str, int] = {}
    for kind, entries in by_kind.items():
        taken = [code for code, _ in entries]
        if len(set(taken)) != len(taken):
            shared[kind] = len(taken) - len(set(taken))
            entries = [(i + 1, value) for i, (_, value) in enumerate(sorted(entries))]
            for code, value in entries:  # the unique constraint comes after this
                bind.execute(
                    sa.text(
                        "UPDATE summary_code SET code = :code WHERE kind = :kind AND value = :v"
                    ),
                    {"code": code, "kind": kind, "v": value},
                )
        codes[kind] = {value: code for code, value in entries}
    wrong = _repack_keys(codes)
    if not shared and not wrong:
        return {}
    return {"shared_codes": shared, "summaries_repacked": wrong}


def _repack_keys(codes: dict[str, dict[str, int]]) -> int:
    bind = op.get_bind()
    summaries = bind.execute(
        sa.text(
            "SELECT response_id, month, source, venue_type, gender, age_band, district, "
            "feels_unsafe, dims_key FROM response_summary"
        )
    ).all()
    wrong = 0
    for row in summaries:
        month = (
            row.month if isinstance(row.month, date) else date.fromisoformat(str(row.month)[:10])
        )
        key = (month.year - 2000) * 12 + month.month - 1
        for kind in reversed(CODED):
            key = key << CODE_BITS | codes[kind].get(getattr(row, kind) or "", 0)
        feels = 0 if row.feels_unsafe is None else 2 if row.feels_unsafe else 1
        key = key << 2 | feels
        if key != row.dims_key:
            wrong += 1
            bind.execute(
                sa.text("UPDATE response_summary SET dims_key = :key WHERE response_id = :id"),
                {"key": key, "id": row.response_id},
            )
    return wrong


def _note_repair(repaired: dict[str, object]) -> None:
    log.warning(
        "Repaired the board summaries: values that shared a code, by kind: %s; "
        "summaries whose key was wrong and is now recomputed: %s",
        repaired["shared_codes"] or "none",
        repaired["summaries_repacked"],
    )
    audit = sa.table(
        "audit_event",
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("actor", sa.String),
        sa.column("action", sa.String),
        sa.column("target", sa.String),
        sa.column("detail", sa.JSON),
    )
    op.bulk_insert(
        audit,
        [
            {
                "at": datetime.now(UTC),
                "actor": "migration 0009",
                "action": "board.summaries_repaired",
                "target": None,
                "detail": repaired,
            }
        ],
    )
    bump = "UPDATE data_change SET counter = counter + 1 WHERE kind = 'responses'"
    op.execute(bump)  # the board's caches reload


def _make_audit_append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{AUDIT_REFUSAL}';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_event_no_{verb.lower()} BEFORE {verb} ON audit_event "
            f"BEGIN SELECT RAISE(ABORT, '{AUDIT_REFUSAL}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    with op.batch_alter_table("rate_limit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rate_limit_subject"))
        batch_op.drop_index(batch_op.f("ix_rate_limit_expires_at"))
    op.drop_table("rate_limit")
    op.create_table(
        "sign_in_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sign_in_failure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_failure_username"), ["username"])
    op.create_table(
        "session_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["participation_session.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("session_submission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_submission_session_id"), ["session_id"])
    with op.batch_alter_table("summary_code", schema=None) as batch_op:
        batch_op.drop_constraint("uq_summary_code_kind_code", type_="unique")
