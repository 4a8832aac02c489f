"""History's indexed columns compare byte by byte on PostgreSQL (the "C" collation).

Ids, actors and entity types are written by the program; a language's collation orders
them no better and makes every index insert and lookup slower. SQLite already compares
them byte by byte. The change rewrites the table and its indexes once.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = {"id": 32, "company_id": 32, "actor": 300, "entity_type": 16, "entity_id": 32}


def _collate(collation: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE audit_events "
        + ", ".join(
            f'ALTER COLUMN {column} TYPE varchar({length}) COLLATE "{collation}"'
            for column, length in _COLUMNS.items()
        )
    )


def upgrade() -> None:
    _collate("C")


def downgrade() -> None:
    _collate("default")
