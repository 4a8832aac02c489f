"""History: events, their field changes, the log's page and its filter."""

from __future__ import annotations

from datetime import datetime

import strawberry
from graphql import GraphQLError

from atrisk.domain.changes import Action, Entity
from atrisk.graphql.context import Info
from atrisk.graphql.types.pages import PageInfo
from atrisk.models import audit as models
from atrisk.models.base import Loaded
from atrisk.services import audit
from atrisk.services.audit import HISTORY_MAX, fields_of

strawberry.enum(Action, name="AuditAction")
strawberry.enum(Entity, name="AuditEntity")


@strawberry.type(description="One field of a change: its value before and after, as text.")
class FieldChange:
    field: str
    from_: str | None = strawberry.field(name="from")
    to: str | None


@strawberry.type(
    description="Who changed what, when: one event per created, changed or deleted thing."
)
class AuditEvent:
    id: strawberry.ID
    at: datetime
    actor: str = strawberry.field(description="The person's email, or the token's name.")
    action: Action
    entity_type: Entity
    entity_id: strawberry.ID
    entity_label: str = strawberry.field(description="Its name at the time.")
    changes: list[FieldChange]

    @classmethod
    def from_model(cls, row: models.AuditEvent) -> AuditEvent:
        v = Loaded(row)
        return cls(
            id=strawberry.ID(v["id"]),
            at=v["at"],
            actor=v["actor"],
            action=Action(v["action"]),
            entity_type=Entity(v["entity_type"]),
            entity_id=strawberry.ID(v["entity_id"]),
            entity_label=v["entity_label"],
            changes=[
                FieldChange(field=item.field, from_=item.before, to=item.after)
                for item in fields_of(row)
            ],
        )


@strawberry.type
class AuditEventConnection:
    nodes: list[AuditEvent]
    page_info: PageInfo


@strawberry.input(description="`from` and `to` bound the time; `to` is exclusive.")
class AuditFilter:
    entity_type: Entity | None = None
    entity_id: strawberry.ID | None = None
    actor: str | None = None
    from_: datetime | None = strawberry.field(default=None, name="from")
    to: datetime | None = None


async def history_of(
    info: Info, entity: Entity, entity_id: str, first: int, after: str | None
) -> list[AuditEvent]:
    """An entity's events, newest first: the first page batched over the whole request."""
    if not 1 <= first <= HISTORY_MAX:
        raise GraphQLError(
            f"first must be between 1 and {HISTORY_MAX}.",
            extensions={"code": "BAD_USER_INPUT", "field": "first"},
        )
    ctx = info.context
    if after is None:
        rows = await ctx.loaders.history.load((entity, entity_id, first))
    else:
        rows = await audit.history_after(ctx.db, ctx.company_id, entity, entity_id, first, after)
    return [AuditEvent.from_model(row) for row in rows]


HISTORY_DESCRIPTION = (
    "Its changes, newest first: `first` events (at most 200); for more, `after` the id of the "
    "last event shown."
)
