"""Finding one of a company's rows by an id that came from outside.

Ids are opaque: 32 lowercase hex digits. A malformed id, an id of nothing and an id of
another company's row all answer the same: nothing.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

_ID_PATTERN = re.compile(r"[0-9a-f]{32}")

T = TypeVar("T")


def canonical_id(raw: str | None) -> str | None:
    """The id in its stored form, or None when it cannot be one."""
    if raw is None:
        return None
    candidate = raw.strip().lower()
    return candidate if _ID_PATTERN.fullmatch(candidate) else None


async def owned(session: AsyncSession, model: type[T], company_id: str, raw_id: str) -> T | None:
    """The company's row of `model` with this id, or None."""
    canonical = canonical_id(raw_id)
    if canonical is None:
        return None
    table: Any = model
    result = await session.execute(
        select(model).where(table.id == canonical, table.company_id == company_id)
    )
    return result.scalar_one_or_none()
