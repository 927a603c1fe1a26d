"""staff email addresses, the time an alert was raised (to the quarter hour)

Revision ID: 0011
Revises: 0010

- app_user.email: where safeguarding alert emails reach a member of staff (optional).
- safeguarding_alert.raised_at: when staff were told of the alert, rounded down to the
  quarter hour, for its age in working hours (docs/privacy.md says why no finer). Alerts
  raised before this have none; their age is counted from the start of their day.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True)
        )
    with op.batch_alter_table("safeguarding_alert", schema=None) as batch_op:
        batch_op.add_column(sa.Column("raised_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("safeguarding_alert", schema=None) as batch_op:
        batch_op.drop_column("raised_at")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("email")
