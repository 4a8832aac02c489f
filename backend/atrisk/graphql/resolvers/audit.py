"""The company's whole log, for admins."""

from __future__ import annotations

import strawberry

from atrisk.graphql.context import Info
from atrisk.graphql.errors import bad_input
from atrisk.graphql.permissions import ADMIN
from atrisk.graphql.types.audit import AuditEvent, AuditEventConnection, AuditFilter
from atrisk.graphql.types.pages import PageInfo
from atrisk.services import audit
from atrisk.services.errors import ServiceError


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description="Every change of the company, newest first: who, what, when, before and "
        "after. Admins only.",
        permission_classes=ADMIN,
    )
    async def audit_events(
        self,
        info: Info,
        filter: AuditFilter | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> AuditEventConnection:
        where = audit.EventFilter()
        if filter is not None:
            where = audit.EventFilter(
                entity=filter.entity_type,
                entity_id=filter.entity_id,
                actor=filter.actor,
                since=filter.from_,
                until=filter.to,
            )
        ctx = info.context
        try:
            page = await audit.list_events(
                ctx.db, ctx.company_id, where, first=first, after_cursor=after
            )
        except ServiceError as error:
            raise bad_input(error) from None
        return AuditEventConnection(
            nodes=[AuditEvent.from_model(row) for row in page.nodes],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
        )
