"""Keyset pages seek: the condition after a cursor bounds the first sort key on its own, so
that a deep page starts in the index at the cursor instead of walking it from the start."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from atrisk.db.database import Database
from atrisk.models.audit import AuditEvent
from atrisk.models.companies import Company
from atrisk.services.audit import _ORDER
from atrisk.services.pages import after, order_by

CURSOR_AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CURSOR_ID = "0" * 32


async def _plan(db: Database, company_id: str) -> str:
    """The plan of the history log's page after a cursor (newest first)."""
    query = (
        select(AuditEvent.id)
        .where(AuditEvent.company_id == company_id, after(_ORDER, [CURSOR_AT, CURSOR_ID]))
        .order_by(*order_by(_ORDER))
        .limit(51)
    )
    dialect: Dialect
    stamp: object
    if db.dialect == "sqlite":
        dialect = sqlite.dialect(paramstyle="named")
        prefix, stamp = "EXPLAIN QUERY PLAN ", CURSOR_AT.strftime("%Y-%m-%d %H:%M:%S.%f")
    else:
        dialect = postgresql.dialect(paramstyle="named")
        prefix, stamp = "EXPLAIN ", CURSOR_AT
    compiled = query.compile(dialect=dialect)
    params: dict[str, Any] = {
        name: stamp if isinstance(value, datetime) else value
        for name, value in compiled.params.items()
    }
    sql = re.sub(r"::(VARCHAR|INTEGER|TIMESTAMP WITH TIME ZONE)\b", "", str(compiled))
    async with db.read() as session:
        if db.dialect == "postgresql":
            await session.execute(text("SET LOCAL enable_seqscan = off"))
        rows = (await session.execute(text(prefix + sql), params)).all()
    return "\n".join(str(row[-1]) for row in rows)


async def test_a_page_after_a_cursor_seeks_in_the_index_bounded_by_the_cursor(
    db: Database, company: Company
) -> None:
    plan = await _plan(db, company.id)
    assert "ix_audit_events_log" in plan, plan
    if db.dialect == "sqlite":
        # "SEARCH audit_events USING ... INDEX ix_audit_events_log (company_id=? AND at<?)"
        assert "company_id=? AND at<?" in plan, plan
    else:
        index_condition = next(line for line in plan.splitlines() if "Index Cond" in line)
        assert "company_id" in index_condition, plan
        assert "at <=" in index_condition, plan


async def test_the_bound_leaves_the_rows_after_the_cursor_as_they_were() -> None:
    condition = after(_ORDER, [CURSOR_AT, CURSOR_ID])
    sql = str(condition.compile(dialect=sqlite.dialect()))
    assert sql.startswith("audit_events.at <= ?"), sql
    assert "audit_events.at < ?" in sql, sql
    assert "audit_events.id < ?" in sql, sql
