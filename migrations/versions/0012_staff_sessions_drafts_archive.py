"""staff sessions, survey drafts, archived participation sessions

Revision ID: 0012
Revises: 0011

- staff_session: a staff member's sign-in, carried by a signed HttpOnly cookie (only a hash
  of its token is stored), so reload, a new tab and a bookmark keep them signed in.
- survey_draft: a young person's unfinished answers for two hours, sealed with a key only
  their phone holds.
- participation_session.archived_at: a worker's archived sessions leave their list.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_session",
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("staff_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_session_user_id"), ["user_id"])
    op.create_table(
        "survey_draft",
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("survey_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_draft_expires_at"), ["expires_at"])
    with op.batch_alter_table("participation_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("participation_session", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
    with op.batch_alter_table("survey_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_draft_expires_at"))
    op.drop_table("survey_draft")
    with op.batch_alter_table("staff_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_session_user_id"))
    op.drop_table("staff_session")
