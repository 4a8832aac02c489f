"""At-risk cases with their contact attempts and credits.

Foreign keys to the entries have no cascade: an entry in use cannot vanish (it is replaced
first). At most one case of a customer is not closed: a partial unique index says so.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy import text as sql
from sqlalchemy.orm import Mapped, mapped_column

from atrisk.db.types import (
    CaseStatusType,
    ContactChannelType,
    RiskLevelType,
    UTCDateTime,
    new_id,
    utcnow,
)
from atrisk.domain.cases import CaseStatus, ContactChannel, RiskLevel
from atrisk.models.base import Base

# Literal, as the partial indexes say it: a query that says it the same way can use them.
OPEN: ColumnElement[bool] = sql("status IN ('OPEN', 'MITIGATED')")  # type: ignore[assignment]


class AtRiskCase(Base):
    __tablename__ = "at_risk_cases"
    __table_args__ = (
        Index(
            "uq_at_risk_cases_one_open_per_customer",
            "customer_id",
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        ),
        # The work queue: a company's open cases by follow-up date.
        Index(
            "ix_at_risk_cases_queue",
            "company_id",
            "follow_up_at",
            "id",
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        ),
        Index("ix_at_risk_cases_customer", "customer_id", "reported_at"),
        Index("ix_at_risk_cases_reported", "company_id", "reported_at"),
        Index("ix_at_risk_cases_closed", "company_id", "closed_at"),
        Index("ix_at_risk_cases_reason_id", "reason_id"),
        Index("ix_at_risk_cases_cause_id", "cause_id"),
        Index("ix_at_risk_cases_resolution_id", "resolution_id"),
        CheckConstraint(
            "status IN ('OPEN', 'MITIGATED', 'RESOLVED', 'LOST', 'CANCELLED')", name="status_known"
        ),
        CheckConstraint("risk_level IN ('LOW', 'MEDIUM', 'HIGH')", name="risk_level_known"),
        CheckConstraint("rmr_at_risk_cents >= 0", name="rmr_at_risk_not_negative"),
        CheckConstraint(
            "rmr_retained_cents IS NULL OR "
            "(rmr_retained_cents >= 0 AND rmr_retained_cents <= rmr_at_risk_cents)",
            name="rmr_retained_within_at_risk",
        ),
        CheckConstraint(
            "(status IN ('OPEN', 'MITIGATED')) = (closed_at IS NULL)", name="closed_when_closed"
        ),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    company_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("companies.id", ondelete="CASCADE")
    )
    customer_id: Mapped[str] = mapped_column(String(32), ForeignKey("customers.id"))
    status: Mapped[CaseStatus] = mapped_column(CaseStatusType, default=CaseStatus.OPEN)
    risk_level: Mapped[RiskLevel] = mapped_column(RiskLevelType)
    reason_id: Mapped[str] = mapped_column(String(32), ForeignKey("at_risk_entries.id"))
    cause_id: Mapped[str | None] = mapped_column(String(32), ForeignKey("at_risk_entries.id"))
    resolution_id: Mapped[str | None] = mapped_column(String(32), ForeignKey("at_risk_entries.id"))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reported_by_id: Mapped[str | None] = mapped_column(String(32), ForeignKey("users.id"))
    assigned_to_id: Mapped[str | None] = mapped_column(String(32), ForeignKey("users.id"))
    follow_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rmr_at_risk_cents: Mapped[int] = mapped_column(BigInteger)
    rmr_retained_cents: Mapped[int | None] = mapped_column(BigInteger)
    saved_by_id: Mapped[str | None] = mapped_column(String(32), ForeignKey("users.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ContactAttempt(Base):
    __tablename__ = "contact_attempts"
    __table_args__ = (
        Index("ix_contact_attempts_case", "case_id", "at"),
        CheckConstraint(
            "channel IN ('PHONE', 'EMAIL', 'SMS', 'VISIT', 'LETTER', 'OTHER')",
            name="channel_known",
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    company_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("companies.id", ondelete="CASCADE")
    )
    case_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("at_risk_cases.id", ondelete="CASCADE")
    )
    channel: Mapped[ContactChannel] = mapped_column(ContactChannelType)
    note: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by_id: Mapped[str | None] = mapped_column(String(32), ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Credit(Base):
    __tablename__ = "credits"
    __table_args__ = (
        Index("ix_credits_case", "case_id", "at"),
        Index("ix_credits_company_at", "company_id", "at"),
        Index("ix_credits_credit_reason_id", "credit_reason_id"),
        CheckConstraint("amount_cents > 0", name="amount_positive"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    company_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("companies.id", ondelete="CASCADE")
    )
    case_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("at_risk_cases.id", ondelete="CASCADE")
    )
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    credit_reason_id: Mapped[str] = mapped_column(String(32), ForeignKey("at_risk_entries.id"))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by_id: Mapped[str | None] = mapped_column(String(32), ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
