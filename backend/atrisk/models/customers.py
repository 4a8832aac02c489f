"""Customers: a company's subscribers with their monthly recurring revenue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from atrisk.db.types import CustomerStatusType, SearchKey, UTCDateTime, new_id, utcnow
from atrisk.domain.accounts import EMAIL_MAX_LENGTH
from atrisk.domain.customers import (
    ACCOUNT_NUMBER_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    CustomerStatus,
)
from atrisk.models.base import Base


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        # Account numbers compare case-folded; customers without one do not collide (NULL).
        UniqueConstraint("company_id", "account_key"),
        # The customer list and name-prefix search walk this index in order.
        Index("ix_customers_by_name", "company_id", "name_key", "id"),
        CheckConstraint("rmr_cents >= 0", name="rmr_not_negative"),
        CheckConstraint("status IN ('ACTIVE', 'CANCELLED')", name="status_known"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    company_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("companies.id", ondelete="CASCADE")
    )
    account_number: Mapped[str | None] = mapped_column(String(ACCOUNT_NUMBER_MAX_LENGTH))
    account_key: Mapped[str | None] = mapped_column(SearchKey)
    name: Mapped[str] = mapped_column(String(NAME_MAX_LENGTH))
    name_key: Mapped[str] = mapped_column(SearchKey)
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX_LENGTH))
    phone: Mapped[str | None] = mapped_column(String(PHONE_MAX_LENGTH))
    rmr_cents: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[CustomerStatus] = mapped_column(
        CustomerStatusType, default=CustomerStatus.ACTIVE
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
