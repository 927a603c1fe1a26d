"""safeguarding bands, languages not machine-read, alert notices

Revision ID: 0010
Revises: 0009

- safeguarding_alert.band: "alert" (likely harm: help at once, staff emailed) or "check"
  (a possible concern, or text no machine could read, for a worker within a working day);
  every alert stored before this was raised as an alert.
- safeguarding_alert.language and response.text_language: the language of free text that
  was not machine-read.
- alert_notice: the outbox of emails telling staff an alert needs them.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("safeguarding_alert", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "band",
                sqlmodel.sql.sqltypes.AutoString(length=10),
                nullable=False,
                server_default="alert",
            )
        )
        batch_op.add_column(
            sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_safeguarding_alert_band"), ["band"])
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("text_language", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
        )
    op.create_table(
        "alert_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["alert_id"], ["safeguarding_alert.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("alert_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_notice_alert_id"), ["alert_id"])
        batch_op.create_index(batch_op.f("ix_alert_notice_next_try_at"), ["next_try_at"])


def downgrade() -> None:
    with op.batch_alter_table("alert_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_notice_next_try_at"))
        batch_op.drop_index(batch_op.f("ix_alert_notice_alert_id"))
    op.drop_table("alert_notice")
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("text_language")
    with op.batch_alter_table("safeguarding_alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safeguarding_alert_band"))
        batch_op.drop_column("language")
        batch_op.drop_column("band")
