"""People, their sign-in sessions, API tokens and the sign-in failure counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from atrisk.db.types import RoleType, UTCDateTime, new_id, utcnow
from atrisk.domain.accounts import EMAIL_MAX_LENGTH, USER_NAME_MAX_LENGTH, Role
from atrisk.models.base import Base

TOKEN_NAME_MAX_LENGTH = 100


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('ADMIN', 'AGENT', 'VIEWER')", name="role_known"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    company_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    # Stored trimmed and lower-cased; one account per address across all companies.
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[Role] = mapped_column(RoleType)
    name: Mapped[str | None] = mapped_column(String(USER_NAME_MAX_LENGTH))
    # A deactivated person cannot sign in and keeps no session; their history stays.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UserSession(Base):
    """A signed-in browser. Only a keyed hash of the cookie value is stored."""

    __tablename__ = "sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


_NOT_REVOKED = text("revoked_at IS NULL")


class ApiToken(Base):
    """A credential for apps and scripts (VIEWER reads, AGENT also works customers and cases).
    Only a keyed hash of it is stored.

    A revoked token is kept (and refused as revoked); its name is free for a new token.
    """

    __tablename__ = "api_tokens"
    __table_args__ = (
        Index(
            "uq_api_tokens_company_id_name",
            "company_id",
            "name",
            unique=True,
            sqlite_where=_NOT_REVOKED,
            postgresql_where=_NOT_REVOKED,
        ),
        # Tokens never carry ADMIN.
        CheckConstraint("role IN ('AGENT', 'VIEWER')", name="role_known"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    company_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("companies.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(TOKEN_NAME_MAX_LENGTH))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[Role] = mapped_column(RoleType, default=Role.VIEWER)
    # The email of the admin who made it, or "atrisk CLI".
    created_by: Mapped[str | None] = mapped_column(String(EMAIL_MAX_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class LoginFailures(Base):
    """Failed sign-ins per account or client address, counted in a fixed window."""

    __tablename__ = "login_failures"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime)
