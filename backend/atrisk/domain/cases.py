"""At-risk cases: a customer flagged at risk, worked (attempts, credits, follow-ups) and
closed as saved, lost or withdrawn.

    OPEN ⇄ MITIGATED ──close──▶ RESOLVED (saved) | LOST | CANCELLED (flagged by mistake)
      ▲                              │
      └──────────── reopen ──────────┘
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

NOTES_MAX_LENGTH = 5000
ATTEMPT_NOTE_MAX_LENGTH = 2000
CREDIT_NOTE_MAX_LENGTH = 500
# A time "now" on another machine may run a little ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)


class RiskLevel(enum.Enum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}


class CaseStatus(enum.Enum):
    OPEN = "OPEN"
    MITIGATED = "MITIGATED"
    RESOLVED = "RESOLVED"
    LOST = "LOST"
    CANCELLED = "CANCELLED"

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset({CaseStatus.OPEN, CaseStatus.MITIGATED})
CLOSED_STATUSES = frozenset({CaseStatus.RESOLVED, CaseStatus.LOST, CaseStatus.CANCELLED})


class ContactChannel(enum.Enum):
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    SMS = "SMS"
    VISIT = "VISIT"
    LETTER = "LETTER"
    OTHER = "OTHER"


class CaseOrder(enum.Enum):
    """How the work queue is sorted; every order ends with the id, so paging is stable."""

    FOLLOW_UP = "FOLLOW_UP"  # soonest follow-up first, cases without one last
    REPORTED_NEWEST = "REPORTED_NEWEST"
    RMR_HIGHEST = "RMR_HIGHEST"
    RISK_HIGHEST = "RISK_HIGHEST"


class InvalidCase(ValueError):
    """A case field or step that breaks a rule: `field` names the input field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def days_open(reported_at: datetime, closed_at: datetime | None, now: datetime) -> int:
    """Whole days from the report to the close (or to now while open); never negative."""
    end = closed_at or now
    return max(0, (end - reported_at).days)


def check_not_future(moment: datetime, now: datetime, field: str, label: str) -> None:
    if moment > now + CLOCK_SKEW:
        raise InvalidCase(field, f"{label} cannot be in the future.")


def check_aware(moment: datetime, field: str, label: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidCase(
            field, f"{label} needs a time zone, like 2026-12-01T09:30:00Z or …+01:00."
        )


def retained_for_close(
    status: CaseStatus, rmr_at_risk: int, rmr_retained: int | None
) -> int | None:
    """The RMR a close keeps: the whole RMR at risk by default for a save (less is a save at a
    reduced rate, more is refused), nothing for a loss, no figure for a withdrawn case."""
    if status is CaseStatus.RESOLVED:
        kept = rmr_at_risk if rmr_retained is None else rmr_retained
        if kept < 0:
            raise InvalidCase("rmrRetained", "RMR retained must not be negative.")
        if kept > rmr_at_risk:
            raise InvalidCase("rmrRetained", "RMR retained cannot be more than the RMR at risk.")
        return kept
    if rmr_retained not in (None, 0):
        label = "lost" if status is CaseStatus.LOST else "withdrawn"
        raise InvalidCase("rmrRetained", f"A {label} case retains no RMR; leave it empty.")
    return 0 if status is CaseStatus.LOST else None
