"""Customers and their at-risk cases, contact attempts and credits; agents; token roles;
people's names, status and last sign-in; the company's currency and time zone.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from atrisk.db.types import (
    CaseStatusType,
    ContactChannelType,
    CustomerStatusType,
    RiskLevelType,
    RoleType,
    SearchKey,
    UTCDateTime,
)
from atrisk.domain.text import fold

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status IN ('OPEN', 'MITIGATED')")


def _id(name: str = "id") -> sa.Column[str]:
    return sa.Column(name, sa.String(32), nullable=False)


def _company() -> sa.Column[str]:
    return sa.Column("company_id", sa.String(32), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("companies") as batch:
        batch.add_column(sa.Column("currency", sa.String(3), nullable=False, server_default="USD"))
        batch.add_column(sa.Column("timezone", sa.String(64), nullable=False, server_default="UTC"))
        batch.add_column(sa.Column("name_key", sa.Text(), nullable=True))
    companies = sa.table("companies", sa.column("id"), sa.column("name"), sa.column("name_key"))
    connection = op.get_bind()
    for company_id, name in connection.execute(sa.select(companies.c.id, companies.c.name)).all():
        connection.execute(
            companies.update().where(companies.c.id == company_id).values(name_key=fold(name))
        )
    with op.batch_alter_table("companies") as batch:
        batch.alter_column("currency", server_default=None)
        batch.alter_column("timezone", server_default=None)
        batch.alter_column("name_key", existing_type=sa.Text(), nullable=False)
        batch.create_unique_constraint(op.f("uq_companies_name_key"), ["name_key"])

    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("name", sa.String(100), nullable=True))
        batch.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("last_sign_in_at", UTCDateTime(), nullable=True))
        batch.drop_constraint(op.f("ck_users_role_known"), type_="check")
        batch.create_check_constraint("role_known", "role IN ('ADMIN', 'AGENT', 'VIEWER')")
    with op.batch_alter_table("users") as batch:
        batch.alter_column("active", server_default=None)

    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("role", RoleType(), nullable=False, server_default="VIEWER"))
        batch.add_column(sa.Column("created_by", sa.String(254), nullable=True))
        batch.create_check_constraint("role_known", "role IN ('AGENT', 'VIEWER')")
    with op.batch_alter_table("api_tokens") as batch:
        batch.alter_column("role", server_default=None)

    op.create_table(
        "customers",
        _id(),
        _company(),
        sa.Column("account_number", sa.String(50), nullable=True),
        sa.Column("account_key", SearchKey, nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", SearchKey, nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("rmr_cents", sa.BigInteger(), nullable=False),
        sa.Column("status", CustomerStatusType(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("rmr_cents >= 0", name=op.f("ck_customers_rmr_not_negative")),
        sa.CheckConstraint(
            "status IN ('ACTIVE', 'CANCELLED')", name=op.f("ck_customers_status_known")
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_customers_version_positive")),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_customers_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint(
            "company_id", "account_key", name=op.f("uq_customers_company_id_account_key")
        ),
    )
    op.create_index("ix_customers_by_name", "customers", ["company_id", "name_key", "id"])

    op.create_table(
        "at_risk_cases",
        _id(),
        _company(),
        _id("customer_id"),
        sa.Column("status", CaseStatusType(), nullable=False),
        sa.Column("risk_level", RiskLevelType(), nullable=False),
        _id("reason_id"),
        sa.Column("cause_id", sa.String(32), nullable=True),
        sa.Column("resolution_id", sa.String(32), nullable=True),
        sa.Column("reported_at", UTCDateTime(), nullable=False),
        sa.Column("reported_by_id", sa.String(32), nullable=True),
        sa.Column("assigned_to_id", sa.String(32), nullable=True),
        sa.Column("follow_up_at", UTCDateTime(), nullable=True),
        sa.Column("rmr_at_risk_cents", sa.BigInteger(), nullable=False),
        sa.Column("rmr_retained_cents", sa.BigInteger(), nullable=True),
        sa.Column("saved_by_id", sa.String(32), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('OPEN', 'MITIGATED', 'RESOLVED', 'LOST', 'CANCELLED')",
            name=op.f("ck_at_risk_cases_status_known"),
        ),
        sa.CheckConstraint(
            "risk_level IN ('LOW', 'MEDIUM', 'HIGH')",
            name=op.f("ck_at_risk_cases_risk_level_known"),
        ),
        sa.CheckConstraint(
            "rmr_at_risk_cents >= 0", name=op.f("ck_at_risk_cases_rmr_at_risk_not_negative")
        ),
        sa.CheckConstraint(
            "rmr_retained_cents IS NULL OR "
            "(rmr_retained_cents >= 0 AND rmr_retained_cents <= rmr_at_risk_cents)",
            name=op.f("ck_at_risk_cases_rmr_retained_within_at_risk"),
        ),
        sa.CheckConstraint(
            "(status IN ('OPEN', 'MITIGATED')) = (closed_at IS NULL)",
            name=op.f("ck_at_risk_cases_closed_when_closed"),
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_at_risk_cases_version_positive")),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_at_risk_cases_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_at_risk_cases_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["reason_id"],
            ["at_risk_entries.id"],
            name=op.f("fk_at_risk_cases_reason_id_at_risk_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["cause_id"],
            ["at_risk_entries.id"],
            name=op.f("fk_at_risk_cases_cause_id_at_risk_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["resolution_id"],
            ["at_risk_entries.id"],
            name=op.f("fk_at_risk_cases_resolution_id_at_risk_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"], ["users.id"], name=op.f("fk_at_risk_cases_reported_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["assigned_to_id"], ["users.id"], name=op.f("fk_at_risk_cases_assigned_to_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["saved_by_id"], ["users.id"], name=op.f("fk_at_risk_cases_saved_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_at_risk_cases")),
    )
    op.create_index(
        "uq_at_risk_cases_one_open_per_customer",
        "at_risk_cases",
        ["customer_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_index(
        "ix_at_risk_cases_queue",
        "at_risk_cases",
        ["company_id", "follow_up_at", "id"],
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    for name, columns in (
        ("ix_at_risk_cases_customer", ["customer_id", "reported_at"]),
        ("ix_at_risk_cases_reported", ["company_id", "reported_at"]),
        ("ix_at_risk_cases_closed", ["company_id", "closed_at"]),
        ("ix_at_risk_cases_reason_id", ["reason_id"]),
        ("ix_at_risk_cases_cause_id", ["cause_id"]),
        ("ix_at_risk_cases_resolution_id", ["resolution_id"]),
    ):
        op.create_index(name, "at_risk_cases", columns)

    op.create_table(
        "contact_attempts",
        _id(),
        _company(),
        _id("case_id"),
        sa.Column("channel", ContactChannelType(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("by_id", sa.String(32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "channel IN ('PHONE', 'EMAIL', 'SMS', 'VISIT', 'LETTER', 'OTHER')",
            name=op.f("ck_contact_attempts_channel_known"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_contact_attempts_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["at_risk_cases.id"],
            name=op.f("fk_contact_attempts_case_id_at_risk_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["by_id"], ["users.id"], name=op.f("fk_contact_attempts_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_attempts")),
    )
    op.create_index("ix_contact_attempts_case", "contact_attempts", ["case_id", "at"])

    op.create_table(
        "credits",
        _id(),
        _company(),
        _id("case_id"),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        _id("credit_reason_id"),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("by_id", sa.String(32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("amount_cents > 0", name=op.f("ck_credits_amount_positive")),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_credits_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["at_risk_cases.id"],
            name=op.f("fk_credits_case_id_at_risk_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["credit_reason_id"],
            ["at_risk_entries.id"],
            name=op.f("fk_credits_credit_reason_id_at_risk_entries"),
        ),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name=op.f("fk_credits_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credits")),
    )
    op.create_index("ix_credits_case", "credits", ["case_id", "at"])
    op.create_index("ix_credits_company_at", "credits", ["company_id", "at"])
    op.create_index("ix_credits_credit_reason_id", "credits", ["credit_reason_id"])


def downgrade() -> None:
    op.drop_table("credits")
    op.drop_table("contact_attempts")
    op.drop_table("at_risk_cases")
    op.drop_table("customers")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_constraint(op.f("ck_api_tokens_role_known"), type_="check")
        batch.drop_column("created_by")
        batch.drop_column("role")
    # Agents cannot stay: without the role they would have none.
    op.execute("UPDATE users SET role = 'VIEWER' WHERE role = 'AGENT'")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_role_known"), type_="check")
        batch.create_check_constraint("role_known", "role IN ('ADMIN', 'VIEWER')")
        batch.drop_column("last_sign_in_at")
        batch.drop_column("active")
        batch.drop_column("name")
    with op.batch_alter_table("companies") as batch:
        batch.drop_constraint(op.f("uq_companies_name_key"), type_="unique")
        batch.drop_column("name_key")
        batch.drop_column("timezone")
        batch.drop_column("currency")
