"""Revoked API tokens are kept and marked, so that they can be refused as revoked.

`revoked_at` is set on revocation; a token's name is unique among the company's tokens that
are not revoked (a partial unique index, on SQLite and PostgreSQL alike).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from atrisk.db.types import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NOT_REVOKED = sa.text("revoked_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("revoked_at", UTCDateTime(), nullable=True))
        batch.drop_constraint("uq_api_tokens_company_id_name", type_="unique")
    op.create_index(
        "uq_api_tokens_company_id_name",
        "api_tokens",
        ["company_id", "name"],
        unique=True,
        sqlite_where=_NOT_REVOKED,
        postgresql_where=_NOT_REVOKED,
    )


def downgrade() -> None:
    # Revoked tokens were deleted before this revision.
    op.execute("DELETE FROM api_tokens WHERE revoked_at IS NOT NULL")
    op.drop_index("uq_api_tokens_company_id_name", table_name="api_tokens")
    with op.batch_alter_table("api_tokens") as batch:
        batch.create_unique_constraint("uq_api_tokens_company_id_name", ["company_id", "name"])
        batch.drop_column("revoked_at")
