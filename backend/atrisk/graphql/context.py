"""The per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry
from starlette.requests import Request
from starlette.responses import Response

from atrisk.db.database import Database
from atrisk.domain.accounts import Caller, Refusal


@dataclass(slots=True)
class Context:
    request: Request
    response: Response
    db: Database
    caller: Caller | None
    refusal: Refusal | None = None  # why there is no caller

    @property
    def company_id(self) -> str:
        """The caller's company; root fields are guarded, so there always is one."""
        if self.caller is None:
            raise RuntimeError("an unguarded root field asked for the company")
        return self.caller.company_id


Info = strawberry.Info[Context, None]
