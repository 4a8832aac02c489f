"""Commands for companies, people, API tokens and customers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from atrisk.cli.database import CommandFailed, with_database
from atrisk.db.database import Database
from atrisk.domain.accounts import Role
from atrisk.models.companies import Company
from atrisk.services import imports, tokens, users
from atrisk.services.changes import CLI
from atrisk.services.companies import find_company, list_companies
from atrisk.services.credentials import generate_password
from atrisk.services.errors import ServiceError
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
        row, token = await tokens.create_token(
            db, settings.signing_key, company_id, args.name, Role(args.role.upper())
        )
        print(
            f"created {row.role.value.lower()} token {row.name!r}; it is shown only now:",
            file=sys.stderr,
        )
        print(token)
        return 0

    return with_database(settings, work)


async def _companies(db: Database, name: str | None) -> list[Company]:
    """The company named `name` (any spelling), or every company when None."""
    if name is None:
        return await list_companies(db)
    company = await find_company(db, name)
    if company is None:
        raise CommandFailed(f"no company is named {name!r}")
    return [company]


def _list_users(settings: Settings, args: argparse.Namespace) -> int:
    async def work(db: Database) -> int:
        lines: list[tuple[str, ...]] = []
        for company in await _companies(db, args.company):
            rows = await users.list_users(db, company.id, include_inactive=True)
            lines += [
                (
                    company.name,
                    row.email,
                    row.name or "",
                    row.role.value.lower(),
                    "active" if row.active else "deactivated",
                    _when(row.last_sign_in_at),
                )
                for row in rows
            ]
        header = ("company", "email", "name", "role", "status", "last sign-in")
        print(_table(*_one_company(args, header, lines)))
        return 0

    return with_database(settings, work)


def _list_tokens(settings: Settings, args: argparse.Namespace) -> int:
    async def work(db: Database) -> int:
        lines: list[tuple[str, ...]] = []
        for company in await _companies(db, args.company):
            rows = await tokens.list_tokens(db, company.id)
            lines += [
                (
                    company.name,
                    row.name,
                    row.role.value.lower(),
                    row.created_by or "",
                    _when(row.created_at),
                    _when(row.last_used_at),
                    _when(row.revoked_at),
                )
                for row in rows
            ]
        header = ("company", "name", "role", "created by", "created", "last used", "revoked")
        print(_table(*_one_company(args, header, lines)))
        return 0

    return with_database(settings, work)


def _one_company(
    args: argparse.Namespace, header: tuple[str, ...], lines: list[tuple[str, ...]]
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The table without its company column when one company was asked for."""
    if args.company is None:
        return header, lines
    return header[1:], [line[1:] for line in lines]


def _import_customers(settings: Settings, args: argparse.Namespace) -> int:
    try:
        data = Path(args.file).read_bytes()
    except OSError as error:
        print(f"atrisk: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 1

    async def work(db: Database) -> int:
        company_id = await _company_id(db, args.company)
        try:
            report = await imports.import_customers(db, company_id, CLI, data, dry_run=args.dry_run)
        except ServiceError as error:
            raise CommandFailed(error.message) from None
        verb = "would import" if report.dry_run else "imported"
        print(
            f"{verb} {report.rows} rows: {report.created} new customers, "
            f"{report.updated} updated, {report.unchanged} unchanged"
        )
        return 0

    return with_database(settings, work)


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Plain columns, padded to the widest cell (the rows as given)."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    return "\n".join(
        "  ".join(
            str(cell).ljust(width) for cell, width in zip(line, widths, strict=False)
        ).rstrip()
        for line in (header, *rows)
    )


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

    user = commands.add_parser("create-user", help="add an admin, agent or viewer to a company")
    user.add_argument("--company", required=True, help="the company's name (any case)")
    user.add_argument("--email", required=True, help="the email they sign in with")
    user.add_argument("--role", required=True, choices=["admin", "agent", "viewer"])
    user.add_argument("--password", help="their password (default: generate one)")
    user.set_defaults(handler=_create_user)

    token = commands.add_parser("create-token", help="create an API token; prints it")
    token.add_argument("--company", required=True, help="the company's name (any case)")
    token.add_argument("--name", required=True, help="a label, unique in the company")
    token.add_argument(
        "--role",
        choices=["viewer", "agent"],
        default="viewer",
        help="viewer reads (the default); agent also works customers and cases",
    )
    token.set_defaults(handler=_create_token)

    people = commands.add_parser(
        "list-users", help="the people of a company (of every company without --company)"
    )
    people.add_argument("--company", help="the company's name (any case)")
    people.set_defaults(handler=_list_users)

    token_list = commands.add_parser(
        "list-tokens",
        help="the API tokens of a company (of every company without --company), newest "
        "first; never their secrets",
    )
    token_list.add_argument("--company", help="the company's name (any case)")
    token_list.set_defaults(handler=_list_tokens)

    customer_file = commands.add_parser(
        "import-customers", help="create and update customers from a CSV file"
    )
    customer_file.add_argument("file", help="CSV: account_number,name,email,phone,rmr,status")
    customer_file.add_argument("--company", required=True, help="the company's name (any case)")
    customer_file.add_argument(
        "--dry-run", action="store_true", help="check the file and say what would change"
    )
    customer_file.set_defaults(handler=_import_customers)

    revoke = commands.add_parser("revoke-token", help="revoke an API token at once")
    revoke.add_argument("--company", required=True, help="the company's name (any case)")
    revoke.add_argument("--name", required=True, help="the token's label")
    revoke.set_defaults(handler=_revoke_token)
