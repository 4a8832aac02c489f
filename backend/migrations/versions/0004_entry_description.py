"""An optional description on entries; positions renumbered 1..n inside each category.

From now on every write that changes an order keeps the positions of a category without
gaps (a delete closes its gap), so the existing rows are renumbered once, in display order
(position, then name), without touching their versions.

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
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT id, company_id, category, position FROM at_risk_entries "
            "ORDER BY company_id, category, position, name_key"
        )
    ).all()
    renumbered: list[dict[str, object]] = []
    group: tuple[object, object] | None = None
    number = 0
    for entry_id, company_id, category, position in rows:
        if (company_id, category) != group:
            group, number = (company_id, category), 0
        number += 1
        if position != number:
            renumbered.append({"id": entry_id, "position": number})
    if renumbered:
        connection.execute(
            sa.text("UPDATE at_risk_entries SET position = :position WHERE id = :id"),
            renumbered,
        )


def downgrade() -> None:
    with op.batch_alter_table("at_risk_entries") as batch:
        batch.drop_column("description")
