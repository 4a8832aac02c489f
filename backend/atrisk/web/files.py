"""Files in and out: the customer import; CSV downloads of customers, the lists, history.

Same credentials as /graphql (the session cookie or an API token). Every cell that a
spreadsheet could take for a formula (it starts with = + - @, a tab or a carriage return)
is written with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from atrisk.db.database import Database
from atrisk.domain.accounts import Caller, Refusal
from atrisk.domain.changes import Entity
from atrisk.domain.money import format_money
from atrisk.graphql.http import challenge
from atrisk.graphql.permissions import UNAUTHENTICATED_MESSAGES
from atrisk.services import audit, customers, imports, picklists, reports
from atrisk.services.errors import ServiceError
from atrisk.settings import Settings
from atrisk.web.caller import bearer_token, caller_for

IMPORT_MAX_BYTES = 10 * 1024 * 1024
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PAGE = 200


def csv_cell(value: object) -> str:
    """A value as a CSV cell that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_line(cells: Iterable[object]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([csv_cell(cell) for cell in cells])
    return out.getvalue()


def _error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse(
        {"error": code, "message": message, **extra},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


async def _caller(request: Request) -> Caller | Response:
    db: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    caller = await caller_for(request, db, settings)
    if isinstance(caller, Refusal):
        response = _error(
            401, "UNAUTHENTICATED", UNAUTHENTICATED_MESSAGES[caller], reason=caller.value
        )
        response.headers["WWW-Authenticate"] = challenge(caller, bearer_token(request) is not None)
        return response
    return caller


def download(name: str, lines: AsyncIterator[str]) -> StreamingResponse:
    async def body() -> AsyncIterator[bytes]:
        yield "\ufeff".encode()  # so that spreadsheets read it as UTF-8
        async for line in lines:
            yield line.encode()

    filename = f"{name}-{date.today().isoformat()}.csv"
    return StreamingResponse(
        body(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


CUSTOMER_COLUMNS = ("account_number", "name", "email", "phone", "rmr", "status")


async def customers_csv(request: Request) -> Response:
    """Every customer of the company, in the import's own columns (so it imports again)."""
    caller = await _caller(request)
    if isinstance(caller, Response):
        return caller
    db: Database = request.app.state.db

    async def lines() -> AsyncIterator[str]:
        yield csv_line(CUSTOMER_COLUMNS)
        cursor = None
        while True:
            page = await customers.list_customers(
                db, caller.company_id, first=_PAGE, after_cursor=cursor
            )
            for row in page.nodes:
                yield csv_line(
                    (
                        row.account_number,
                        row.name,
                        row.email,
                        row.phone,
                        format_money(row.rmr_cents),
                        row.status.value,
                    )
                )
            if not page.has_next_page:
                return
            cursor = page.end_cursor

    return download("customers", lines())


ENTRY_COLUMNS = ("category", "name", "active", "position", "usage_count")


async def entries_csv(request: Request) -> Response:
    """The four lists, in display order, with how many cases and credits use each entry."""
    caller = await _caller(request)
    if isinstance(caller, Response):
        return caller
    db: Database = request.app.state.db
    rows = await picklists.list_entries(db, caller.company_id)
    async with db.read() as session:
        usage = await picklists.usage_counts(session, caller.company_id, [row.id for row in rows])

    async def lines() -> AsyncIterator[str]:
        yield csv_line(ENTRY_COLUMNS)
        for row in rows:
            yield csv_line(
                (row.category.label, row.name, row.active, row.position, usage.get(row.id, 0))
            )

    return download("at-risk-entries", lines())


REPORT_COLUMNS = (
    "key", "label", "opened", "saved", "lost", "withdrawn", "rmr_at_risk", "rmr_saved",
    "rmr_lost", "credited", "save_rate", "average_days_to_close",
)  # fmt: skip


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


async def retention_csv(request: Request) -> Response:
    """The retention report's rows and its totals, the same figures as the API's."""
    caller = await _caller(request)
    if isinstance(caller, Response):
        return caller
    query = request.query_params
    try:
        start = date.fromisoformat(query.get("from", ""))
        end = date.fromisoformat(query.get("to", ""))
        grouping = reports.Grouping(query.get("group_by", "").upper())
    except ValueError:
        return _error(
            400,
            "BAD_REQUEST",
            "Give from and to as dates (2026-01-31) and group_by as one of "
            + ", ".join(g.value for g in reports.Grouping)
            + ".",
        )
    db: Database = request.app.state.db
    try:
        report = await reports.retention_report(
            db, caller.company_id, caller.timezone, start, end, grouping
        )
    except ServiceError as error:
        return _error(400, "BAD_REQUEST", error.message)

    async def lines() -> AsyncIterator[str]:
        yield csv_line(REPORT_COLUMNS)
        for row in [*report.rows, report.totals]:
            yield csv_line(
                (
                    row.key,
                    row.label,
                    row.opened,
                    row.saved,
                    row.lost,
                    row.withdrawn,
                    format_money(row.rmr_at_risk),
                    format_money(row.rmr_saved),
                    format_money(row.rmr_lost),
                    format_money(row.credited),
                    _ratio(row.save_rate),
                    _ratio(row.average_days_to_close),
                )
            )

    return download(f"retention-{start.isoformat()}-{end.isoformat()}", lines())


HISTORY_COLUMNS = ("at", "actor", "action", "entity_type", "entity_id", "entity_label", "field",
                   "from", "to")  # fmt: skip


def _moment(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} must be a time like 2026-12-01T00:00:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def history_csv(request: Request) -> Response:
    """The company's log as the history page filters it (admins only): one line per changed
    field (an event without fields gets one line)."""
    caller = await _caller(request)
    if isinstance(caller, Response):
        return caller
    if not caller.is_admin:
        return _error(403, "FORBIDDEN", "Only a company admin may download the history.")
    query = request.query_params
    try:
        entity = Entity(query["entity_type"]) if query.get("entity_type") else None
        where = audit.EventFilter(
            entity=entity,
            entity_id=query.get("entity_id") or None,
            actor=query.get("actor") or None,
            since=_moment(query.get("from"), "from"),
            until=_moment(query.get("to"), "to"),
        )
    except ValueError as error:
        return _error(400, "BAD_REQUEST", str(error))
    db: Database = request.app.state.db

    async def lines() -> AsyncIterator[str]:
        yield csv_line(HISTORY_COLUMNS)
        cursor = None
        while True:
            page = await audit.list_events(
                db, caller.company_id, where, first=_PAGE, after_cursor=cursor
            )
            for event in page.nodes:
                head = (event.at.isoformat(), event.actor, event.action, event.entity_type,
                        event.entity_id, event.entity_label)  # fmt: skip
                fields = audit.fields_of(event)
                if not fields:
                    yield csv_line((*head, "", "", ""))
                for change in fields:
                    yield csv_line((*head, change.field, change.before, change.after))
            if not page.has_next_page:
                return
            cursor = page.end_cursor

    return download("history", lines())


async def _file(request: Request) -> bytes | Response:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "text/csv":
        return await request.body()
    if kind == "multipart/form-data":
        async with request.form(max_files=1, max_fields=5, max_part_size=IMPORT_MAX_BYTES) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                return _error(400, "NO_FILE", 'Send the CSV file in a form field named "file".')
            return await upload.read()
    return _error(415, "UNSUPPORTED_MEDIA_TYPE", "Send multipart/form-data or text/csv.")


def _yes(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


async def import_customers(request: Request) -> Response:
    caller = await _caller(request)
    if isinstance(caller, Response):
        return caller
    if not caller.works_cases:
        return _error(
            403, "FORBIDDEN", "Your access is read-only: only admins and agents import customers."
        )
    data = await _file(request)
    if isinstance(data, Response):
        return data
    db: Database = request.app.state.db
    try:
        report = await imports.import_customers(
            db,
            caller.company_id,
            caller.actor,
            data,
            dry_run=_yes(request.query_params.get("dry_run")),
        )
    except imports.ImportRefused as error:
        return _error(422, "INVALID_FILE", error.message, line=error.line, column=error.column)
    except ServiceError as error:
        return _error(422, "INVALID_FILE", error.message)
    return JSONResponse(
        {
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "dryRun": report.dry_run,
        },
        headers={"Cache-Control": "no-store"},
    )


routes: Sequence[Route] = [
    Route("/customers/import", import_customers, methods=["POST"]),
    Route("/customers.csv", customers_csv, methods=["GET"]),
    Route("/settings/at-risk-entries.csv", entries_csv, methods=["GET"]),
    Route("/settings/history.csv", history_csv, methods=["GET"]),
    Route("/reports/retention.csv", retention_csv, methods=["GET"]),
]
