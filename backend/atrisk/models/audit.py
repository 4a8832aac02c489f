"""History: one event per change of an entry, customer, case, person, token or the company.

Events are append-only: nothing in the app updates one (a trigger refuses it), and only
`atrisk prune-history` deletes old ones.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from atrisk.db.types import UTCDateTime, byte_ordered, new_id
from atrisk.models.base import Base

ACTOR_MAX_LENGTH = 300
LABEL_MAX_LENGTH = 300


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        # The company's log, newest first; one entity's history; one actor's changes.
        Index("ix_audit_events_log", "company_id", "at", "id"),
        Index("ix_audit_events_entity", "company_id", "entity_type", "entity_id", "at", "id"),
        Index("ix_audit_events_actor", "company_id", "actor", "at", "id"),
        CheckConstraint("action IN ('CREATE', 'UPDATE', 'DELETE')", name="action_known"),
        CheckConstraint(
            "entity_type IN ('AT_RISK_ENTRY', 'CUSTOMER', 'AT_RISK_CASE', 'USER', 'API_TOKEN', "
            "'COMPANY')",
            name="entity_type_known",
        ),
    )

    # The indexed columns compare byte by byte (see byte_ordered): every change writes an
    # event into three indexes over them.
    id: Mapped[str] = mapped_column(byte_ordered(32), primary_key=True, default=new_id)
    company_id: Mapped[str] = mapped_column(
        byte_ordered(32), ForeignKey("companies.id", ondelete="CASCADE")
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(byte_ordered(ACTOR_MAX_LENGTH))
    action: Mapped[str] = mapped_column(String(16))
    entity_type: Mapped[str] = mapped_column(byte_ordered(16))
    entity_id: Mapped[str] = mapped_column(byte_ordered(32))
    entity_label: Mapped[str] = mapped_column(String(LABEL_MAX_LENGTH))
    # The entity's version after the change (None: it has none, or it was deleted).
    entity_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # [{"field": …, "from": …, "to": …}], values as text.
    changes: Mapped[str] = mapped_column(Text)
