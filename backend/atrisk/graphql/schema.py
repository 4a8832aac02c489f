"""The schema: every area's root fields merged, with the request limits and error masking."""

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
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from atrisk.graphql.errors import MaskUnexpectedErrors
from atrisk.graphql.executor import AtRiskExecutor, lean_resolvers
from atrisk.graphql.live import Subscription
from atrisk.graphql.resolvers.accounts import AccountMutation, AccountQuery, PeopleQuery
from atrisk.graphql.resolvers.audit import AuditQuery
from atrisk.graphql.resolvers.cases import CaseMutation, CaseQuery
from atrisk.graphql.resolvers.picklists import PicklistMutation, PicklistQuery
from atrisk.graphql.resolvers.reports import ReportQuery
from atrisk.graphql.scalars import SCALARS
from atrisk.settings import Settings

logger = logging.getLogger("atrisk.graphql")

Query = merge_types(
    "Query", (PicklistQuery, AccountQuery, CaseQuery, PeopleQuery, ReportQuery, AuditQuery)
)
Mutation = merge_types("Mutation", (PicklistMutation, CaseMutation, AccountMutation))


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
    built = AtRiskSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        config=StrawberryConfig(disable_field_suggestions=True, scalar_map=SCALARS),
        extensions=extensions,
        execution_context_class=AtRiskExecutor,
    )
    lean_resolvers(built)
    return built


schema = build_schema()
