"""What the GraphQL endpoint is measured against. These live in the bench, never in the product.

trivial  the same request and the same response bytes, no work: the stack's ceiling
rest     hand-written REST: the same authentication, the same service call (so the same
         SQL), the same response bytes, encoded with orjson
ariadne  Ariadne as shipped, serving schema.graphql over the same service layer
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from ariadne import EnumType, MutationType, QueryType, ScalarType, UnionType
from ariadne import make_executable_schema as make_ariadne_schema
from ariadne.asgi import GraphQL as AriadneGraphQL
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from atrisk.db.database import Database
from atrisk.domain.accounts import Caller
from atrisk.domain.picklists import Category
from atrisk.services import picklists
from atrisk.services.errors import ServiceError
from atrisk.services.picklists import EntryRow
from atrisk.web.caller import caller_for

ROOT = Path(__file__).resolve().parent.parent


async def caller_of(request: Request, *, write: bool = False) -> Caller:
    """The caller, authenticated exactly as the GraphQL endpoint authenticates it."""
    caller = await caller_for(request, request.app.state.db, request.app.state.settings)
    if not isinstance(caller, Caller):
        raise HTTPException(401, "Sign in first.")
    if write and not caller.is_admin:
        raise HTTPException(403, "Read-only access.")
    return caller


# --- trivial -------------------------------------------------------------------------------


def trivial_route(responses: dict[str, bytes]) -> Route:
    async def trivial(request: Request) -> Response:
        await request.body()
        return Response(responses[request.path_params["name"]], media_type="application/json")

    return Route("/bench/trivial/{name}", trivial, methods=["GET", "POST"])


# --- hand-written REST ---------------------------------------------------------------------


def _picker(row: EntryRow) -> dict[str, Any]:
    return {"id": row.id, "name": row.name}


def _full(row: EntryRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "category": row.category.name,
        "name": row.name,
        "active": row.active,
        "position": row.position,
        "version": row.version,
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
    }


SHAPES: dict[str, Callable[[EntryRow], dict[str, Any]]] = {"picker": _picker, "full": _full}
FLAGS = {"true": True, "false": False}


def rest_routes(db: Database) -> list[BaseRoute]:
    async def list_entries(request: Request) -> Response:
        params = request.query_params
        category = Category[params["category"]] if "category" in params else None
        active = FLAGS.get(params.get("active", ""))
        shape = SHAPES[params.get("shape", "full")]
        caller = await caller_of(request)
        rows = await picklists.list_entries(db, caller.company_id, category, active)
        body = {"data": {"atRiskEntries": [shape(row) for row in rows]}}
        return Response(orjson.dumps(body), media_type="application/json")

    async def update_entry(request: Request) -> Response:
        caller = await caller_of(request, write=True)
        changes = orjson.loads(await request.body())
        try:
            row = await picklists.update_entry(
                db, caller.company_id, request.path_params["id"], active=changes["active"]
            )
        except ServiceError as error:
            result: dict[str, Any] = {"__typename": type(error).__name__, "message": error.message}
        else:
            result = {
                "__typename": "AtRiskEntry",
                "id": row.id,
                "active": row.active,
                "version": row.version,
            }
        body = {"data": {"updateAtRiskEntry": result}}
        return Response(orjson.dumps(body), media_type="application/json")

    return [
        Route("/bench/rest/entries", list_entries, methods=["GET"]),
        Route("/bench/rest/entries/{id}", update_entry, methods=["POST"]),
    ]


# --- Ariadne -------------------------------------------------------------------------------


def ariadne_app(db: Database) -> AriadneGraphQL:
    query = QueryType()
    mutation = MutationType()

    @query.field("atRiskEntries")
    async def resolve_entries(
        _: None, info: Any, category: Category | None = None, active: bool | None = None
    ) -> Any:
        return await picklists.list_entries(db, info.context["company_id"], category, active)

    @query.field("atRiskEntry")
    async def resolve_entry(_: None, info: Any, id: str) -> Any:
        return await picklists.get_entry(db, info.context["company_id"], id)

    @mutation.field("updateAtRiskEntry")
    async def resolve_update(_: None, info: Any, input: dict[str, Any]) -> Any:
        if not info.context["caller"].is_admin:
            raise PermissionError("Read-only access.")
        try:
            return await picklists.update_entry(
                db,
                info.context["company_id"],
                input["id"],
                name=input.get("name"),
                active=input.get("active"),
                expected_version=input.get("expected_version"),
            )
        except ServiceError as error:
            return error

    result = UnionType("AtRiskEntryResult")

    @result.type_resolver
    def resolve_result_type(obj: Any, *_: Any) -> str:
        names = {
            "ValidationFailed": "ValidationError",
            "NotFound": "NotFoundError",
            "VersionConflict": "VersionConflictError",
        }
        return names.get(type(obj).__name__, "AtRiskEntry")

    datetime_scalar = ScalarType("DateTime")

    @datetime_scalar.serializer
    def serialize_datetime(value: datetime) -> str:
        return value.isoformat()

    schema = make_ariadne_schema(
        (ROOT / "schema.graphql").read_text(encoding="utf-8"),
        query,
        mutation,
        result,
        datetime_scalar,
        EnumType("AtRiskCategory", Category),
        convert_names_case=True,
    )

    async def context(request: Request, data: Any) -> dict[str, Any]:
        caller = await caller_for(request, db, request.app.state.settings)
        if not isinstance(caller, Caller):
            raise HTTPException(401, "Sign in first.")
        return {"request": request, "company_id": caller.company_id, "caller": caller}

    return AriadneGraphQL(schema, context_value=context)


def baseline_routes(db: Database, trivial_responses: dict[str, bytes]) -> list[BaseRoute]:
    return [
        trivial_route(trivial_responses),
        *rest_routes(db),
        Route("/bench/ariadne", ariadne_app(db)),
    ]
