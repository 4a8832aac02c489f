"""Query, Mutation and the schema with its extensions."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from atrisk.domain import Category
from atrisk.graphql.context import Info
from atrisk.graphql.errors import MaskUnexpectedErrors, not_found, to_user_error
from atrisk.graphql.execution import LeafFieldsExecutionContext
from atrisk.graphql.permissions import READ, WRITE
from atrisk.graphql.types import (
    AddAtRiskEntryInput,
    AtRiskEntry,
    AtRiskEntryResult,
    DeleteAtRiskEntryResult,
    DeletedAtRiskEntry,
    UpdateAtRiskEntryInput,
    Viewer,
)
from atrisk.services import entries
from atrisk.services.errors import NotFound, ServiceError
from atrisk.settings import Settings

logger = logging.getLogger("atrisk.graphql")


@strawberry.type
class Query:
    @strawberry.field(
        description="The company's entries in display order: category, position, name.",
        permission_classes=READ,
    )
    async def at_risk_entries(
        self,
        info: Info,
        category: Category | None = None,
        active: bool | None = None,
    ) -> list[AtRiskEntry]:
        ctx = info.context
        rows = await entries.list_entries(ctx.db, ctx.company_id, category, active)
        return [AtRiskEntry.from_model(row) for row in rows]

    @strawberry.field(
        description="One entry, or null when your company has none with this id.",
        permission_classes=READ,
    )
    async def at_risk_entry(self, info: Info, id: strawberry.ID) -> AtRiskEntry | None:
        ctx = info.context
        row = await entries.get_entry(ctx.db, ctx.company_id, id)
        return None if row is None else AtRiskEntry.from_model(row)

    @strawberry.field(
        description="Who is calling: email, role and company.", permission_classes=READ
    )
    def me(self, info: Info) -> Viewer:
        caller = info.context.caller
        assert caller is not None
        return Viewer.from_caller(caller)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Add an entry at the end of its category.", permission_classes=WRITE
    )
    async def add_at_risk_entry(self, info: Info, input: AddAtRiskEntryInput) -> AtRiskEntryResult:
        ctx = info.context
        try:
            row = await entries.add_entry(
                ctx.db, ctx.company_id, input.category, input.name, input.active
            )
        except ServiceError as error:
            return to_user_error(error)
        return AtRiskEntry.from_model(row)

    @strawberry.mutation(
        description="Rename and/or (de)activate an entry. Send `expectedVersion` to refuse "
        "overwriting someone else's change.",
        permission_classes=WRITE,
    )
    async def update_at_risk_entry(
        self, info: Info, input: UpdateAtRiskEntryInput
    ) -> AtRiskEntryResult:
        ctx = info.context
        try:
            row = await entries.update_entry(
                ctx.db,
                ctx.company_id,
                input.id,
                name=input.name,
                active=input.active,
                expected_version=input.expected_version,
            )
        except ServiceError as error:
            return to_user_error(error)
        return AtRiskEntry.from_model(row)

    @strawberry.mutation(description="Delete an entry permanently.", permission_classes=WRITE)
    async def delete_at_risk_entry(self, info: Info, id: strawberry.ID) -> DeleteAtRiskEntryResult:
        ctx = info.context
        try:
            deleted = await entries.delete_entry(ctx.db, ctx.company_id, id)
        except NotFound as error:
            return not_found(error)
        return DeletedAtRiskEntry(id=strawberry.ID(deleted))


def is_unexpected(error: GraphQLError) -> bool:
    """Errors raised by our code are masked; errors in the request itself are not.

    Errors in the request (syntax, validation, variable values) have no path: they happen
    before any field is resolved, even when graphql-core keeps an original error for them.
    """
    return (
        error.path is not None
        and error.original_error is not None
        and not isinstance(error.original_error, GraphQLError)
    )


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_VALUE = re.compile(r"\b(value)\b[:\s]+[^;]*", re.IGNORECASE)


def without_values(message: str) -> str:
    """The first line of a request error, with whatever the caller sent left out."""
    first_line = (message.splitlines() or [""])[0]
    return _VALUE.sub(r"\1 …", _QUOTED.sub("'…'", first_line))[:200]


_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


class AtRiskSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Log our own failures with their traceback; a client's bad request only briefly.

        Suggestions ("Did you mean ...?") are cut from every message, so that
        guessing does not reveal the schema where introspection is off.
        """
        for error in errors:
            error.message = _SUGGESTION.sub("", error.message)
            if is_unexpected(error):
                logger.error("unexpected error: %s", error.message, exc_info=error.original_error)
            else:
                logger.info("request error: %s", without_values(error.message))


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema as `settings` configure it (the defaults when None): the request
    limits, and in production introspection off unless configured on.
    """
    config = settings or Settings()
    # The limiters' rules are made once: each limiter instance makes new rule classes,
    # and new classes for every request would make every validation a cache miss.
    limits = [
        *QueryDepthLimiter(max_depth=config.graphql_max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=config.graphql_max_aliases).validation_rules,
    ]
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        lambda: MaskUnexpectedErrors(should_mask_error=is_unexpected),
        lambda: MaxTokensLimiter(max_token_count=config.graphql_max_tokens),
        lambda: ParserCache(maxsize=256),
        lambda: AddValidationRules(limits),
        lambda: ValidationCache(maxsize=256),
    ]
    if not config.graphql_introspection:
        extensions.append(DisableIntrospection)
    return AtRiskSchema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(disable_field_suggestions=True),
        extensions=extensions,
        execution_context_class=LeafFieldsExecutionContext,
    )


schema = build_schema()
