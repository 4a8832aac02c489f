"""Who is calling; the company's people, API tokens and settings (admins); one's own
password and sessions (any signed-in person). Resolvers only translate between GraphQL and
atrisk.services."""

from __future__ import annotations

import strawberry

from atrisk.graphql.context import Info
from atrisk.graphql.errors import to_user_error
from atrisk.graphql.permissions import ADMIN, PERSON, READ
from atrisk.graphql.resolvers.cases import given
from atrisk.graphql.types.accounts import (
    ApiToken,
    ApiTokenResult,
    ChangePasswordInput,
    ChangePasswordResult,
    Company,
    CompanyResult,
    CreateApiTokenInput,
    CreateApiTokenResult,
    CreatedApiToken,
    CreatedUser,
    CreateUserInput,
    CreateUserResult,
    SignedOut,
    UpdateCompanyInput,
    UpdateUserInput,
    User,
    UserResult,
    Viewer,
)
from atrisk.services import companies, tokens, users
from atrisk.services.errors import ServiceError
from atrisk.settings import Settings
from atrisk.web.caller import clear_session_cookie, session_id


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

    @strawberry.field(
        description="The company's API tokens, revoked ones included, newest first (ADMIN). "
        "A token's secret is never returned here.",
        permission_classes=ADMIN,
    )
    async def api_tokens(self, info: Info) -> list[ApiToken]:
        rows = await tokens.list_tokens(info.context.db, info.context.company_id)
        return [ApiToken.from_model(row) for row in rows]


def _settings(info: Info) -> Settings:
    settings: Settings = info.context.request.app.state.settings
    return settings


@strawberry.type
class AccountMutation:
    @strawberry.mutation(
        description="Add a person to your company (ADMIN). Emails are unique across the "
        "server. Without `password`, one is generated and returned once.",
        permission_classes=ADMIN,
    )
    async def create_user(self, info: Info, input: CreateUserInput) -> CreateUserResult:
        ctx = info.context
        try:
            user, password = await users.add_person(
                ctx.db,
                ctx.signed_in,
                input.email,
                input.role,
                name=input.name,
                password=input.password,
            )
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return CreatedUser(user=User.from_model(user), password=password)

    @strawberry.mutation(
        description="Change a person's name, role or active flag (ADMIN).",
        permission_classes=ADMIN,
    )
    async def update_user(self, info: Info, input: UpdateUserInput) -> UserResult:
        ctx = info.context
        try:
            user = await users.update_user(ctx.db, ctx.signed_in, input.id, given(input))
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return User.from_model(user)

    @strawberry.mutation(
        description="Give a person a new generated password, returned once; their sessions "
        "end (ADMIN). Your own password is changed with changePassword.",
        permission_classes=ADMIN,
    )
    async def reset_user_password(self, info: Info, id: strawberry.ID) -> CreateUserResult:
        ctx = info.context
        try:
            user, password = await users.reset_password(ctx.db, ctx.signed_in, id)
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return CreatedUser(user=User.from_model(user), password=password)

    @strawberry.mutation(
        description="A new API token (ADMIN); `token` is its secret, returned only now. "
        "Names are unique among the company's tokens that are not revoked.",
        permission_classes=ADMIN,
    )
    async def create_api_token(
        self, info: Info, input: CreateApiTokenInput
    ) -> CreateApiTokenResult:
        ctx = info.context
        caller = ctx.signed_in
        try:
            row, token = await tokens.create_token(
                ctx.db,
                _settings(info).signing_key,
                caller.company_id,
                input.name,
                input.role,
                created_by=caller.actor,
            )
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return CreatedApiToken(api_token=ApiToken.from_model(row), token=token)

    @strawberry.mutation(
        description="Revoke an API token at once (ADMIN); it stays listed with `revokedAt`. "
        "Revoking it again changes nothing.",
        permission_classes=ADMIN,
    )
    async def revoke_api_token(self, info: Info, id: strawberry.ID) -> ApiTokenResult:
        ctx = info.context
        caller = ctx.signed_in
        try:
            row = await tokens.revoke_token_by_id(ctx.db, caller.company_id, id, caller.actor)
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return ApiToken.from_model(row)

    @strawberry.mutation(
        description="Change your company's name, currency (ISO 4217) or time zone (IANA) "
        "(ADMIN). The currency labels every amount (nothing is converted); the time zone "
        "decides the days and months of the reports.",
        permission_classes=ADMIN,
    )
    async def update_company(self, info: Info, input: UpdateCompanyInput) -> CompanyResult:
        ctx = info.context
        try:
            row = await companies.update_company(ctx.db, ctx.signed_in, given(input))
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return Company.from_model(row)

    @strawberry.mutation(
        description="Change your own password; the current one is required. Your other "
        "sessions end, this one stays. Wrong current passwords are throttled like sign-ins.",
        permission_classes=PERSON,
    )
    async def change_password(self, info: Info, input: ChangePasswordInput) -> ChangePasswordResult:
        ctx = info.context
        request = ctx.request
        try:
            ended = await users.change_password(
                ctx.db,
                _settings(info).signing_key,
                ctx.signed_in,
                input.current_password,
                input.new_password,
                address=request.client.host if request.client else "unknown",
                keep_session=session_id(request.scope),
            )
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return SignedOut(sessions=ended)

    @strawberry.mutation(
        description="End every one of your sessions, this one included.",
        permission_classes=PERSON,
    )
    async def sign_out_everywhere(self, info: Info) -> SignedOut:
        ctx = info.context
        ended = await users.sign_out_everywhere(ctx.db, ctx.signed_in)
        clear_session_cookie(ctx.response, ctx.request.scope, _settings(info))
        return SignedOut(sessions=ended)
