"""Commands for companies, people and API tokens."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from atrisk.cli.database import CommandFailed, with_database
from atrisk.db.database import Database
from atrisk.domain.accounts import Role
from atrisk.services import tokens, users
from atrisk.services.companies import find_company
from atrisk.services.credentials import generate_password
from atrisk.settings import Settings


async def _company_id(db: Database, name: str) -> str:
    company = await find_company(db, name)
    if company is None:
        raise CommandFailed(f"no company is named {name!r}")
    return company.id


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    """The given password, or a generated one (and True: it must be shown)."""
    return (args.password, False) if args.password else (generate_password(), True)


def _create_company(settings: Settings, args: argparse.Namespace) -> int:
    password, generated = _password(args)

    async def work(db: Database) -> int:
        company, user = await users.create_company_with_admin(
            db, args.name, args.admin_email, password
        )
        print(f"created company {company.name!r} with admin {user.email}")
        if generated:
            print(f"password (shown once): {password}")
        return 0

    return with_database(settings, work)


def _create_user(settings: Settings, args: argparse.Namespace) -> int:
    password, generated = _password(args)

    async def work(db: Database) -> int:
        company_id = await _company_id(db, args.company)
        user = await users.create_user(
            db, company_id, args.email, Role(args.role.upper()), password
        )
        print(f"created {user.role.value.lower()} {user.email} in {args.company!r}")
        if generated:
            print(f"password (shown once): {password}")
        return 0

    return with_database(settings, work)


def _create_token(settings: Settings, args: argparse.Namespace) -> int:
    async def work(db: Database) -> int:
        company_id = await _company_id(db, args.company)
        row, token = await tokens.create_token(db, settings.signing_key, company_id, args.name)
        print(f"created read-only token {row.name!r}; it is shown only now:", file=sys.stderr)
        print(token)
        return 0

    return with_database(settings, work)


def _revoke_token(settings: Settings, args: argparse.Namespace) -> int:
    async def work(db: Database) -> int:
        company_id = await _company_id(db, args.company)
        if not await tokens.revoke_token(db, company_id, args.name):
            raise CommandFailed(f"{args.company!r} has no active token named {args.name!r}")
        print(f"revoked token {args.name!r}: it is refused from now on")
        return 0

    return with_database(settings, work)


def add_commands(commands: Any) -> None:
    company = commands.add_parser("create-company", help="create a company and its first admin")
    company.add_argument("name", help="the company's name")
    company.add_argument("--admin-email", required=True, help="the admin's email (sign-in name)")
    company.add_argument("--password", help="the admin's password (default: generate one)")
    company.set_defaults(handler=_create_company)

    user = commands.add_parser("create-user", help="add an admin or viewer to a company")
    user.add_argument("--company", required=True, help="the company's name")
    user.add_argument("--email", required=True, help="the email they sign in with")
    user.add_argument("--role", required=True, choices=["admin", "viewer"])
    user.add_argument("--password", help="their password (default: generate one)")
    user.set_defaults(handler=_create_user)

    token = commands.add_parser("create-token", help="create a read-only API token; prints it")
    token.add_argument("--company", required=True, help="the company's name")
    token.add_argument("--name", required=True, help="a label, unique in the company")
    token.set_defaults(handler=_create_token)

    revoke = commands.add_parser("revoke-token", help="revoke an API token at once")
    revoke.add_argument("--company", required=True, help="the company's name")
    revoke.add_argument("--name", required=True, help="the token's label")
    revoke.set_defaults(handler=_revoke_token)
