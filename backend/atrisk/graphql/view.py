"""The Starlette endpoint for /graphql: builds the Context, encodes with orjson, and
answers read-only queries from the read cache when the company's data has not changed."""

from __future__ import annotations

from typing import Any, overload

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.types.unset import UNSET

from atrisk.db import Database
from atrisk.graphql.context import Context
from atrisk.graphql.read_cache import CachedRead, ReadCache, ReadKey, etag_matches
from atrisk.graphql.schema import schema
from atrisk.services.companies import data_version

# Every client revalidates (no-cache); nothing shared may keep a company's data (private).
CACHE_CONTROL = "private, no-cache"


class GraphQLView(GraphQL[Context, None]):
    def __init__(
        self, db: Database, *, graphql_ide: bool, read_cache: ReadCache | None = None
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphql_ide else None,
            allow_queries_via_get=True,
            subscription_protocols=(),
        )
        self.db = db
        self.read_cache = read_cache

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

    @overload
    async def run(
        self, request: Request, context: Context = UNSET, root_value: None = UNSET
    ) -> Response: ...

    @overload
    async def run(
        self, request: WebSocket, context: Context = UNSET, root_value: None = UNSET
    ) -> WebSocket: ...

    async def run(
        self, request: Request | WebSocket, context: Context = UNSET, root_value: None = UNSET
    ) -> Response | WebSocket:
        if self.read_cache is not None and isinstance(request, Request) and context is UNSET:
            response = await self._cacheable_read(request, self.read_cache)
            if response is not None:
                return response
        return await super().run(request, context, root_value)

    async def _cacheable_read(self, request: Request, cache: ReadCache) -> Response | None:
        """Answer a cacheable query; None hands anything else to Strawberry's usual path."""
        adapter = self.request_adapter_class(request)
        if adapter.method not in ("GET", "POST") or self.should_render_graphql_ide(adapter):
            return None
        try:
            data = await self.parse_http_body(adapter)
        except (HTTPException, ValueError):
            return None  # the usual path answers with the right error
        if (
            not isinstance(data, GraphQLRequestData)
            or data.protocol != "http"
            or not isinstance(data.query, str)
            or data.extensions
            or not cache.is_cacheable(data.query, data.operation_name)
        ):
            return None
        sub_response = await self.get_sub_response(request)
        context = await self.get_context(request, sub_response)
        version = await data_version(self.db, context.company_id)
        if version is None:
            return None
        key = ReadKey(
            context.company_id,
            data.query,
            data.operation_name,
            orjson.dumps(data.variables, option=orjson.OPT_SORT_KEYS),
        )
        cached = cache.get(key, version)
        if cached is None:
            result = await self.execute_single(request, adapter, sub_response, context, None, data)
            response_data = await self.process_result(request, result)
            response = self.create_response(response_data, sub_response)
            if result.errors:
                self._handle_errors(result.errors, response_data)
                return response
            if response.status_code != 200:
                return response
            cached = cache.put(key, version, bytes(response.body))
        return self._cached_response(request, cached, sub_response)

    def _cached_response(
        self, request: Request, cached: CachedRead, sub_response: Response
    ) -> Response:
        headers = {"etag": cached.etag, "cache-control": CACHE_CONTROL}
        if etag_matches(request.headers.get("if-none-match"), cached.etag):
            response = Response(status_code=304, headers=headers)
        else:
            response = Response(cached.body, media_type="application/json", headers=headers)
        response.headers.raw.extend(sub_response.headers.raw)
        return response
