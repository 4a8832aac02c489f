"""An optional description on entries (at most 500 characters; none when empty).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("at_risk_entries") as batch:
        batch.add_column(sa.Column("description", sa.String(500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("at_risk_entries") as batch:
        batch.drop_column("description")
