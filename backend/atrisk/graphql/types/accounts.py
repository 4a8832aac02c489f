"""Who is calling, their company, and the company's people."""

from __future__ import annotations

from datetime import datetime

import strawberry

from atrisk.domain.accounts import Caller, Role
from atrisk.models import accounts as models

strawberry.enum(
    Role,
    name="Role",
    description="ADMIN does everything; AGENT works customers and cases; VIEWER only reads.",
)


@strawberry.type(description="The company the caller belongs to.")
class Company:
    id: strawberry.ID
    name: str
    currency: str = strawberry.field(description="ISO 4217: the currency of every amount.")
    timezone: str = strawberry.field(description="IANA: the reports' days and months.")


@strawberry.type(description="Who is calling. `email` and `userId` are null for an API token.")
class Viewer:
    email: str | None
    role: Role
    company: Company
    user_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The signed-in person's id: the `assignedTo` of their own cases.",
    )

    @classmethod
    def from_caller(cls, caller: Caller) -> Viewer:
        return cls(
            email=caller.email,
            role=caller.role,
            company=Company(
                id=strawberry.ID(caller.company_id),
                name=caller.company_name,
                currency=caller.currency,
                timezone=caller.timezone,
            ),
            user_id=strawberry.ID(caller.user_id) if caller.user_id else None,
        )


@strawberry.type(description="A person of the company.")
class User:
    id: strawberry.ID
    email: str
    name: str | None
    role: Role
    active: bool
    last_sign_in_at: datetime | None

    @classmethod
    def from_model(cls, row: models.User) -> User:
        return cls(
            id=strawberry.ID(row.id),
            email=row.email,
            name=row.name,
            role=row.role,
            active=row.active,
            last_sign_in_at=row.last_sign_in_at,
        )
