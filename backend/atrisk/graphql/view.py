"""The Starlette endpoint for /graphql: builds the Context, encodes with orjson."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from atrisk.db import Database
from atrisk.graphql.context import Context
from atrisk.graphql.schema import schema


class GraphQLView(GraphQL[Context, None]):
    def __init__(self, db: Database, *, graphql_ide: bool) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphql_ide else None,
            allow_queries_via_get=True,
            subscription_protocols=(),
        )
        self.db = db

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        assert isinstance(request, Request)
        assert isinstance(response, Response)
        return Context(
            request=request,
            response=response,
            db=self.db,
            company_id=request.app.state.company_id,
        )

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> Any:
        return orjson.loads(data)
