"""The one place that turns service failures into GraphQL union members."""

from __future__ import annotations

import strawberry

from atrisk.graphql.types import AtRiskEntry, NotFoundError, ValidationError, VersionConflictError
from atrisk.services.errors import NotFound, ServiceError, ValidationFailed, VersionConflict

UserErrorResult = ValidationError | NotFoundError | VersionConflictError


def not_found(error: NotFound) -> NotFoundError:
    return NotFoundError(message=error.message, id=strawberry.ID(error.entry_id))


def to_user_error(error: ServiceError) -> UserErrorResult:
    if isinstance(error, ValidationFailed):
        return ValidationError(message=error.message, field=error.field)
    if isinstance(error, NotFound):
        return not_found(error)
    if isinstance(error, VersionConflict):
        return VersionConflictError(
            message=error.message, current=AtRiskEntry.from_model(error.current)
        )
    raise TypeError(f"unmapped service error {type(error).__name__}")
