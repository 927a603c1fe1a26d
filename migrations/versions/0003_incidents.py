"""incidents: imports, their files, incidents and incident counts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 15:25:07.246493
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0003'
# The brief asks for "0001" (re-chained onto 0002 at merge). While 0002 is in the shared
# tree, "0001" would leave two heads and `migrate()` (upgrade "head") would fail for
# everyone, so this points at 0002 for now.
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('incident_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('mapping', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('only_good_rows', sa.Boolean(), nullable=False),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('rows_stored', sa.Integer(), nullable=False),
    sa.Column('rows_skipped', sa.Integer(), nullable=False),
    sa.Column('rows_replaced', sa.Integer(), nullable=False),
    sa.Column('months', sa.JSON(), nullable=False),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('undone_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('incident_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_import_source'), ['source'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_import_status'), ['status'], unique=False)

    op.create_table('incident_import_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('encoding', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['incident_import.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('incident_import_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_import_file_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_import_file_import_id'), ['import_id'], unique=False)

    op.create_table('incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('reported_by', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=True),
    sa.Column('hour', sa.SmallInteger(), nullable=True),
    sa.Column('time_band', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('district', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('lsoa_code', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('location', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('place_type', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('crime_type', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('strands', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('weapon', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('suspect_sex', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('suspect_age', sa.SmallInteger(), nullable=True),
    sa.Column('suspect_age_band', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('victim_sex', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('victim_age', sa.SmallInteger(), nullable=True),
    sa.Column('victim_age_band', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('superseded_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_id'], ['incident_import.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['superseded_by'], ['incident_import.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_import_id'), ['import_id'], unique=False)
        batch_op.create_index('ix_incident_slice', ['source', 'reported_by', 'month'], unique=False)

    op.create_table('incident_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('district', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('place_type', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('strands', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('hour', sa.SmallInteger(), nullable=True),
    sa.Column('time_band', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('suspect_sex', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('suspect_age_band', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('victim_sex', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('victim_age_band', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('incidents', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('incident_count', schema=None) as batch_op:
        batch_op.create_index('ix_incident_count_district_month', ['district', 'month'], unique=False)
        batch_op.create_index('ix_incident_count_source_month', ['source', 'month'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('incident_count', schema=None) as batch_op:
        batch_op.drop_index('ix_incident_count_source_month')
        batch_op.drop_index('ix_incident_count_district_month')
    op.drop_table('incident_count')

    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index('ix_incident_slice')
        batch_op.drop_index(batch_op.f('ix_incident_import_id'))
    op.drop_table('incident')

    with op.batch_alter_table('incident_import_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_import_file_import_id'))
        batch_op.drop_index(batch_op.f('ix_incident_import_file_content_hash'))
    op.drop_table('incident_import_file')

    with op.batch_alter_table('incident_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_import_status'))
        batch_op.drop_index(batch_op.f('ix_incident_import_source'))
    op.drop_table('incident_import')
