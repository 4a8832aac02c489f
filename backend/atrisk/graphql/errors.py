"""The one place that turns service failures into GraphQL union members, and masks the
unexpected ones (database outages get a clear message that still reveals nothing inside)."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from atrisk.db.failures import database_failure
from atrisk.graphql.types.errors import NotFoundError, ValidationError
from atrisk.graphql.types.picklists import AtRiskEntry, VersionConflictError
from atrisk.services.errors import NotFound, ServiceError, ValidationFailed, VersionConflict

UserErrorResult = ValidationError | NotFoundError | VersionConflictError


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
        return version_conflict(error)
    raise TypeError(f"unmapped service error {type(error).__name__}")


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
