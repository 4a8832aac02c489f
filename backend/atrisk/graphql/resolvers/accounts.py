"""Who is calling."""

from __future__ import annotations

import strawberry

from atrisk.graphql.context import Info
from atrisk.graphql.permissions import READ
from atrisk.graphql.types.accounts import Viewer


@strawberry.type
class AccountQuery:
    @strawberry.field(
        description="Who is calling: email, role and company.", permission_classes=READ
    )
    def me(self, info: Info) -> Viewer:
        caller = info.context.caller
        assert caller is not None
        return Viewer.from_caller(caller)
