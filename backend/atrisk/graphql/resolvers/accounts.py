"""Who is calling."""

from __future__ import annotations

import strawberry

from atrisk.graphql.context import Info
from atrisk.graphql.permissions import READ
from atrisk.graphql.types.accounts import User, Viewer
from atrisk.services import users


@strawberry.type
class AccountQuery:
    @strawberry.field(
        description="Who is calling: email, role and company.", permission_classes=READ
    )
    def me(self, info: Info) -> Viewer:
        caller = info.context.caller
        assert caller is not None
        return Viewer.from_caller(caller)


@strawberry.type
class PeopleQuery:
    @strawberry.field(
        description="The company's active people (admins also see deactivated ones).",
        permission_classes=READ,
    )
    async def users(self, info: Info) -> list[User]:
        caller = info.context.signed_in
        rows = await users.list_users(
            info.context.db, caller.company_id, include_inactive=caller.is_admin
        )
        return [User.from_model(row) for row in rows]
