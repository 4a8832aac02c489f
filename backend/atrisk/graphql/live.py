"""Subscriptions over WebSocket (`graphql-transport-ws` on /graphql): `companyChanges`.

Who a socket acts for is settled at `connection_init`: a token in `connectionParams`
(`{"authorization": "Bearer atr_…"}` or `{"token": "atr_…"}`), else an `Authorization`
header on the handshake, else the session cookie, which counts only when the handshake
comes from the app's own origin (a page elsewhere cannot ride on the cookie: cross-site
WebSocket hijacking). No credential, or one that matches nothing: the socket closes with
4401; a revoked token: 4403.

The credential is checked again while the socket is open: every RECHECK_SECONDS, at every
change of the company's people, tokens or settings, and at every resync. When it no longer
holds — the session ended, the person was deactivated, the token revoked — the socket
closes (4401, or 4403 for a revoked token). A changed role applies at once to what the
socket is shown.

Limits: CONNECTIONS_PER_CALLER open sockets per person or token in one process (4429),
SUBSCRIPTIONS_PER_CONNECTION operations per socket, INIT_TIMEOUT_SECONDS to send
`connection_init` (4408), messages up to the request body limit (1009, set on the server),
and the same depth, alias and token limits as over HTTP. Queries and mutations go over
HTTP: over the socket they get an error.

Fan-out: a change reaches hundreds of sockets at once, most of them subscribed with the same
document. Its `next` message is executed and encoded once per document (`SharedPayloads`)
and written to each of those sockets as it is; only the first message, resyncs and
documents with variables take the usual per-operation execution. Each operation keeps its
own task, so one slow client never holds up the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import OrderedDict
from collections.abc import AsyncGenerator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import orjson
import strawberry
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLResolveInfo,
    OperationDefinitionNode,
    OperationType,
    execute_subscription_event,
    parse,
)
from graphql.error import GraphQLSyntaxError
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    SubscribeMessage,
)

from atrisk.db.failures import database_failure
from atrisk.domain.accounts import Caller, Refusal
from atrisk.domain.changes import AREA_OF, Action, Area, Entity
from atrisk.graphql.context import Context, Info
from atrisk.graphql.executor import AtRiskExecutor
from atrisk.graphql.permissions import READ
from atrisk.graphql.types import audit as _audit_types  # noqa: F401 (names Action, Entity)
from atrisk.services import sessions, tokens
from atrisk.services.changes import Change as RecordedChange
from atrisk.services.changes import Resync
from atrisk.services.feed import Feed
from atrisk.settings import Settings
from atrisk.web.caller import session_id
from atrisk.web.middleware.same_origin import cross_site_reason

INIT_TIMEOUT_SECONDS = 10
SUBSCRIPTIONS_PER_CONNECTION = 5
CONNECTIONS_PER_CALLER = 20
RECHECK_SECONDS = 10.0
# How many (change, document) messages are kept for the sockets still to be written to.
SHARED_PAYLOADS_MAX = 256

# Close codes (graphql-transport-ws uses 4400-4499).
UNAUTHORIZED = 4401
FORBIDDEN = 4403
TOO_MANY = 4429
TRY_AGAIN_LATER = 1013

# Only admins hear of tokens, as only admins may list them.
ADMIN_ONLY = frozenset({Entity.API_TOKEN})


@strawberry.type(description="A committed change of the caller's company.")
class Change:
    entity_type: Entity
    entity_id: strawberry.ID
    action: Action
    version: int | None
    resync: bool = strawberry.field(
        description=(
            'True: not one change but "reload everything" — sent first on every '
            "subscription and after any gap in the feed (lost connection, restart, too many "
            "changes at once). entityType, entityId and action then say nothing."
        )
    )


def _resync() -> Change:
    return Change(
        entity_type=Entity.COMPANY,
        entity_id=strawberry.ID(""),
        action=Action.UPDATE,
        version=None,
        resync=True,
    )


def _change(recorded: RecordedChange) -> Change:
    return Change(
        entity_type=recorded.entity,
        entity_id=strawberry.ID(recorded.entity_id),
        action=recorded.action,
        version=recorded.version,
        resync=False,
    )


def visible(recorded: RecordedChange, caller: Caller) -> bool:
    return caller.is_admin or recorded.entity not in ADMIN_ONLY


class SocketRefused(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Credential:
    kind: str  # "token" or "session"
    value: str


def _param_token(params: Mapping[str, Any]) -> str | None:
    """The token in connectionParams ("" if one is there but unusable), or None."""
    header = params.get("authorization", params.get("Authorization"))
    if header is not None:
        if not isinstance(header, str):
            return ""
        scheme, _, token = header.partition(" ")
        return token.strip() if scheme.lower() == "bearer" else ""
    value = params.get("token")
    if value is not None:
        return value.strip() if isinstance(value, str) else ""
    return None


def credential_of(websocket: WebSocket, params: Mapping[str, Any]) -> Credential | None:
    token = _param_token(params)
    if token is None:
        header = websocket.headers.get("authorization")
        if header is not None:
            scheme, _, value = header.partition(" ")
            token = value.strip() if scheme.lower() == "bearer" else ""
    if token is not None:
        return Credential("token", token)
    cookie = session_id(websocket.scope)
    if cookie and cross_site_reason(websocket.scope, websocket.headers) is None:
        return Credential("session", cookie)
    return None


def _refusal_code(refusal: Refusal) -> SocketRefused:
    if refusal is Refusal.REVOKED:
        return SocketRefused(FORBIDDEN, "The token was revoked.")
    if refusal is Refusal.MISSING:
        return SocketRefused(UNAUTHORIZED, "Sign in, or send a token in connectionParams.")
    return SocketRefused(UNAUTHORIZED, "The session ended or the token is not valid.")


class SharedPayloads:
    """The `next` payload of one change for one subscription document, executed and encoded
    once for all the sockets that subscribed with that document (the same query text is the
    same parsed operation: the schema's parser cache). It runs without any socket's context:
    a Change's fields are its own values, the same for every caller, and whether a caller is
    sent the change at all is decided before. None for an operation with variables (its
    directives may differ per socket) or one that fails: those run the usual way."""

    def __init__(self, maxsize: int = SHARED_PAYLOADS_MAX) -> None:
        self._maxsize = maxsize
        # (change, operation) by their ids -> (change, operation, payload); holding both
        # keeps their ids from being reused while the entry lives.
        self._cache: OrderedDict[tuple[int, int], tuple[object, object, str | None]] = OrderedDict()
        self.executions = 0

    def get(self, info: GraphQLResolveInfo[Any], item: RecordedChange) -> str | None:
        operation = info.operation
        if operation.variable_definitions:
            return None
        key = (id(item), id(operation))
        held = self._cache.get(key)
        if held is not None:
            return held[2]
        payload = self._execute(info, item)
        self._cache[key] = (item, operation, payload)
        if len(self._cache) > self._maxsize:
            self._cache.popitem(last=False)
        return payload

    def _execute(self, info: GraphQLResolveInfo[Any], item: RecordedChange) -> str | None:
        self.executions += 1
        document = DocumentNode(definitions=(info.operation, *info.fragments.values()))
        executor = AtRiskExecutor.build(info.schema, document)
        if isinstance(executor, list):
            return None
        result = execute_subscription_event(executor.build_per_event_executor(_change(item)))
        if not isinstance(result, ExecutionResult) or result.errors:
            return None
        return orjson.dumps({"data": result.data}).decode()


# The id of the operation whose task runs (set as the handler starts an operation's task).
_operation_id: ContextVar[str | None] = ContextVar("atrisk_live_operation_id", default=None)


class Delivery:
    """Writes a change to one operation's socket from the shared payload; False: it could
    not, and the change takes the usual way."""

    def __init__(self, info: Info, live: Live, websocket: WebSocket, operation_id: str) -> None:
        # graphql-core's own info: the operation, its fragments and the schema it runs on.
        self._info: GraphQLResolveInfo[Any] = info._raw_info
        self._payloads = live.payloads
        self._websocket = websocket
        self._head = '{"id":' + orjson.dumps(operation_id).decode() + ',"type":"next","payload":'

    @classmethod
    def of(cls, info: Info) -> Delivery | None:
        context = info.context
        operation_id = _operation_id.get()
        if context.live is None or not isinstance(context.request, WebSocket) or not operation_id:
            return None
        return cls(info, context.live, context.request, operation_id)

    async def __call__(self, item: RecordedChange) -> bool:
        payload = self._payloads.get(self._info, item)
        if payload is None:
            return False
        try:
            await self._websocket.send_text(self._head + payload + "}")
        except (WebSocketDisconnect, RuntimeError, OSError):
            await _closed_forever()  # the socket is gone: the handler ends the operation
        return True


class Live:
    """This process's sockets: who each acts for, and how many each caller has open."""

    def __init__(self, feed: Feed, settings: Settings) -> None:
        self.feed = feed
        self.settings = settings
        self.payloads = SharedPayloads()
        self._open: dict[str, int] = {}

    async def resolve(self, context: Context, credential: Credential | None) -> Caller:
        if credential is None:
            raise _refusal_code(Refusal.MISSING)
        if not credential.value:
            raise _refusal_code(Refusal.INVALID)
        key = self.settings.signing_key
        if credential.kind == "token":
            caller = await tokens.caller_from_token(context.db, key, credential.value)
        else:
            caller = await sessions.caller_from_session(context.db, key, credential.value)
        if isinstance(caller, Refusal):
            raise _refusal_code(caller)
        return caller

    async def connect(self, context: Context) -> None:
        """At connection_init: who the socket acts for, within the per-caller limit."""
        assert isinstance(context.request, WebSocket)
        credential = credential_of(context.request, context.connection_params or {})
        caller = await self.resolve(context, credential)
        if self._open.get(caller.principal, 0) >= CONNECTIONS_PER_CALLER:
            raise SocketRefused(TOO_MANY, "Too many open connections for this caller.")
        self._open[caller.principal] = self._open.get(caller.principal, 0) + 1
        context.caller = caller
        context.credential = credential

    def disconnect(self, context: Context) -> None:
        if context.caller is None or context.credential is None:
            return
        principal = context.caller.principal
        remaining = self._open.get(principal, 0) - 1
        if remaining > 0:
            self._open[principal] = remaining
        else:
            self._open.pop(principal, None)

    async def recheck(self, context: Context) -> Caller | None:
        """The socket's caller now (its role may have changed); None: closed the socket."""
        try:
            caller = await self.resolve(context, context.credential)
        except SocketRefused as refused:
            await close(context, refused.code, refused.reason)
            return None
        except Exception as error:
            if database_failure(error) is None:
                raise
            # The database is away (a restart): the credential stands until it can be read.
            return context.signed_in
        context.caller = caller
        return caller


async def close(context: Context, code: int, reason: str) -> None:
    websocket = context.request
    if isinstance(websocket, WebSocket) and websocket.application_state == WebSocketState.CONNECTED:
        with contextlib.suppress(RuntimeError):
            await websocket.close(code=code, reason=reason)


async def _closed_forever() -> None:
    """Never returns: the socket is closed and the handler cancels this operation."""
    await asyncio.get_running_loop().create_future()


def _rechecks(item: RecordedChange | Resync | None) -> bool:
    return not isinstance(item, RecordedChange) or AREA_OF[item.entity] is Area.ACCOUNTS


@strawberry.type
class Subscription:
    @strawberry.subscription(
        permission_classes=READ,
        description=(
            "Every committed change of your company you may see, as it happens; the first "
            "message (and any after a gap) has resync true: reload what you show."
        ),
    )
    async def company_changes(self, info: Info) -> AsyncGenerator[Change, None]:
        context = info.context
        live = context.live
        assert live is not None
        caller = context.signed_in
        loop = asyncio.get_running_loop()
        deliver = Delivery.of(info)
        with live.feed.subscribe(caller.company_id) as inbox:
            yield _resync()
            # Rechecks keep their own clock: changes arriving do not postpone them, and the
            # sockets of a process do not all recheck at once (after a change, or when they
            # reconnected together after a restart): the first comes at a random point.
            spread = random.uniform(0.5, 1.0)  # noqa: S311 (a spread of times, not a secret)
            recheck_at = loop.time() + RECHECK_SECONDS * spread
            while True:
                item: RecordedChange | Resync | None = None
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout_at(recheck_at):
                        item = await inbox.get()
                if item is None:
                    recheck_at = loop.time() + RECHECK_SECONDS
                if _rechecks(item):
                    rechecked = await live.recheck(context)
                    if rechecked is None:
                        await _closed_forever()
                        return
                    caller = rechecked
                if isinstance(item, Resync):
                    yield _resync()
                elif (
                    item is not None
                    and visible(item, caller)
                    and (deliver is None or not await deliver(item))
                ):
                    yield _change(item)


def _operation_type(message: SubscribeMessage, max_tokens: int) -> OperationType | None:
    """The type of the operation a subscribe message runs; None if it cannot be told (the
    usual execution then answers with the proper error)."""
    payload = message.get("payload")
    query = payload.get("query") if isinstance(payload, dict) else None
    if not isinstance(query, str):
        return None
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLSyntaxError:
        return None
    name = payload.get("operationName") if isinstance(payload, dict) else None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    for operation in operations:
        if name is None and len(operations) == 1:
            return operation.operation
        if operation.name is not None and operation.name.value == name:
            return operation.operation
    return None


class LiveHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """Strawberry's protocol handler, with our close codes, per-caller bookkeeping and
    subscriptions only."""

    async def handle(self) -> None:
        try:
            await super().handle()
        finally:
            live = self.context.live
            if live is not None:
                live.disconnect(self.context)

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        try:
            await super().handle_connection_init(message)
        except SocketRefused as refused:
            await self.websocket.close(code=refused.code, reason=refused.reason)
        except Exception as error:
            if database_failure(error) is None:
                raise
            await self.websocket.close(code=TRY_AGAIN_LATER, reason="The database is unavailable.")

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if self.connection_acknowledged:
            live = self.context.live
            max_tokens = live.settings.graphql_max_tokens if live is not None else 2000
            kind = _operation_type(message, max_tokens)
            if kind in (OperationType.QUERY, OperationType.MUTATION):
                error = GraphQLError(f"Send a {kind.value} over HTTP (POST /graphql).")
                await self.send_message(
                    {"id": message["id"], "type": "error", "payload": [error.formatted]}
                )
                return
        # The operation's task (made in there) starts with a copy of this context.
        token = _operation_id.set(message["id"])
        try:
            await super().handle_subscribe(message)
        finally:
            _operation_id.reset(token)
