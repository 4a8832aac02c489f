"""One data version per area of a company: lists, customers and cases, accounts.

The single `data_version` (bumped by every write to entries) becomes `lists_version`;
`cases_version` and `accounts_version` start at 1.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("companies") as batch:
        batch.alter_column("data_version", new_column_name="lists_version")
        batch.add_column(
            sa.Column("cases_version", sa.Integer(), nullable=False, server_default="1")
        )
        batch.add_column(
            sa.Column("accounts_version", sa.Integer(), nullable=False, server_default="1")
        )
    with op.batch_alter_table("companies") as batch:
        batch.alter_column("cases_version", server_default=None)
        batch.alter_column("accounts_version", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("companies") as batch:
        batch.drop_column("accounts_version")
        batch.drop_column("cases_version")
        batch.alter_column("lists_version", new_column_name="data_version")
