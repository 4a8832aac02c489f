"""The picklists: entries, their inputs and results."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry

from atrisk.domain.changes import Entity
from atrisk.domain.picklists import Category
from atrisk.graphql.context import Info
from atrisk.graphql.types.audit import HISTORY_DESCRIPTION, AuditEvent, history_of
from atrisk.graphql.types.errors import NotFoundError, UserError, ValidationError
from atrisk.models import picklists as models
from atrisk.models.base import Loaded
from atrisk.services.picklists import EntryRow

strawberry.enum(
    Category, name="AtRiskCategory", description="The four picklists, in display order."
)


# Typed Any: the field is declared as the enum, but carries its plain value (see below).
_CATEGORY_VALUES: dict[Category, Any] = {category: category.value for category in Category}


@strawberry.type(description="One choice in a company's at-risk picklist.")
class AtRiskEntry:
    id: strawberry.ID
    category: Category
    name: str
    description: str | None
    active: bool
    position: int
    version: int
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="How many cases and credits use this entry.")
    async def usage_count(self, info: Info) -> int:
        count: int = await info.context.loaders.usage.load(self.id)
        return count

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def history(
        self, info: Info, first: int = 20, after: strawberry.ID | None = None
    ) -> list[AuditEvent]:
        return await history_of(info, Entity.AT_RISK_ENTRY, self.id, first, after)

    @classmethod
    def from_model(cls, row: models.AtRiskEntry | EntryRow) -> AtRiskEntry:
        v = Loaded(row) if isinstance(row, models.AtRiskEntry) else row._mapping
        return cls(
            id=strawberry.ID(v["id"]),
            # The plain value: graphql-core serialises it with one dict lookup, while an
            # enum member makes Strawberry scan the enum's values for every row.
            category=_CATEGORY_VALUES[v["category"]],
            name=v["name"],
            description=v["description"],
            active=v["active"],
            position=v["position"],
            version=v["version"],
            created_at=v["created_at"],
            updated_at=v["updated_at"],
        )


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


@strawberry.type(
    description="Cases or credits use the entry: name a `replaceWith`, or deactivate it instead."
)
class EntryInUseError(UserError):
    usage_count: int


DeleteAtRiskEntryResult = Annotated[
    DeletedAtRiskEntry | NotFoundError | VersionConflictError | EntryInUseError,
    strawberry.union("DeleteAtRiskEntryResult"),
]


@strawberry.input
class AddAtRiskEntryInput:
    category: Category
    name: str
    active: bool = True
    description: str | None = strawberry.field(
        default=None, description="At most 500 characters, trimmed; empty means none."
    )


@strawberry.input(description="Omitted fields are left as they are.")
class UpdateAtRiskEntryInput:
    id: strawberry.ID
    name: str | None = None
    active: bool | None = None
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="null (or empty) removes the description."
    )
    expected_version: int | None = None


@strawberry.input
class MoveAtRiskEntryInput:
    id: strawberry.ID
    before_id: strawberry.ID | None = strawberry.field(
        default=None, description="The entry to put it before; null puts it last."
    )
    expected_version: int | None = None
