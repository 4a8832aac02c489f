"""Keyset pages: where a connection stands."""

from __future__ import annotations

import strawberry


@strawberry.type(description="`endCursor` goes into `after` for the next page.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None
