"""The retention report."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from atrisk.graphql.context import Info
from atrisk.graphql.errors import bad_input
from atrisk.graphql.permissions import READ
from atrisk.graphql.types.reports import RetentionReport
from atrisk.services import reports
from atrisk.services.errors import ServiceError


@strawberry.type
class ReportQuery:
    @strawberry.field(
        description="RMR at risk, saved and lost from `from` through `to` (days in the "
        "company's time zone), by `groupBy`.",
        permission_classes=READ,
    )
    async def retention_report(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        group_by: reports.Grouping,
    ) -> RetentionReport:
        caller = info.context.signed_in
        try:
            report = await reports.retention_report(
                info.context.db, caller.company_id, caller.timezone, from_, to, group_by
            )
        except ServiceError as error:
            raise bad_input(error) from None
        return RetentionReport.from_report(report)
