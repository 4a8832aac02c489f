"""The Starlette endpoint for /graphql: builds the Context, encodes with orjson."""

from __future__ import annotations

from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry import Schema
from strawberry.asgi import GraphQL

from atrisk.auth import caller_for
from atrisk.db import Database
from atrisk.graphql import ide
from atrisk.graphql.context import Context
from atrisk.graphql.schema import schema
from atrisk.settings import Settings


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
        self._ide_html = ide.offline_html(self.graphql_ide_html) if settings.graphql_ide else ""
        self._ide_csp = ide.csp(self._ide_html)

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
        return HTMLResponse(self._ide_html, headers={"Content-Security-Policy": self._ide_csp})

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> Any:
        value = orjson.loads(data)
        if not isinstance(value, dict | list):  # a list is refused later: batching is off
            raise HTTPException(400, "The request body must be a JSON object")
        return value
