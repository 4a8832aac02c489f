"""The retention report against a hand count: cases across month borders and time zones
(UTC, New York, Auckland across its DST change), reduced-rate saves, a reopened case,
withdrawn cases and credits; and against a plain Python recount of random cases."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from atrisk.db.types import utcnow
from atrisk.domain.accounts import Role
from atrisk.domain.cases import CaseStatus, RiskLevel
from atrisk.domain.picklists import Category
from atrisk.services import cases, picklists, reports
from atrisk.services.companies import create_company
from atrisk.services.errors import ValidationFailed
from atrisk.services.reports import Grouping
from tests.utils.accounts import add_user
from tests.utils.cases import caller_of
from tests.utils.reports import Planted, expected, local, plant, set_timezone
from tests.utils.summary import PROPERTY, count

ZONES = ["UTC", "America/New_York", "Pacific/Auckland"]
MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 30)


def figures(row: reports.Row) -> dict[str, object]:
    return {
        "opened": row.opened,
        "saved": row.saved,
        "lost": row.lost,
        "withdrawn": row.withdrawn,
        "rmr_at_risk": row.rmr_at_risk,
        "rmr_saved": row.rmr_saved,
        "rmr_lost": row.rmr_lost,
        "credited": row.credited,
        "save_rate": row.save_rate,
        "average_days_to_close": row.average_days_to_close,
    }


@pytest.mark.parametrize("zone", ZONES)
async def test_a_hand_counted_spring(db, company, zone):
    """Every figure below was counted by hand from the cases in the comments."""
    await set_timezone(db, company.id, zone)
    r1 = await picklists.add_entry(db, company.id, Category.REASON, "R1")
    r2 = await picklists.add_entry(db, company.id, Category.REASON, "R2")
    cr1 = await picklists.add_entry(db, company.id, Category.CREDIT_REASON, "CR1")
    cr2 = await picklists.add_entry(db, company.id, Category.CREDIT_REASON, "CR2")
    t = lambda *args: local(zone, 2026, *args)  # noqa: E731
    reopened = Planted(r1.id, t(3, 10, 10), 6000, CaseStatus.RESOLVED, t(3, 15), 6000)
    planted = [
        # C1: saved in full; 15 days (the clock change in New York takes one hour, not a day).
        Planted(
            r1.id,
            t(3, 5, 10),
            10000,
            CaseStatus.RESOLVED,
            t(3, 20, 12),
            10000,
            credits=[(1000, cr1.id, t(3, 6))],
        ),
        # C2: reported at 23:30 on the 31st, local: March. Saved at a reduced rate; 9 days.
        Planted(
            r1.id,
            t(3, 31, 23, 30),
            5000,
            CaseStatus.RESOLVED,
            t(4, 10, 12),
            3000,
            credits=[(500, cr2.id, t(4, 30, 23))],
        ),
        # C3: lost in April; 18 days (Auckland's clocks go back on 5 April); its credit is May's.
        Planted(
            r2.id,
            t(4, 2, 9),
            8000,
            CaseStatus.LOST,
            t(4, 20, 11),
            0,
            credits=[(700, cr1.id, t(5, 1, 0, 10))],
        ),
        # C4: reported in February (not opened in the period), lost in March; 6 days.
        Planted(r2.id, t(2, 25, 10), 4000, CaseStatus.LOST, t(3, 3, 12), 0),
        # C5: withdrawn (flagged by mistake): counts in no rate.
        Planted(r1.id, t(4, 15), 2000, CaseStatus.CANCELLED, t(4, 16)),
        # C6: opened at 23:59 on 29 April, local; open, its follow-up overdue.
        Planted(r2.id, t(4, 29, 23, 59), 1000, follow_up=utcnow() - timedelta(days=1)),
        # C7: saved in March, then reopened: open again, so not a save.
        reopened,
        # C8: reported 30 minutes after the period ends.
        Planted(r2.id, t(5, 1, 0, 30), 500),
    ]
    await plant(db, company.id, planted)
    admin = caller_of(await add_user(db, company, "admin@acme.example", Role.ADMIN), company)
    await cases.reopen_case(db, admin, reopened.id)
    await cases.update_case(
        db,
        admin,
        reopened.id,
        {"status": CaseStatus.MITIGATED, "follow_up_at": utcnow() + timedelta(days=3)},
    )

    by_reason = await reports.retention_report(db, company.id, zone, MARCH, APRIL, Grouping.REASON)
    assert figures(by_reason.totals) == {
        "opened": 6, "saved": 2, "lost": 2, "withdrawn": 1, "rmr_at_risk": 32000,
        "rmr_saved": 13000, "rmr_lost": 14000, "credited": 1500, "save_rate": 0.5,
        "average_days_to_close": 12.0,
    }  # fmt: skip
    assert [(row.key, row.label) for row in by_reason.rows] == [(r1.id, "R1"), (r2.id, "R2")]
    assert figures(by_reason.rows[0]) == {
        "opened": 4, "saved": 2, "lost": 0, "withdrawn": 1, "rmr_at_risk": 23000,
        "rmr_saved": 13000, "rmr_lost": 2000, "credited": 1500, "save_rate": 1.0,
        "average_days_to_close": 12.0,
    }  # fmt: skip
    assert figures(by_reason.rows[1]) == {
        "opened": 2, "saved": 0, "lost": 2, "withdrawn": 0, "rmr_at_risk": 9000,
        "rmr_saved": 0, "rmr_lost": 12000, "credited": 0, "save_rate": 0.0,
        "average_days_to_close": 12.0,
    }  # fmt: skip
    assert by_reason.open_now == reports.OpenRisk(cases=3, rmr_at_risk=7500, overdue_follow_ups=1)

    by_month = await reports.retention_report(db, company.id, zone, MARCH, APRIL, Grouping.MONTH)
    assert [(row.key, row.label) for row in by_month.rows] == [
        ("2026-03", "March 2026"),
        ("2026-04", "April 2026"),
    ]
    march, april = by_month.rows
    assert figures(march) == {
        "opened": 3, "saved": 1, "lost": 1, "withdrawn": 0, "rmr_at_risk": 21000,
        "rmr_saved": 10000, "rmr_lost": 4000, "credited": 1000, "save_rate": 0.5,
        "average_days_to_close": 10.5,
    }  # fmt: skip
    assert figures(april) == {
        "opened": 3, "saved": 1, "lost": 1, "withdrawn": 1, "rmr_at_risk": 11000,
        "rmr_saved": 3000, "rmr_lost": 10000, "credited": 500, "save_rate": 0.5,
        "average_days_to_close": 13.5,
    }  # fmt: skip
    assert figures(by_month.totals) == figures(by_reason.totals)

    by_credit = await reports.retention_report(
        db, company.id, zone, MARCH, APRIL, Grouping.CREDIT_REASON
    )
    assert {row.label: (row.credited, row.opened) for row in by_credit.rows} == {
        "CR1": (1000, 2),  # C1 (opened in March) and C3 (its credit falls in May)
        "CR2": (500, 1),  # C2
    }


async def test_groups_with_no_cases_do_not_appear_and_bad_periods_are_refused(db, company):
    await picklists.add_entry(db, company.id, Category.REASON, "Never used")
    empty = await reports.retention_report(db, company.id, "UTC", MARCH, APRIL, Grouping.REASON)
    assert empty.rows == []
    assert figures(empty.totals)["save_rate"] is None
    assert figures(empty.totals)["average_days_to_close"] is None
    with pytest.raises(ValidationFailed, match="ends before it starts") as backwards:
        await reports.retention_report(db, company.id, "UTC", APRIL, MARCH, Grouping.REASON)
    assert backwards.value.field == "to"
    with pytest.raises(ValidationFailed, match="at most ten years"):
        await reports.retention_report(
            db, company.id, "UTC", date(2000, 1, 1), date(2020, 1, 1), Grouping.MONTH
        )


START = datetime(2026, 1, 1, tzinfo=UTC)
SCENARIOS = 12


def random_cases(
    chance: random.Random, reasons: list[str], credit_reasons: list[str]
) -> list[Planted]:
    made = []
    for _ in range(chance.randint(0, 25)):
        reported = START + timedelta(minutes=chance.randint(0, 200 * 24 * 60))
        status = chance.choice(list(CaseStatus))
        rmr = chance.randint(0, 50_000)
        closed = retained = None
        if not status.is_open:
            closed = reported + timedelta(minutes=chance.randint(1, 60 * 24 * 60))
            retained = {CaseStatus.RESOLVED: chance.randint(0, rmr), CaseStatus.LOST: 0}.get(status)
        credits = [
            (
                chance.randint(1, 5000),
                chance.choice(credit_reasons),
                reported + timedelta(minutes=chance.randint(0, 90 * 24 * 60)),
            )
            for _ in range(chance.randint(0, 2))
        ]
        made.append(
            Planted(
                chance.choice(reasons),
                reported,
                rmr,
                status,
                closed,
                retained,
                chance.choice(list(RiskLevel)),
                credits=credits,
            )
        )
    return made


def key_for(grouping: Grouping, zone: str):
    tz = ZoneInfo(zone)
    if grouping is Grouping.REASON:
        return lambda case, _moment: case.reason_id
    if grouping is Grouping.RISK_LEVEL:
        return lambda case, _moment: case.risk.value
    return lambda _case, moment: moment.astimezone(tz).strftime("%Y-%m")


async def test_the_sql_report_is_the_python_recount_of_random_cases(db):
    """Random cases in random zones and periods: every row and the totals equal a recount
    straight from the definitions (a fixed seed: the same cases in every run)."""
    chance = random.Random(20261202)
    for scenario in range(SCENARIOS):
        company = await create_company(db, f"Random {scenario}")
        zone = chance.choice(ZONES)
        await set_timezone(db, company.id, zone)
        reasons = [
            (await picklists.add_entry(db, company.id, Category.REASON, f"R{n}")).id
            for n in range(3)
        ]
        credit = (await picklists.add_entry(db, company.id, Category.CREDIT_REASON, "CR")).id
        planted = random_cases(chance, reasons, [credit])
        await plant(db, company.id, planted)
        start = (START + timedelta(days=chance.randint(0, 150))).date()
        end = start + timedelta(days=chance.randint(0, 120))
        grouping = chance.choice([Grouping.REASON, Grouping.RISK_LEVEL, Grouping.MONTH])
        report = await reports.retention_report(db, company.id, zone, start, end, grouping)
        want = expected(planted, zone, start, end, key_for(grouping, zone))
        got = {
            row.key: {
                "opened": row.opened,
                "saved": row.saved,
                "lost": row.lost,
                "withdrawn": row.withdrawn,
                "rmr_at_risk": row.rmr_at_risk,
                "rmr_saved": row.rmr_saved,
                "rmr_lost": row.rmr_lost,
                "credited": row.credited,
                "days": row.closed_days,
            }
            for row in report.rows
        }
        assert got == want, (scenario, zone, start, end, grouping)
        totals = expected(planted, zone, start, end, lambda _case, _moment: "")
        assert report.totals.opened == totals.get("", {}).get("opened", 0)
        assert report.totals.rmr_lost == totals.get("", {}).get("rmr_lost", 0)
        assert report.totals.credited == totals.get("", {}).get("credited", 0)
        count(PROPERTY)
