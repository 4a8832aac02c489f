"""Who is calling and their company."""

from __future__ import annotations

import strawberry

from atrisk.domain.accounts import Caller, Role

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
