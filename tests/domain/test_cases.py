"""Case rules without a database: days open, times, what a close retains; customers' fields."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from atrisk.domain.cases import (
    CaseStatus,
    InvalidCase,
    RiskLevel,
    check_aware,
    check_not_future,
    days_open,
    retained_for_close,
)
from atrisk.domain.customers import (
    InvalidCustomer,
    account_number,
    customer_name,
    customer_phone,
)
from atrisk.domain.text import InvalidText, note, one_line, optional_note

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_days_open_counts_whole_days_to_the_close_or_now() -> None:
    reported = NOW - timedelta(days=3, hours=5)
    assert days_open(reported, None, NOW) == 3
    assert days_open(reported, reported + timedelta(hours=23), NOW) == 0
    assert days_open(NOW + timedelta(minutes=1), None, NOW) == 0


def test_times_need_a_zone_and_reports_are_not_in_the_future() -> None:
    with pytest.raises(InvalidCase, match="needs a time zone"):
        check_aware(datetime(2026, 12, 1, 9, 30), "reportedAt", "Reported at")
    check_not_future(NOW + timedelta(minutes=4), NOW, "reportedAt", "Reported at")
    with pytest.raises(InvalidCase, match="cannot be in the future") as refused:
        check_not_future(NOW + timedelta(hours=1), NOW, "reportedAt", "Reported at")
    assert refused.value.field == "reportedAt"


def test_a_save_keeps_the_rmr_at_risk_or_less() -> None:
    assert retained_for_close(CaseStatus.RESOLVED, 4990, None) == 4990
    assert retained_for_close(CaseStatus.RESOLVED, 4990, 2500) == 2500
    with pytest.raises(InvalidCase, match="cannot be more than the RMR at risk"):
        retained_for_close(CaseStatus.RESOLVED, 4990, 5000)
    with pytest.raises(InvalidCase, match="not be negative"):
        retained_for_close(CaseStatus.RESOLVED, 4990, -1)


def test_a_loss_retains_nothing_and_a_withdrawn_case_has_no_figure() -> None:
    assert retained_for_close(CaseStatus.LOST, 4990, None) == 0
    assert retained_for_close(CaseStatus.LOST, 4990, 0) == 0
    with pytest.raises(InvalidCase, match="lost case retains no RMR"):
        retained_for_close(CaseStatus.LOST, 4990, 100)
    assert retained_for_close(CaseStatus.CANCELLED, 4990, None) is None
    with pytest.raises(InvalidCase, match="withdrawn case retains no RMR"):
        retained_for_close(CaseStatus.CANCELLED, 4990, 100)


def test_risk_levels_rank_high_first() -> None:
    assert RiskLevel.HIGH.rank > RiskLevel.MEDIUM.rank > RiskLevel.LOW.rank
    assert {status.is_open for status in CaseStatus} == {True, False}
    assert [s for s in CaseStatus if s.is_open] == [CaseStatus.OPEN, CaseStatus.MITIGATED]


def test_one_line_text_and_notes() -> None:
    assert one_line("  Jane   Doe ", 200) == "Jane Doe"
    assert note(" Called twice.\r\n\r\nNo answer.  ", 5000) == "Called twice.\n\nNo answer."
    assert optional_note("  \u200b ", 10) is None
    for call, message in (
        (lambda: one_line("   ", 200), "Name is required."),
        (lambda: note("x" * 11, 10), "Notes must be at most 10 characters."),
        (lambda: note("bell\x07", 100), "Notes must not contain control characters."),
        (
            lambda: one_line("\u200b\u200d", 100),
            "Name must contain at least one visible character.",
        ),
    ):
        with pytest.raises(InvalidText) as refused:
            call()
        label = message.split()[0]
        assert refused.value.message(label) == message


def test_customer_fields() -> None:
    assert customer_name(" Jane  Doe ") == "Jane Doe"
    assert account_number(" ab-001 ") == ("ab-001", "ab-001")
    assert account_number("ＡＢ-001")[1] == account_number("ab-001")[1]
    assert customer_phone(" +1 (555) 0100 x2 ") == "+1 (555) 0100 x2"
    with pytest.raises(InvalidCustomer, match="Phone may hold only") as refused:
        customer_phone("call me")
    assert refused.value.field == "phone"
    with pytest.raises(InvalidCustomer, match="Name must be at most 200") as too_long:
        customer_name("x" * 201)
    assert too_long.value.field == "name"
