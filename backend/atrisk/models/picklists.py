"""At-risk entries: the four picklists of a company."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from atrisk.db.types import CategoryType, UTCDateTime, new_id, utcnow
from atrisk.domain.picklists import DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, Category
from atrisk.models.base import Base


class AtRiskEntry(Base):
    __tablename__ = "at_risk_entries"
    __table_args__ = (
        UniqueConstraint("company_id", "category", "name_key"),
        Index("ix_at_risk_entries_listing", "company_id", "category", "position", "name_key"),
        CheckConstraint("category BETWEEN 1 AND 4", name="category_known"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    company_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("companies.id", ondelete="CASCADE")
    )
    category: Mapped[Category] = mapped_column(CategoryType)
    name: Mapped[str] = mapped_column(String(NAME_MAX_LENGTH))
    name_key: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(String(DESCRIPTION_MAX_LENGTH), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The order inside (company, category), without duplicates; a move or a sort renumbers
    # the category 1..n (see atrisk.services.picklists).
    position: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
