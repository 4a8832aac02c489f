"""The one place that turns service failures into GraphQL union members, and masks the
unexpected ones (database outages get a clear message that still reveals nothing inside)."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from atrisk.db.failures import database_failure
from atrisk.graphql.types.cases import (
    AtRiskCase,
    CaseConflictError,
    Customer,
    CustomerConflictError,
    OpenCaseExistsError,
)
from atrisk.graphql.types.errors import NotFoundError, ValidationError
from atrisk.graphql.types.picklists import AtRiskEntry, EntryInUseError, VersionConflictError
from atrisk.models import cases as case_models
from atrisk.models import customers as customer_models
from atrisk.services.errors import (
    EntryInUse,
    NotFound,
    OpenCaseExists,
    ServiceError,
    ValidationFailed,
    VersionConflict,
)

UserErrorResult = (
    ValidationError
    | NotFoundError
    | VersionConflictError
    | CustomerConflictError
    | CaseConflictError
    | OpenCaseExistsError
    | EntryInUseError
)


def not_found(error: NotFound) -> NotFoundError:
    return NotFoundError(message=error.message, id=strawberry.ID(error.entry_id))


def version_conflict(error: VersionConflict) -> VersionConflictError:
    return VersionConflictError(
        message=error.message, current=AtRiskEntry.from_model(error.current)
    )


def to_user_error(error: ServiceError) -> UserErrorResult:
    if isinstance(error, ValidationFailed):
        return ValidationError(message=error.message, field=error.field)
    if isinstance(error, NotFound):
        return not_found(error)
    if isinstance(error, VersionConflict):
        current = error.current
        if isinstance(current, customer_models.Customer):
            return CustomerConflictError(
                message=error.message, current=Customer.from_model(current)
            )
        if isinstance(current, case_models.AtRiskCase):
            return CaseConflictError(message=error.message, current=AtRiskCase.from_model(current))
        return version_conflict(error)
    if isinstance(error, OpenCaseExists):
        return OpenCaseExistsError(
            message=error.message, open_case=AtRiskCase.from_model(error.open_case)
        )
    if isinstance(error, EntryInUse):
        return EntryInUseError(message=error.message, usage_count=error.usage_count)
    raise TypeError(f"unmapped service error {type(error).__name__}")


def bad_input(error: ServiceError) -> GraphQLError:
    """A query's argument broke a rule: a GraphQL error (queries have no union to return),
    `extensions.code` BAD_USER_INPUT and the argument in `extensions.field`."""
    extensions: dict[str, object] = {"code": "BAD_USER_INPUT"}
    if isinstance(error, ValidationFailed):
        extensions["field"] = error.field
    return GraphQLError(error.message, extensions=extensions)


class MaskUnexpectedErrors(MaskErrors):
    """MaskErrors, with a clear code and message when the database is the cause."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        failure = database_failure(error.original_error)
        if failure is None:
            return super().anonymise_error(error)
        code, message = failure
        return GraphQLError(
            message=message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": code},
        )
