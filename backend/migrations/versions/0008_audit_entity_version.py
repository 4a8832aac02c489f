"""History events carry the entity's version after the change, for live updates.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN on both databases: SQLite keeps the table (and its append-only
    # trigger) as it is, where a batch operation would copy it.
    op.add_column("audit_events", sa.Column("entity_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE audit_events DROP COLUMN entity_version")
