"""The picklists' root fields: list and get entries; add, update, move, sort and delete them."""

from __future__ import annotations

import strawberry
from strawberry.types.unset import UNSET

from atrisk.domain.picklists import Category
from atrisk.graphql.context import Info
from atrisk.graphql.errors import to_user_error
from atrisk.graphql.permissions import ADMIN, READ
from atrisk.graphql.types.picklists import (
    AddAtRiskEntryInput,
    AtRiskEntry,
    AtRiskEntryResult,
    DeleteAtRiskEntryResult,
    DeletedAtRiskEntry,
    MoveAtRiskEntryInput,
    UpdateAtRiskEntryInput,
)
from atrisk.services import picklists
from atrisk.services.errors import ServiceError


@strawberry.type
class PicklistQuery:
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
        rows = await picklists.list_entries(ctx.db, ctx.company_id, category, active)
        return [AtRiskEntry.from_model(row) for row in rows]

    @strawberry.field(
        description="One entry, or null when your company has none with this id.",
        permission_classes=READ,
    )
    async def at_risk_entry(self, info: Info, id: strawberry.ID) -> AtRiskEntry | None:
        ctx = info.context
        row = await picklists.get_entry(ctx.db, ctx.company_id, id)
        return None if row is None else AtRiskEntry.from_model(row)


@strawberry.type
class PicklistMutation:
    @strawberry.mutation(
        description="Add an entry at the end of its category.", permission_classes=ADMIN
    )
    async def add_at_risk_entry(self, info: Info, input: AddAtRiskEntryInput) -> AtRiskEntryResult:
        ctx = info.context
        try:
            row = await picklists.add_entry(
                ctx.db,
                ctx.company_id,
                input.category,
                input.name,
                input.active,
                input.description,
                actor=ctx.signed_in.actor,
            )
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return AtRiskEntry.from_model(row)

    @strawberry.mutation(
        description="Rename, (de)activate or describe an entry. Send `expectedVersion` to "
        "refuse overwriting someone else's change.",
        permission_classes=ADMIN,
    )
    async def update_at_risk_entry(
        self, info: Info, input: UpdateAtRiskEntryInput
    ) -> AtRiskEntryResult:
        ctx = info.context
        try:
            row = await picklists.update_entry(
                ctx.db,
                ctx.company_id,
                input.id,
                name=input.name,
                active=input.active,
                description=picklists.KEEP if input.description is UNSET else input.description,
                expected_version=input.expected_version,
                actor=ctx.signed_in.actor,
            )
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return AtRiskEntry.from_model(row)

    @strawberry.mutation(
        description="Put an entry before another of its category (`beforeId`), or last. "
        "Every entry whose position changes gets a new version.",
        permission_classes=ADMIN,
    )
    async def move_at_risk_entry(
        self, info: Info, input: MoveAtRiskEntryInput
    ) -> AtRiskEntryResult:
        ctx = info.context
        try:
            row = await picklists.move_entry(
                ctx.db,
                ctx.company_id,
                input.id,
                before_id=input.before_id,
                expected_version=input.expected_version,
                actor=ctx.signed_in.actor,
            )
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return AtRiskEntry.from_model(row)

    @strawberry.mutation(
        description="Order a whole category A to Z, in one change; returns it in its new order.",
        permission_classes=ADMIN,
    )
    async def sort_at_risk_entries(self, info: Info, category: Category) -> list[AtRiskEntry]:
        ctx = info.context
        rows = await picklists.sort_entries(
            ctx.db, ctx.company_id, category, actor=ctx.signed_in.actor
        )
        return [AtRiskEntry.from_model(row) for row in rows]

    @strawberry.mutation(
        description="Delete an entry permanently. Send `expectedVersion` to refuse deleting an "
        "entry someone else changed meanwhile. One that cases or credits use is refused "
        "(EntryInUseError) unless `replaceWith` names another entry of its category: every use "
        "moves there, and the entry goes, in one transaction.",
        permission_classes=ADMIN,
    )
    async def delete_at_risk_entry(
        self,
        info: Info,
        id: strawberry.ID,
        expected_version: int | None = None,
        replace_with: strawberry.ID | None = None,
    ) -> DeleteAtRiskEntryResult:
        ctx = info.context
        try:
            deleted = await picklists.delete_entry(
                ctx.db,
                ctx.company_id,
                id,
                expected_version=expected_version,
                replace_with=replace_with,
                actor=ctx.signed_in.actor,
            )
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return DeletedAtRiskEntry(id=strawberry.ID(deleted))
