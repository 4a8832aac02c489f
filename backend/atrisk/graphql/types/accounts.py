"""Who is calling, their company, the company's people and API tokens; the inputs and
results of the admin and self-service mutations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from atrisk.domain.accounts import Caller, Role
from atrisk.graphql.types.errors import NotFoundError, ValidationError
from atrisk.models import accounts as models
from atrisk.models import companies as company_models
from atrisk.models.base import Loaded

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

    @classmethod
    def from_model(cls, row: company_models.Company) -> Company:
        v = Loaded(row)
        return cls(
            id=strawberry.ID(v["id"]),
            name=v["name"],
            currency=v["currency"],
            timezone=v["timezone"],
        )


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
        v = Loaded(row)
        return cls(
            id=strawberry.ID(v["id"]),
            email=v["email"],
            name=v["name"],
            role=v["role"],
            active=v["active"],
            last_sign_in_at=v["last_sign_in_at"],
        )


@strawberry.type(
    description="A credential for apps and scripts (VIEWER or AGENT). Its secret is shown "
    "only once, by createApiToken; a revoked token stays listed with `revokedAt`."
)
class ApiToken:
    id: strawberry.ID
    name: str
    role: Role
    created_at: datetime
    created_by: str | None = strawberry.field(
        description="The email of the admin who created it, or `atrisk CLI`."
    )
    last_used_at: datetime | None = strawberry.field(
        description="When it was last used (to the minute)."
    )
    revoked_at: datetime | None

    @classmethod
    def from_model(cls, row: models.ApiToken) -> ApiToken:
        v = Loaded(row)
        return cls(
            id=strawberry.ID(v["id"]),
            name=v["name"],
            role=v["role"],
            created_at=v["created_at"],
            created_by=v["created_by"],
            last_used_at=v["last_used_at"],
            revoked_at=v["revoked_at"],
        )


# Inputs: an omitted optional field is left as it is; an explicit null clears it (a name).


@strawberry.input(description="Without `password` one is generated and returned once.")
class CreateUserInput:
    email: str
    role: Role
    name: str | None = None
    password: str | None = None


@strawberry.input(
    description="`active: false` deactivates the person and ends their sessions at once. "
    "The company's last active admin can be neither demoted nor deactivated."
)
class UpdateUserInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    role: Role | None = strawberry.UNSET
    active: bool | None = strawberry.UNSET


@strawberry.input(description="`role` is VIEWER (reads) or AGENT (also works cases).")
class CreateApiTokenInput:
    name: str
    role: Role | None = Role.VIEWER


@strawberry.input(description="`currency`: ISO 4217 (USD); `timezone`: IANA (Europe/Paris).")
class UpdateCompanyInput:
    name: str | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET
    timezone: str | None = strawberry.UNSET


@strawberry.input
class ChangePasswordInput:
    current_password: str
    new_password: str


@strawberry.type(description="`password` only when it was generated: shown this once.")
class CreatedUser:
    user: User
    password: str | None


@strawberry.type(description="`token` is the secret, shown this once and never again.")
class CreatedApiToken:
    api_token: ApiToken
    token: str


@strawberry.type(description="How many sessions ended.")
class SignedOut:
    sessions: int


UserResult = Annotated[User | ValidationError | NotFoundError, strawberry.union("UserResult")]
CreateUserResult = Annotated[
    CreatedUser | ValidationError | NotFoundError, strawberry.union("CreateUserResult")
]
CreateApiTokenResult = Annotated[
    CreatedApiToken | ValidationError, strawberry.union("CreateApiTokenResult")
]
ApiTokenResult = Annotated[ApiToken | NotFoundError, strawberry.union("ApiTokenResult")]
CompanyResult = Annotated[Company | ValidationError, strawberry.union("CompanyResult")]
ChangePasswordResult = Annotated[
    SignedOut | ValidationError, strawberry.union("ChangePasswordResult")
]
