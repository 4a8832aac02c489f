"""The per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry
from starlette.requests import Request
from starlette.responses import Response

from atrisk.db import Database


@dataclass(slots=True)
class Context:
    request: Request
    response: Response
    db: Database
    company_id: str


Info = strawberry.Info[Context, None]
