"""The Starlette endpoint for /graphql: builds the Context, encodes with orjson."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry import Schema
from strawberry.asgi import GraphQL

from atrisk.auth import caller_for
from atrisk.db import Database
from atrisk.graphql.context import Context
from atrisk.graphql.schema import schema
from atrisk.settings import Settings

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def ide_csp(html: str) -> str:
    """The IDE page's own policy: its CDN assets and exactly its own inline script."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'self'; script-src 'self' https://unpkg.com {hashes}; "
        "style-src 'self' https://unpkg.com 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self' data: https://unpkg.com; connect-src 'self'; "
        "base-uri 'none'; object-src 'none'; form-action 'none'; frame-ancestors 'none'"
    )


class GraphQLView(GraphQL[Context, None]):
    def __init__(
        self, db: Database, settings: Settings, *, graphql_schema: Schema = schema
    ) -> None:
        super().__init__(
            graphql_schema,
            graphql_ide="graphiql" if settings.graphql_ide else None,
            allow_queries_via_get=True,
            subscription_protocols=(),
        )
        self.db = db
        self.settings = settings
        self._ide_csp = ide_csp(self.graphql_ide_html) if settings.graphql_ide else ""

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        assert isinstance(request, Request)
        assert isinstance(response, Response)
        return Context(
            request=request,
            response=response,
            db=self.db,
            caller=await caller_for(request, self.db, self.settings),
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(
            self.graphql_ide_html, headers={"Content-Security-Policy": self._ide_csp}
        )

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> Any:
        return orjson.loads(data)
