"""Companies: every other row belongs to one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from atrisk.db.types import UTCDateTime, new_id, utcnow
from atrisk.models.base import Base

COMPANY_NAME_MAX_LENGTH = 200


class Company(Base):
    __tablename__ = "companies"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(COMPANY_NAME_MAX_LENGTH), unique=True)
    # Names compare case-folded (commands find "acme alarms" for "Acme Alarms").
    name_key: Mapped[str] = mapped_column(Text, unique=True)
    # One version per area of the company's data, bumped by the change recorder
    # (atrisk.services.changes) in the transaction of every write to that area.
    lists_version: Mapped[int] = mapped_column(Integer, default=1)
    cases_version: Mapped[int] = mapped_column(Integer, default=1)
    accounts_version: Mapped[int] = mapped_column(Integer, default=1)
    # ISO 4217: every amount of the company is in this currency.
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    # IANA: the reports' periods and months are days in this time zone.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
