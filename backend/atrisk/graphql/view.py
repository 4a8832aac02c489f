"""The Starlette endpoint for /graphql: builds the Context, encodes with orjson, answers
as GraphQL over HTTP asks (media type, status codes; see atrisk.graphql.http), and answers
read-only queries from the read cache when the data they read has not changed."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable, Mapping
from datetime import timedelta
from typing import Any, overload

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from strawberry import Schema
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.exceptions import (
    NonJsonMessageReceived,
    NonTextMessageReceived,
    WebSocketDisconnected,
)
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from atrisk.db.database import Database
from atrisk.domain.accounts import Refusal
from atrisk.graphql import ide
from atrisk.graphql.context import Context
from atrisk.graphql.http import (
    GRAPHQL_RESPONSE,
    JSON,
    challenge,
    is_request_error,
    is_unauthenticated,
    response_media_type,
)
from atrisk.graphql.live import (
    INIT_TIMEOUT_SECONDS,
    SUBSCRIPTIONS_PER_CONNECTION,
    Live,
    LiveHandler,
)
from atrisk.graphql.read_cache import CachedRead, ReadCache, ReadKey, etag_matches
from atrisk.graphql.schema import schema
from atrisk.settings import Settings
from atrisk.web.caller import bearer_token, caller_for

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


class TextFrames(ASGIWebSocketAdapter):
    """Protocol messages as text frames (browsers' clients expect them), read strictly:
    a message that is not a JSON object ends the socket (4400)."""

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        while self.ws.application_state != WebSocketState.DISCONNECTED:
            try:
                message = await self.ws.receive()
            except RuntimeError:  # closed meanwhile
                return
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None:
                raise NonTextMessageReceived
            try:
                value = orjson.loads(text)
            except orjson.JSONDecodeError:
                if ignore_parsing_errors:
                    continue
                raise NonJsonMessageReceived from None
            if not isinstance(value, dict):
                raise NonJsonMessageReceived
            yield value

    async def send_json(self, message: Mapping[str, object]) -> None:
        if self.ws.application_state != WebSocketState.CONNECTED:
            return
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        except WebSocketDisconnect as closed:
            raise WebSocketDisconnected from closed


class GraphQLView(GraphQL[Context, None]):
    websocket_adapter_class = TextFrames
    graphql_transport_ws_handler_class = LiveHandler

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        graphql_schema: Schema = schema,
        live: Live | None = None,
    ) -> None:
        super().__init__(
            graphql_schema,
            graphql_ide="graphiql" if settings.graphql_ide else None,
            allow_queries_via_get=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,) if live else (),
            connection_init_wait_timeout=timedelta(seconds=INIT_TIMEOUT_SECONDS),
            max_subscriptions_per_connection=SUBSCRIPTIONS_PER_CONNECTION,
            # Pages of these origins may open a socket, but only with a token: the cookie
            # counts only from our own origin (atrisk.graphql.live).
            allowed_origins=settings.cors_origins,
        )
        self.db = db
        self.settings = settings
        self.live = live
        # The IDE page, signed in (True) and signed out, each with the policy of its script.
        self._ide_pages: dict[bool, tuple[str, str]] = {}
        if settings.graphql_ide:
            offline = ide.offline_html(self.graphql_ide_html)
            for signed_in in (True, False):
                html = ide.with_example(offline, ide.example_document(signed_in))
                self._ide_pages[signed_in] = (html, ide.csp(html))
        self.read_cache = (
            ReadCache(settings.read_cache_mb * 2**20) if settings.read_cache_mb else None
        )

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        if isinstance(request, WebSocket):
            # Who the socket acts for is settled at connection_init (on_ws_connect).
            return Context(request, request, self.db, caller=None, live=self.live)
        assert isinstance(response, Response)
        caller = await caller_for(request, self.db, self.settings)
        if isinstance(caller, Refusal):
            return Context(request, response, self.db, caller=None, refusal=caller)
        return Context(request, response, self.db, caller=caller)

    async def on_ws_connect(self, context: Context) -> UnsetType:
        assert self.live is not None
        await self.live.connect(context)
        unset: UnsetType = UNSET
        return unset

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = response_media_type(request.headers.get("accept"))
        sub_response.headers["vary"] = "Accept"
        return sub_response

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        data = await super().parse_http_body(request)
        if isinstance(data, GraphQLRequestData) and not isinstance(data.operation_name, str | None):
            raise HTTPException(400, "The `operationName` must be a string or null.")
        return data

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        result = await super().execute_single(
            request, request_adapter, sub_response, context, root_value, request_data
        )
        if not result.errors:
            return result
        if is_unauthenticated(result.errors):
            sub_response.status_code = 401
            sent_token = bearer_token(request) is not None
            sub_response.headers["www-authenticate"] = challenge(context.refusal, sent_token)
        elif sub_response.media_type == GRAPHQL_RESPONSE and is_request_error(
            result.data, result.errors
        ):
            sub_response.status_code = 400
        return result

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response_data = await super().process_result(request, result)
        if (
            result.errors
            and response_media_type(request.headers.get("accept")) == GRAPHQL_RESPONSE
            and is_request_error(result.data, result.errors)
        ):
            response_data.pop("data", None)
        return response_data

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = Response(
            self.encode_json(response_data),
            status_code=sub_response.status_code or 200,
            media_type=sub_response.media_type or JSON,
        )
        response.headers.raw.extend(sub_response.headers.raw)
        response.background = sub_response.background
        return response

    async def render_graphql_ide(self, request: Request) -> Response:
        caller = await caller_for(request, self.db, self.settings)
        html, policy = self._ide_pages[not isinstance(caller, Refusal)]
        return HTMLResponse(
            html,
            headers={
                "Content-Security-Policy": policy,
                "Cache-Control": "no-cache",
                "Vary": "Cookie",
            },
        )

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
        media_type = sub_response.media_type or JSON
        # One tag per representation: the same body under each media type.
        etag = cached.etag if media_type == JSON else cached.etag[:-1] + '-r"'
        headers = {"etag": etag, "cache-control": CACHE_CONTROL}
        if etag_matches(request.headers.get("if-none-match"), etag):
            response = Response(status_code=304, headers=headers)
        else:
            response = Response(cached.body, media_type=media_type, headers=headers)
        response.headers.raw.extend(sub_response.headers.raw)
        return response
