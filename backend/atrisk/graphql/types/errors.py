"""The expected failures every area shares, returned as union members."""

from __future__ import annotations

import strawberry


@strawberry.interface(description="An expected failure, returned as data.")
class UserError:
    message: str


@strawberry.type(description="The input broke a rule; `field` names the input field.")
class ValidationError(UserError):
    field: str


@strawberry.type(description="No entry with this id exists in your company.")
class NotFoundError(UserError):
    id: strawberry.ID
