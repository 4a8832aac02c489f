"""The retention report."""

from __future__ import annotations

from datetime import date

import strawberry

from atrisk.graphql.scalars import Money
from atrisk.services import reports

strawberry.enum(
    reports.Grouping,
    name="ReportGrouping",
    description="What the rows are: an entry of a list, a risk level, an assignee or a month.",
)


@strawberry.type(description="A group's figures for the period (see the README's definitions).")
class RetentionRow:
    key: str = strawberry.field(description="The entry's or person's id, a risk level, a month "
                                "(YYYY-MM), or none.")  # fmt: skip
    label: str
    opened: int
    saved: int
    lost: int
    withdrawn: int
    rmr_at_risk: Money
    rmr_saved: Money
    rmr_lost: Money
    credited: Money
    save_rate: float | None = strawberry.field(description="saved ÷ (saved + lost).")
    average_days_to_close: float | None

    @classmethod
    def from_row(cls, row: reports.Row) -> RetentionRow:
        return cls(
            key=row.key,
            label=row.label,
            opened=row.opened,
            saved=row.saved,
            lost=row.lost,
            withdrawn=row.withdrawn,
            rmr_at_risk=Money(row.rmr_at_risk),
            rmr_saved=Money(row.rmr_saved),
            rmr_lost=Money(row.rmr_lost),
            credited=Money(row.credited),
            save_rate=row.save_rate,
            average_days_to_close=row.average_days_to_close,
        )


@strawberry.type(description="What is at risk now, whatever the period.")
class OpenRisk:
    cases: int
    rmr_at_risk: Money
    overdue_follow_ups: int


@strawberry.type
class RetentionReport:
    from_: date = strawberry.field(name="from")
    to: date
    group_by: reports.Grouping
    totals: RetentionRow
    rows: list[RetentionRow]
    open_now: OpenRisk

    @classmethod
    def from_report(cls, report: reports.Report) -> RetentionReport:
        return cls(
            from_=report.start,
            to=report.end,
            group_by=report.grouping,
            totals=RetentionRow.from_row(report.totals),
            rows=[RetentionRow.from_row(row) for row in report.rows],
            open_now=OpenRisk(
                cases=report.open_now.cases,
                rmr_at_risk=Money(report.open_now.rmr_at_risk),
                overdue_follow_ups=report.open_now.overdue_follow_ups,
            ),
        )
