"""GraphQL types, kept apart from the ORM models with one explicit mapping each."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from atrisk import models
from atrisk.domain import Category, Role
from atrisk.services.accounts import Caller

strawberry.enum(
    Category, name="AtRiskCategory", description="The four picklists, in display order."
)


@strawberry.type(description="One choice in a company's at-risk picklist.")
class AtRiskEntry:
    id: strawberry.ID
    category: Category
    name: str
    active: bool
    position: int
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, row: models.AtRiskEntry) -> AtRiskEntry:
        return cls(
            id=strawberry.ID(row.id),
            category=row.category,
            name=row.name,
            active=row.active,
            position=row.position,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.interface(description="An expected failure, returned as data.")
class UserError:
    message: str


@strawberry.type(description="The input broke a rule; `field` names the input field.")
class ValidationError(UserError):
    field: str


@strawberry.type(description="No entry with this id exists in your company.")
class NotFoundError(UserError):
    id: strawberry.ID


@strawberry.type(description="`expectedVersion` was stale; `current` is the entry as it is now.")
class VersionConflictError(UserError):
    current: AtRiskEntry


@strawberry.type
class DeletedAtRiskEntry:
    id: strawberry.ID


AtRiskEntryResult = Annotated[
    AtRiskEntry | ValidationError | NotFoundError | VersionConflictError,
    strawberry.union("AtRiskEntryResult"),
]

DeleteAtRiskEntryResult = Annotated[
    DeletedAtRiskEntry | NotFoundError,
    strawberry.union("DeleteAtRiskEntryResult"),
]


@strawberry.input
class AddAtRiskEntryInput:
    category: Category
    name: str
    active: bool = True


@strawberry.input
class UpdateAtRiskEntryInput:
    id: strawberry.ID
    name: str | None = None
    active: bool | None = None
    expected_version: int | None = None


strawberry.enum(Role, name="Role", description="ADMIN reads and writes; VIEWER only reads.")


@strawberry.type(description="The company the caller belongs to.")
class Company:
    id: strawberry.ID
    name: str


@strawberry.type(description="Who is calling. `email` is null for an API token.")
class Viewer:
    email: str | None
    role: Role
    company: Company

    @classmethod
    def from_caller(cls, caller: Caller) -> Viewer:
        return cls(
            email=caller.email,
            role=caller.role,
            company=Company(id=strawberry.ID(caller.company_id), name=caller.company_name),
        )
