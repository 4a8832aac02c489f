"""Companies and their at-risk entries.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from atrisk.db.types import CategoryType, UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "companies",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companies")),
        sa.UniqueConstraint("name", name=op.f("uq_companies_name")),
    )
    op.create_table(
        "at_risk_entries",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("company_id", sa.String(32), nullable=False),
        sa.Column("category", CategoryType(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "category BETWEEN 1 AND 4", name=op.f("ck_at_risk_entries_category_known")
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_at_risk_entries_version_positive")),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_at_risk_entries_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_at_risk_entries")),
        sa.UniqueConstraint(
            "company_id",
            "category",
            "name_key",
            name=op.f("uq_at_risk_entries_company_id_category_name_key"),
        ),
    )
    op.create_index(
        "ix_at_risk_entries_listing",
        "at_risk_entries",
        ["company_id", "category", "position", "name_key"],
    )


def downgrade() -> None:
    op.drop_index("ix_at_risk_entries_listing", table_name="at_risk_entries")
    op.drop_table("at_risk_entries")
    op.drop_table("companies")
