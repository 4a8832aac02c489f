"""The Starlette endpoint for /graphql: builds the Context, encodes with orjson, and
answers read-only queries from the read cache when the data they read has not changed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, overload

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry import Schema
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.types.unset import UNSET

from atrisk.db.database import Database
from atrisk.graphql import ide
from atrisk.graphql.context import Context
from atrisk.graphql.read_cache import CachedRead, ReadCache, ReadKey, etag_matches
from atrisk.graphql.schema import schema
from atrisk.settings import Settings
from atrisk.web.caller import caller_for

# Every client revalidates (no-cache); nothing shared may keep a company's data (private).
# Every other answer of /graphql is no-store (atrisk.web.middleware.security_headers).
CACHE_CONTROL = "private, no-cache"
# The deepest JSON a request may send, variables included: far more than any input type
# needs, and well inside what orjson encodes (255 levels) when the read cache keys on it.
MAX_JSON_DEPTH = 32


def json_depth_over(value: object, limit: int) -> bool:
    """True if `value` nests lists and objects more than `limit` levels deep."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterable[object] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


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
        self.read_cache = (
            ReadCache(settings.read_cache_mb * 2**20) if settings.read_cache_mb else None
        )

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
        if json_depth_over(value, MAX_JSON_DEPTH):
            raise HTTPException(
                400, f"The request's JSON is nested more than {MAX_JSON_DEPTH} levels deep"
            )
        return value

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
        ):
            return None
        plan = cache.plan(data.query, data.operation_name)
        if plan is None:
            return None
        sub_response = await self.get_sub_response(request)
        context = await self.get_context(request, sub_response)
        caller = context.caller
        if caller is None:
            return None  # the usual path answers UNAUTHENTICATED
        versions = plan.versions(caller.versions)
        if versions is None:
            return None
        key = ReadKey(
            caller.company_id,
            caller.role.value,
            caller.principal if plan.per_caller else None,
            data.query,
            data.operation_name,
            orjson.dumps(data.variables, option=orjson.OPT_SORT_KEYS),
        )
        cached = cache.get(key, versions)
        if cached is None:
            result = await self.execute_single(request, adapter, sub_response, context, None, data)
            response_data = await self.process_result(request, result)
            response = self.create_response(response_data, sub_response)
            if result.errors:
                self._handle_errors(result.errors, response_data)
                return response
            if response.status_code != 200:
                return response
            cached = cache.put(key, versions, bytes(response.body))
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
