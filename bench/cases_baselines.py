"""Bare Starlette routes for the cases bench: the same authentication as /graphql, the same
service calls (so the same SQL), answered with orjson. These live in the bench only.

/bench/cases/queue               the first 50 open cases with customer, reason and assignee
/bench/cases/customers?search=S  customers whose name or account number starts with S
/bench/cases/history?after=C     the company's history log, 50 events after cursor C (ADMIN)
/bench/cases/report?group_by=G   the retention report of the bench's 12 months
"""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson
from sqlalchemy import select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from atrisk.db.database import Database
from atrisk.domain.cases import CaseOrder
from atrisk.models.accounts import User
from atrisk.models.customers import Customer
from atrisk.models.picklists import AtRiskEntry
from atrisk.services import audit, cases, customers, reports
from bench.baselines import caller_of

PERIOD = (date(2025, 12, 1), date(2026, 11, 30))


def money(cents: int | None) -> str | None:
    return None if cents is None else f"{cents // 100}.{cents % 100:02d}"


def _json(body: Any) -> Response:
    return Response(orjson.dumps(body), media_type="application/json")


async def _by_id(db: Database, model: Any, company_id: str, ids: set[str]) -> dict[str, Any]:
    """One statement per kind, as the GraphQL endpoint's data loaders batch them."""
    if not ids:
        return {}
    async with db.read() as session:
        rows = await session.execute(
            select(model).where(model.id.in_(sorted(ids)), model.company_id == company_id)
        )
        return {row.id: row for row in rows.scalars()}


def cases_routes(db: Database) -> list[BaseRoute]:
    async def queue(request: Request) -> Response:
        caller = await caller_of(request)
        page = await cases.list_cases(
            db,
            caller.company_id,
            cases.CaseFilter(open=True),
            CaseOrder.FOLLOW_UP,
            first=int(request.query_params.get("first", "50")),
            timezone=caller.timezone,
        )
        rows = page.nodes
        found = await _by_id(db, Customer, caller.company_id, {r.customer_id for r in rows})
        reasons = await _by_id(db, AtRiskEntry, caller.company_id, {r.reason_id for r in rows})
        people = await _by_id(
            db, User, caller.company_id, {r.assigned_to_id for r in rows if r.assigned_to_id}
        )
        nodes = []
        for row in rows:
            customer, reason = found[row.customer_id], reasons[row.reason_id]
            person = people.get(row.assigned_to_id) if row.assigned_to_id else None
            nodes.append(
                {
                    "id": row.id,
                    "status": row.status.name,
                    "riskLevel": row.risk_level.name,
                    "followUpAt": row.follow_up_at,
                    "rmrAtRisk": money(row.rmr_at_risk_cents),
                    "customer": {
                        "id": customer.id,
                        "name": customer.name,
                        "accountNumber": customer.account_number,
                    },
                    "reason": {"id": reason.id, "name": reason.name},
                    "assignedTo": None
                    if person is None
                    else {"id": person.id, "name": person.name},
                }
            )
        return _json(
            {
                "data": {
                    "atRiskCases": {
                        "totalCount": page.total_count,
                        "pageInfo": {
                            "hasNextPage": page.has_next_page,
                            "endCursor": page.end_cursor,
                        },
                        "nodes": nodes,
                    }
                }
            }
        )

    async def customer_search(request: Request) -> Response:
        caller = await caller_of(request)
        page = await customers.list_customers(
            db,
            caller.company_id,
            search=request.query_params["search"],
            first=int(request.query_params.get("first", "50")),
        )
        nodes = [
            {
                "id": row.id,
                "accountNumber": row.account_number,
                "name": row.name,
                "email": row.email,
                "rmr": money(row.rmr_cents),
                "status": row.status.name,
            }
            for row in page.nodes
        ]
        return _json(
            {
                "data": {
                    "customers": {
                        "totalCount": page.total_count,
                        "pageInfo": {
                            "hasNextPage": page.has_next_page,
                            "endCursor": page.end_cursor,
                        },
                        "nodes": nodes,
                    }
                }
            }
        )

    async def history(request: Request) -> Response:
        caller = await caller_of(request)
        if not caller.is_admin:
            raise HTTPException(403, "Admins only.")
        page = await audit.list_events(
            db,
            caller.company_id,
            audit.EventFilter(),
            first=int(request.query_params.get("first", "50")),
            after_cursor=request.query_params.get("after"),
        )
        nodes = [
            {
                "id": row.id,
                "at": row.at,
                "actor": row.actor,
                "action": row.action,
                "entityType": row.entity_type,
                "entityId": row.entity_id,
                "entityLabel": row.entity_label,
                "changes": [
                    {"field": c.field, "from": c.before, "to": c.after}
                    for c in audit.fields_of(row)
                ],
            }
            for row in page.nodes
        ]
        return _json(
            {
                "data": {
                    "auditEvents": {
                        "pageInfo": {
                            "hasNextPage": page.has_next_page,
                            "endCursor": page.end_cursor,
                        },
                        "nodes": nodes,
                    }
                }
            }
        )

    async def report(request: Request) -> Response:
        caller = await caller_of(request)
        grouping = reports.Grouping[request.query_params["group_by"]]
        found = await reports.retention_report(
            db, caller.company_id, caller.timezone, *PERIOD, grouping
        )

        def row(item: reports.Row) -> dict[str, Any]:
            return {
                "key": item.key,
                "label": item.label,
                "opened": item.opened,
                "saved": item.saved,
                "lost": item.lost,
                "withdrawn": item.withdrawn,
                "rmrAtRisk": money(item.rmr_at_risk),
                "rmrSaved": money(item.rmr_saved),
                "rmrLost": money(item.rmr_lost),
                "credited": money(item.credited),
                "saveRate": item.save_rate,
                "averageDaysToClose": item.average_days_to_close,
            }

        body = {
            "totals": row(found.totals),
            "rows": [row(item) for item in found.rows],
            "openNow": {
                "cases": found.open_now.cases,
                "rmrAtRisk": money(found.open_now.rmr_at_risk),
                "overdueFollowUps": found.open_now.overdue_follow_ups,
            },
        }
        return _json({"data": {"retentionReport": body}})

    return [
        Route("/bench/cases/queue", queue, methods=["GET"]),
        Route("/bench/cases/customers", customer_search, methods=["GET"]),
        Route("/bench/cases/history", history, methods=["GET"]),
        Route("/bench/cases/report", report, methods=["GET"]),
    ]
