"""The Reports page: the same numbers as the API and the CSV, to the cent; period and
grouping in the address; the group links; empty, loading and failure states; a 375 px
screen, the keyboard and the page's strict policy."""

from __future__ import annotations

import csv
import io
import re
import secrets
import sqlite3
import subprocess
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Locator, Page, Request, Route, expect

from tests.utils.accounts import COMPANY, PASSWORD, VIEWER_EMAIL
from tests.utils.browser import graphql, sign_in
from tests.utils.cases_api import CLOSE, CREATE_CUSTOMER, FLAG, REOPEN
from tests.utils.graphql import ADD
from tests.utils.server import ATRISK, Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts"
ROW = (
    "key label opened saved lost withdrawn rmrAtRisk rmrSaved rmrLost credited saveRate "
    "averageDaysToClose"
)
REPORT = f"""
query($from: Date!, $to: Date!, $groupBy: ReportGrouping!) {{
  retentionReport(from: $from, to: $to, groupBy: $groupBy) {{
    from to groupBy totals {{ {ROW} }} rows {{ {ROW} }}
    openNow {{ cases rmrAtRisk overdueFollowUps }}
  }}
}}"""
ADD_CREDIT = """
mutation($input: AddCreditInput!) { addCredit(input: $input) { __typename } }"""
ME = "{ me { userId company { timezone currency } } }"
MONEY_FIELDS = ("rmrAtRisk", "rmrSaved", "rmrLost", "credited")
COUNT_FIELDS = ("opened", "saved", "lost", "withdrawn")
GROUPINGS = ["REASON", "CAUSE", "RESOLUTION", "CREDIT_REASON", "RISK_LEVEL", "ASSIGNEE", "MONTH"]
FILTERS = {
    "REASON": "reason",
    "CAUSE": "cause",
    "RESOLUTION": "resolution",
    "CREDIT_REASON": "creditReason",
    "RISK_LEVEL": "risk",
    "ASSIGNEE": "assignedTo",
}
EVERY_STATUS = "OPEN,MITIGATED,RESOLVED,LOST,CANCELLED"


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """An English (US) browser, so that the page writes "$1,234.50" as the checks do."""
    return {**browser_context_args, "locale": "en-US", "timezone_id": "Europe/Berlin"}


# The figures, as a reader of the page reads them.


def money(amount: str) -> str:
    value = Decimal(amount)
    return f"{'-' if value < 0 else ''}${abs(value):,.2f}"


def rate(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{round(value * 100, 1):g}%"


def average(value: float | None) -> str:
    return "—" if value is None else f"{round(value, 1):g}"


def cells(row: dict[str, Any]) -> list[str]:
    """A row of the group table as the page must write it, from the API's row."""
    return [
        str(row["opened"]),
        money(row["rmrAtRisk"]),
        str(row["saved"]),
        money(row["rmrSaved"]),
        str(row["lost"]),
        money(row["rmrLost"]),
        str(row["withdrawn"]),
        money(row["credited"]),
        rate(row["saveRate"]),
        average(row["averageDaysToClose"]),
    ]


def cents(amount: str | float) -> int:
    return int((Decimal(str(amount)) * 100).to_integral_value())


# The seeded company: cases with known figures, through the API.


def _entry(server: Server, category: str, name: str | None = None) -> str:
    name = name or f"{category.title()} {secrets.token_hex(3)}"
    variables = {"input": {"category": category, "name": name, "active": True}}
    entry = graphql(server, ADD, variables)["addAtRiskEntry"]
    assert entry["__typename"] == "AtRiskEntry", entry
    return str(entry["id"])


def _one(server: Server, document: str, field: str, payload: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = graphql(server, document, {"input": payload})[field]
    assert result["__typename"] not in {"ValidationError", "NotFoundError"}, result
    return result


def _flag(server: Server, rmr: str, reason: str, risk: str, **values: Any) -> str:
    customer = _one(
        server,
        CREATE_CUSTOMER,
        "createCustomer",
        {"name": f"Customer {secrets.token_hex(3)}", "rmr": rmr},
    )
    case = _one(
        server,
        FLAG,
        "flagCustomerAtRisk",
        {"customerId": customer["id"], "reasonId": reason, "riskLevel": risk, **values},
    )
    return str(case["id"])


def _close(server: Server, case_id: str, status: str, **values: Any) -> None:
    _one(server, CLOSE, "closeAtRiskCase", {"id": case_id, "status": status, **values})


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@pytest.fixture(scope="module")
def seeded(server: Server) -> dict[str, Any]:
    """Five cases over the last 60 days (the company is in UTC):

    c1  RMR 120.50, R1, HIGH, assigned to the admin: saved at a reduced rate, 99.75
        retained; a credit of 15.10 (CR1)
    c2  RMR 80.00, R1, MEDIUM: lost
    c3  RMR 45.99, R2 (a long name) and cause C1, LOW, reported 45 days ago: open, its
        follow-up passes
    c4  RMR 30.00, R2: withdrawn (cancelled)
    c5  RMR 10.00, R1: saved, then reopened (so opened in the period, closed not)
    """
    me = graphql(server, ME)["me"]
    # R2's name is one long word, as a narrow screen least likes it.
    r1, r2 = (
        _entry(server, "REASON"),
        _entry(server, "REASON", "Unbroken" * 11 + secrets.token_hex(2)),
    )
    c1 = _entry(server, "CAUSE")
    s1, s2 = _entry(server, "RESOLUTION"), _entry(server, "RESOLUTION")
    cr1 = _entry(server, "CREDIT_REASON")
    now = datetime.now(UTC)

    first = _flag(server, "120.50", r1, "HIGH", assignedToId=me["userId"])
    graphql(
        server, ADD_CREDIT, {"input": {"caseId": first, "amount": "15.10", "creditReasonId": cr1}}
    )
    _close(server, first, "RESOLVED", resolutionId=s1, rmrRetained="99.75")
    _close(server, _flag(server, "80.00", r1, "MEDIUM"), "LOST", resolutionId=s2)
    follow_up = now + timedelta(seconds=3)
    _flag(
        server,
        "45.99",
        r2,
        "LOW",
        causeId=c1,
        reportedAt=iso(now - timedelta(days=45)),
        followUpAt=iso(follow_up),
    )
    _close(server, _flag(server, "30.00", r2, "MEDIUM"), "CANCELLED")
    fifth = _flag(server, "10.00", r1, "MEDIUM")
    _close(server, fifth, "RESOLVED", resolutionId=s1)
    _one(server, REOPEN, "reopenAtRiskCase", {"id": fifth})
    # The follow-up is overdue from now on.
    time.sleep(max(0.0, (follow_up - datetime.now(UTC)).total_seconds() + 0.5))

    today = datetime.now(UTC).date()
    return {
        "from": (today - timedelta(days=60)).isoformat(),
        "to": today.isoformat(),
        "r1": r1,
        "r2": r2,
        "admin": me["userId"],
    }


def report(server: Server, start: str, end: str, grouping: str) -> dict[str, Any]:
    data: dict[str, Any] = graphql(server, REPORT, {"from": start, "to": end, "groupBy": grouping})[
        "retentionReport"
    ]
    return data


def csv_rows(page: Page) -> list[dict[str, str]]:
    """The rows of the file behind "Download CSV", fetched with the page's own session."""
    href = download_link(page).get_attribute("href")
    assert href is not None
    response = page.request.get(page.url.split("/reports")[0] + href)
    assert response.ok, response.status
    return list(csv.DictReader(io.StringIO(response.text().lstrip("\ufeff"))))


# The page.


def open_reports(page: Page, server: Server, query: str = "", *, email: str | None = None) -> None:
    if email is None:
        sign_in(page, server)
    else:
        sign_in(page, server, email)
    page.goto(f"{server.base_url}/reports{query}")
    expect_loaded(page)


def expect_loaded(page: Page) -> None:
    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")


def tile(page: Page, label: str) -> Locator:
    return page.locator(".report-tile").filter(
        has=page.get_by_role("term").filter(has_text=re.compile(f"^{re.escape(label)}$"))
    )


def tile_value(page: Page, label: str) -> str:
    return tile(page, label).locator(".report-tile-value").inner_text()


def group_table(page: Page) -> Locator:
    return page.get_by_role("table", name=re.compile("^By "))


def trend_table(page: Page) -> Locator:
    return page.get_by_role("table", name=re.compile("^Month by month"))


def body_rows(table: Locator) -> list[list[str]]:
    rows = table.locator("tbody tr")
    return [
        [cell.strip() for cell in rows.nth(i).locator("th, td").all_inner_texts()]
        for i in range(rows.count())
    ]


def download_link(page: Page) -> Locator:
    return page.get_by_role("link", name="Download CSV")


def chart_data(page: Page, chart_id: str) -> dict[str, Any]:
    """The labels and series the chart instance draws, read from Chart.js itself."""
    page.wait_for_function(
        """async (id) => {
          const { Chart } = await import('/vendor/chart-4.6.1.module.js');
          const canvas = document.getElementById(id);
          return canvas !== null && Chart.getChart(canvas) !== undefined;
        }""",
        arg=chart_id,
    )
    data: dict[str, Any] = page.evaluate(
        """async (id) => {
          const { Chart } = await import('/vendor/chart-4.6.1.module.js');
          const chart = Chart.getChart(document.getElementById(id));
          return {
            type: chart.config.type,
            labels: chart.data.labels,
            series: chart.data.datasets.map((set) => ({ label: set.label, data: set.data })),
          };
        }""",
        chart_id,
    )
    return data


def month_keys(start: str, end: str) -> list[str]:
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    keys, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


# The same numbers everywhere.


def test_the_tiles_tables_charts_and_csv_agree_with_the_api_to_the_cent(
    page: Page, server: Server, seeded: dict[str, Any]
) -> None:
    start, end = seeded["from"], seeded["to"]
    api = report(server, start, end, "REASON")
    totals = api["totals"]
    # The API has the hand-counted figures (see `seeded`).
    assert {field: totals[field] for field in (*COUNT_FIELDS, *MONEY_FIELDS)} == {
        "opened": 5, "saved": 1, "lost": 1, "withdrawn": 1, "rmrAtRisk": "286.49",
        "rmrSaved": "99.75", "rmrLost": "100.75", "credited": "15.10",
    }  # fmt: skip
    assert totals["saveRate"] == 0.5
    assert api["openNow"] == {"cases": 2, "rmrAtRisk": "55.99", "overdueFollowUps": 1}
    by_key = {row["key"]: row for row in api["rows"]}
    assert by_key[seeded["r1"]]["rmrAtRisk"] == "210.50"
    assert by_key[seeded["r1"]]["rmrLost"] == "100.75"
    assert by_key[seeded["r2"]]["rmrAtRisk"] == "75.99"

    open_reports(page, server, f"?period=custom&from={start}&to={end}")

    # Tiles.
    assert tile_value(page, "RMR at risk") == money(totals["rmrAtRisk"]) == "$286.49"
    assert tile_value(page, "RMR saved") == money(totals["rmrSaved"]) == "$99.75"
    assert tile_value(page, "RMR lost") == money(totals["rmrLost"]) == "$100.75"
    assert tile_value(page, "Save rate") == rate(totals["saveRate"]) == "50%"
    assert tile_value(page, "Credits") == money(totals["credited"]) == "$15.10"
    assert tile_value(page, "Average days to close") == average(totals["averageDaysToClose"])
    assert tile_value(page, "Open cases") == "2"
    assert tile_value(page, "Their RMR at risk") == "$55.99"
    assert tile_value(page, "Overdue follow-ups") == "1"

    # The group table: every row of the API, in its order, every figure; the totals below.
    table = group_table(page)
    expect(table).to_be_visible()
    assert body_rows(table) == [[row["label"], *cells(row)] for row in api["rows"]]
    footer = table.locator("tfoot tr th, tfoot tr td").all_inner_texts()
    assert [cell.strip() for cell in footer] == ["Total", *cells(totals)]

    # The bar chart: the same groups, RMR saved and lost to the cent.
    bars = chart_data(page, "group-chart")
    assert bars["type"] == "bar"
    assert bars["labels"] == [row["label"] for row in api["rows"]]
    saved, lost = bars["series"]
    assert (saved["label"], lost["label"]) == ("RMR saved", "RMR lost")
    assert [cents(v) for v in saved["data"]] == [cents(r["rmrSaved"]) for r in api["rows"]]
    assert [cents(v) for v in lost["data"]] == [cents(r["rmrLost"]) for r in api["rows"]]

    # The trend: every month of the period, the API's MONTH rows or zeros.
    trend = report(server, start, end, "MONTH")
    months = {row["key"]: row for row in trend["rows"]}
    keys = month_keys(start, end)
    zero = {
        "opened": 0,
        "saved": 0,
        "lost": 0,
        "rmrAtRisk": "0.00",
        "rmrSaved": "0.00",
        "rmrLost": "0.00",
    }
    expected = [months.get(key, zero) for key in keys]
    line = chart_data(page, "trend-chart")
    assert line["type"] == "line"
    assert len(line["labels"]) == len(keys)
    assert [s["label"] for s in line["series"]] == ["RMR at risk", "RMR saved", "RMR lost"]
    for series, field in zip(line["series"], ("rmrAtRisk", "rmrSaved", "rmrLost"), strict=True):
        assert [cents(v) for v in series["data"]] == [cents(row[field]) for row in expected]
    trend_rows = body_rows(trend_table(page))
    assert [row[1:] for row in trend_rows] == [
        [str(r["opened"]), money(r["rmrAtRisk"]), str(r["saved"]), money(r["rmrSaved"]),
         str(r["lost"]), money(r["rmrLost"])]
        for r in expected
    ]  # fmt: skip
    assert sum(cents(r["rmrAtRisk"]) for r in trend["rows"]) == cents(totals["rmrAtRisk"])

    # The CSV behind the link: the same rows and totals, to the cent.
    link = download_link(page)
    assert parse_qs(urlsplit(link.get_attribute("href") or "").query) == {
        "from": [start], "to": [end], "group_by": ["REASON"],
    }  # fmt: skip
    rows = csv_rows(page)
    assert [row["key"] for row in rows] == [*(r["key"] for r in api["rows"]), "total"]
    with page.expect_download() as download:
        link.click()
    assert re.fullmatch(
        rf"retention-{start}-{end}-\d{{4}}-\d{{2}}-\d{{2}}\.csv", download.value.suggested_filename
    )
    saved_file = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert list(csv.DictReader(io.StringIO(saved_file))) == rows
    columns = ("rmr_at_risk", "rmr_saved", "rmr_lost", "credited")
    for line, row in zip(rows, [*api["rows"], totals], strict=True):
        assert line["label"] == row["label"]
        assert [int(line[field]) for field in COUNT_FIELDS] == [row[f] for f in COUNT_FIELDS]
        assert [line[column] for column in columns] == [row[f] for f in MONEY_FIELDS]
    # ... and so the same as the page's table.
    shown = [*body_rows(table), [cell.strip() for cell in footer]]
    for line, written in zip(rows, shown, strict=True):
        assert [money(line[column]) for column in columns] == [
            written[2],
            written[4],
            written[6],
            written[8],
        ]


@pytest.mark.parametrize("grouping", GROUPINGS)
def test_each_group_opens_the_cases_behind_it(
    page: Page, server: Server, seeded: dict[str, Any], grouping: str
) -> None:
    start, end = seeded["from"], seeded["to"]
    api = report(server, start, end, grouping)
    assert api["rows"], grouping
    query = f"?period=custom&from={start}&to={end}" + (
        "" if grouping == "REASON" else f"&group={grouping}"
    )
    open_reports(page, server, query)
    table = group_table(page)
    expect(table.locator("tbody tr")).to_have_count(len(api["rows"]))
    assert body_rows(table) == [[row["label"], *cells(row)] for row in api["rows"]]
    for row in api["rows"]:
        link = table.get_by_role("link", name=f"{row['label']}: open its cases", exact=True)
        if row["key"] == "none" and grouping != "ASSIGNEE":
            # No cause, no resolution: the queue has no filter for them, so no link.
            expect(link).to_have_count(0)
            expect(table.get_by_role("rowheader", name=row["label"], exact=True)).to_be_visible()
            continue
        href = link.get_attribute("href") or ""
        parts = urlsplit(href)
        assert parts.path == "/cases"
        params = parse_qs(parts.query)
        assert params.pop("status") == [EVERY_STATUS]
        if grouping == "MONTH":
            first = max(date.fromisoformat(f"{row['key']}-01"), date.fromisoformat(start))
            assert params.pop("from") == [first.isoformat()]
            assert params.pop("to")[0] <= end
        else:
            assert params.pop("from") == [start]
            assert params.pop("to") == [end]
            if row["key"] == "none":
                assert params.pop("unassigned") == ["1"]
            else:
                assert params.pop(FILTERS[grouping]) == [row["key"]]
        assert params == {}
    if grouping in {"CAUSE", "RESOLUTION", "ASSIGNEE"}:
        assert "none" in {row["key"] for row in api["rows"]}  # the seeds have such cases
    if grouping == "ASSIGNEE":
        assert seeded["admin"] in {row["key"] for row in api["rows"]}
    # A group link is followed inside the app, without a reload.
    page.evaluate("window.stillHere = true")
    table.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/cases\?"))
    assert page.evaluate("window.stillHere") is True


def test_grouping_and_period_live_in_the_address_and_survive_a_reload(
    page: Page, server: Server, seeded: dict[str, Any]
) -> None:
    open_reports(page, server)
    period = page.get_by_role("combobox", name="Period")
    group = page.get_by_role("combobox", name="Group by")
    expect(period).to_have_value("this-month")
    expect(group).to_have_value("REASON")
    today = date.fromisoformat(seeded["to"])
    first = today.replace(day=1).isoformat()
    assert parse_qs(urlsplit(download_link(page).get_attribute("href") or "").query) == {
        "from": [first], "to": [today.isoformat()], "group_by": ["REASON"],
    }  # fmt: skip

    group.select_option("RISK_LEVEL")
    expect(page).to_have_url(re.compile(r"[?&]group=RISK_LEVEL"))
    expect(group_table(page).locator("thead th").first).to_have_text("Risk level")
    period.select_option("last-month")
    expect(page).to_have_url(re.compile(r"[?&]period=last-month"))
    last = today.replace(day=1) - timedelta(days=1)
    expect(download_link(page)).to_have_attribute(
        "href",
        f"/reports/retention.csv?from={last.replace(day=1)}&to={last}&group_by=RISK_LEVEL",
    )
    page.reload()
    expect_loaded(page)
    expect(period).to_have_value("last-month")
    expect(group).to_have_value("RISK_LEVEL")
    expect(download_link(page)).to_have_attribute(
        "href",
        f"/reports/retention.csv?from={last.replace(day=1)}&to={last}&group_by=RISK_LEVEL",
    )

    # A custom period starts from the days shown, then takes the days typed.
    period.select_option("custom")
    expect(page).to_have_url(re.compile(rf"period=custom.*from={last.replace(day=1)}"))
    page.get_by_label("From", exact=True).fill(seeded["from"])
    page.get_by_label("To", exact=True).fill(seeded["to"])
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"from={seeded['from']}&to={seeded['to']}"))
    api = report(server, seeded["from"], seeded["to"], "RISK_LEVEL")
    expect(group_table(page).locator("tbody tr")).to_have_count(len(api["rows"]))
    page.reload()
    expect_loaded(page)
    expect(period).to_have_value("custom")
    expect(page.get_by_label("From", exact=True)).to_have_value(seeded["from"])
    assert body_rows(group_table(page)) == [[row["label"], *cells(row)] for row in api["rows"]]

    # Back returns to the period before.
    page.go_back()
    expect(period).to_have_value("custom")
    page.go_back()
    expect(period).to_have_value("last-month")


def test_a_custom_period_that_cannot_be_shown_is_refused_next_to_its_field(
    page: Page, server: Server, seeded: dict[str, Any]
) -> None:
    start, end = seeded["from"], seeded["to"]
    open_reports(page, server, f"?period=custom&from={start}&to={end}")
    # Any read of another period than the one shown counts (the shown one may be read again
    # when live updates connect).
    asked: list[str] = []

    def on_request(request: Request) -> None:
        if request.url.endswith("/graphql"):
            variables = (request.post_data_json or {}).get("variables") or {}
            if (variables.get("from"), variables.get("to")) != (start, end):
                asked.append(request.post_data or "")

    page.on("request", on_request)
    to = page.get_by_label("To", exact=True)
    to.fill("2001-01-01")
    page.get_by_role("button", name="Show").click()
    expect(to).to_have_attribute("aria-invalid", "true")
    expect(to).to_be_focused()
    expect(to).to_have_accessible_description(re.compile("ends before it starts"))
    page.get_by_label("From", exact=True).fill("")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_label("From", exact=True)).to_have_accessible_description(
        "Enter the first day of the period."
    )
    assert asked == []
    assert f"from={start}&to={end}" in page.url  # the report shown is still the one asked

    # A period that cannot be shown, in the address: the same errors, no request, no file.
    page.goto(f"{server.base_url}/reports?period=custom&from=2026-02-30&to={end}")
    expect(page.get_by_label("From", exact=True)).to_have_accessible_description(
        re.compile("real date")
    )
    expect(download_link(page)).to_have_count(0)
    expect(page.get_by_role("table")).to_have_count(0)


def test_an_empty_period_says_so_and_draws_no_chart(
    page: Page, server: Server, seeded: dict[str, Any]
) -> None:
    open_reports(page, server, "?period=custom&from=2001-01-01&to=2001-03-31")
    expect(page.get_by_role("heading", name="Nothing in this period")).to_be_visible()
    expect(page.locator("canvas")).to_have_count(0)
    expect(page.get_by_role("table")).to_have_count(0)
    assert tile_value(page, "RMR at risk") == "$0.00"
    assert tile_value(page, "Save rate") == "—"
    assert tile_value(page, "Open cases") == "2"  # what is open now does not depend on the period
    expect(download_link(page)).to_be_visible()


def test_loading_and_a_failure_with_retry(
    page: Page, server: Server, seeded: dict[str, Any], browser_errors: list[str]
) -> None:
    failures = {"left": 1}
    held: list[Route] = []

    def flaky(route: Route) -> None:
        if "RetentionReport" not in (route.request.post_data or ""):
            route.continue_()
        elif failures["left"] > 0:
            failures["left"] -= 1
            route.abort("connectionrefused")
        else:
            held.append(route)

    sign_in(page, server)
    page.route(f"{server.base_url}/graphql", flaky)
    page.goto(f"{server.base_url}/reports?period=custom&from={seeded['from']}&to={seeded['to']}")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("server could not be reached")
    page.get_by_role("button", name="Retry").click()
    expect(page.get_by_text("Loading the report…")).to_be_visible()
    expect(page.get_by_role("main")).to_have_attribute("aria-busy", "true")
    while not held:
        page.wait_for_timeout(50)
    held[0].continue_()
    expect_loaded(page)
    expect(alert).to_have_count(0)
    expect(group_table(page)).to_be_visible()
    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_focused()
    browser_errors[:] = [e for e in browser_errors if "ERR_CONNECTION_REFUSED" not in e]


def test_the_page_fits_375_pixels_works_by_keyboard_and_keeps_the_policy(
    page: Page, server: Server, seeded: dict[str, Any]
) -> None:
    page.add_init_script(
        "window.violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (event) => window.violations.push(event.violatedDirective));"
    )
    page.set_viewport_size({"width": 375, "height": 800})
    open_reports(page, server, f"?period=custom&from={seeded['from']}&to={seeded['to']}")
    chart_data(page, "group-chart")
    chart_data(page, "trend-chart")
    assert (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )
    for part in (
        page.get_by_role("combobox", name="Period"),
        page.get_by_role("combobox", name="Group by"),
        download_link(page),
        page.locator("#group-chart"),
        page.locator("#trend-chart"),
        *[page.locator(".report-tile").nth(i) for i in range(page.locator(".report-tile").count())],
    ):
        box = part.bounding_box()
        assert box is not None
        assert box["x"] >= 0, part
        assert box["x"] + box["width"] <= 375, part
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "reports-375.png", full_page=True)

    # Keyboard only: to the grouping, change it, into the table's frame, to a group's link.
    page.get_by_role("combobox", name="Period").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("combobox", name="Group by")).to_be_focused()
    page.keyboard.press("ArrowDown")  # Reason → Cause
    expect(page).to_have_url(re.compile(r"[?&]group=CAUSE"))
    expect(group_table(page).locator("thead th").first).to_have_text("Cause")
    frame = page.get_by_role("region", name=re.compile("^By cause"))
    for _ in range(12):
        page.keyboard.press("Tab")
        if frame.evaluate("node => node === document.activeElement"):
            break
    expect(frame).to_be_focused()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused.startswith("/cases?cause=")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/cases\?cause="))
    assert page.evaluate("window.violations") == []

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server.base_url}/reports?period=custom&from={seeded['from']}&to={seeded['to']}")
    expect_loaded(page)
    chart_data(page, "trend-chart")
    page.wait_for_timeout(400)  # the charts' short animation
    page.screenshot(path=SCREENSHOTS / "reports-1280.png", full_page=True)
    assert page.evaluate("window.violations") == []


def _agent(server: Server) -> str:
    email = f"agent-{secrets.token_hex(3)}@acme.example"
    result = subprocess.run(
        [str(ATRISK), "create-user", "--company", COMPANY, "--email", email, "--role", "agent",
         "--password", PASSWORD],
        env=server.env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return email


@pytest.mark.parametrize("role", ["viewer", "agent"])
def test_viewers_and_agents_read_the_report(
    page: Page, server: Server, seeded: dict[str, Any], role: str
) -> None:
    email = VIEWER_EMAIL if role == "viewer" else _agent(server)
    open_reports(
        page, server, f"?period=custom&from={seeded['from']}&to={seeded['to']}", email=email
    )
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Reports")).to_have_attribute("aria-current", "page")
    assert tile_value(page, "RMR at risk") == "$286.49"
    rows = csv_rows(page)
    assert rows[-1]["rmr_at_risk"] == "286.49"


@pytest.fixture
def auckland(fresh_server: Server) -> Server:
    """A company of its own in Pacific/Auckland (written in its database: the settings
    screen that changes it is another page's)."""
    url = fresh_server.env["DATABASE_URL"]
    path = url.split("///", 1)[1].split("?", 1)[0]
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE companies SET timezone = 'Pacific/Auckland'")
    return fresh_server


def test_the_named_periods_are_days_in_the_companys_time_zone(page: Page, auckland: Server) -> None:
    # 11:30 UTC on 31 March 2026 is 00:30 on 1 April in Auckland (NZDT, UTC+13): a new
    # month and a new quarter there, still March in UTC and in the browser's Berlin.
    page.clock.set_fixed_time(datetime(2026, 3, 31, 11, 30, tzinfo=UTC))
    open_reports(page, auckland)
    expect(page.get_by_text("Time zone: Pacific/Auckland")).to_be_visible()
    link = download_link(page)
    expected = {
        "this-month": ("2026-04-01", "2026-04-01"),
        "last-month": ("2026-03-01", "2026-03-31"),
        "this-quarter": ("2026-04-01", "2026-04-01"),
        "last-12-months": ("2025-05-01", "2026-04-01"),
    }
    period = page.get_by_role("combobox", name="Period")
    for name, (start, end) in expected.items():
        period.select_option(name)
        expect(link).to_have_attribute(
            "href", f"/reports/retention.csv?from={start}&to={end}&group_by=REASON"
        )
    expect(page.get_by_role("heading", name="Nothing in this period")).to_be_visible()
    # Twelve months of trend on an empty company: no chart at all, rather than a flat one.
    expect(page.locator("canvas")).to_have_count(0)


def test_a_period_chosen_while_a_live_reload_waits_is_the_one_shown(
    page: Page, fresh_server: Server
) -> None:
    # Live updates open with a "reload what you show" that the page waits 250 ms to act on.
    # A period chosen in that moment is the one read when the wait ends, not the one the
    # page showed when the message came. The page's clock stands still but for the steps.
    sign_in(page, fresh_server)
    page.clock.install(time=datetime.now(UTC))
    page.clock.pause_at(datetime.now(UTC) + timedelta(minutes=1))
    page.goto(f"{fresh_server.base_url}/reports?period=last-month")
    main = page.get_by_role("main")
    for _ in range(100):
        page.clock.run_for(50)
        if (
            page.get_by_text("Live", exact=True).is_visible()
            and main.get_attribute("aria-busy") != "true"
        ):
            break
    expect(page.get_by_text("Live", exact=True)).to_be_visible()
    page.wait_for_timeout(500)  # the opening message is in; its 250 ms wait has not passed
    page.get_by_role("combobox", name="Period").select_option("this-quarter")
    page.clock.run_for(50)  # the new period is asked for...
    expect(main).not_to_have_attribute("aria-busy", "true")  # ...and answered
    with page.expect_response(lambda response: response.url.endswith("/graphql")) as reread:
        page.clock.run_for(1000)  # then the wait ends: the report is read again...
    variables = (reread.value.request.post_data_json or {})["variables"]
    shown = download_link(page).get_attribute("href") or ""
    assert f"from={variables['from']}&to={variables['to']}&" in shown  # ...as it is shown now
    expect(page.get_by_role("heading", name="Nothing in this period")).to_be_visible()
    expect(main).not_to_have_attribute("aria-busy", "true")


def test_a_grouping_without_groups_in_a_busy_period_says_so(
    page: Page, server: Server, seeded: dict[str, Any]
) -> None:
    # Only c3 (reported 45 days ago, open, no credit) falls in these days.
    today = date.fromisoformat(seeded["to"])
    start, end = (today - timedelta(days=50)).isoformat(), (today - timedelta(days=40)).isoformat()
    api = report(server, start, end, "CREDIT_REASON")
    assert api["totals"]["opened"] == 1
    assert api["rows"] == []
    open_reports(page, server, f"?period=custom&from={start}&to={end}&group=CREDIT_REASON")
    expect(page.get_by_text("No credit reason has figures in this period.")).to_be_visible()
    expect(page.locator("#group-chart")).to_have_count(0)
    assert tile_value(page, "RMR at risk") == "$45.99"
    expect(trend_table(page)).to_be_visible()  # the months still have their figures


def test_without_the_chart_library_the_tables_still_have_the_numbers(
    page: Page, server: Server, seeded: dict[str, Any], browser_errors: list[str]
) -> None:
    sign_in(page, server)
    page.route("**/vendor/chart-*.js", lambda route: route.abort("connectionrefused"))
    page.goto(f"{server.base_url}/reports?period=custom&from={seeded['from']}&to={seeded['to']}")
    expect_loaded(page)
    notes = page.get_by_text("The chart could not be drawn; the table has the same numbers.")
    expect(notes).to_have_count(2)
    api = report(server, seeded["from"], seeded["to"], "REASON")
    assert body_rows(group_table(page)) == [[row["label"], *cells(row)] for row in api["rows"]]
    browser_errors[:] = [e for e in browser_errors if "ERR_CONNECTION_REFUSED" not in e]


def test_a_signed_out_visitor_signs_in_and_gets_the_report_asked_for(
    page: Page, server: Server, seeded: dict[str, Any], browser_errors: list[str]
) -> None:
    query = f"?period=custom&from={seeded['from']}&to={seeded['to']}&group=RISK_LEVEL"
    page.goto(f"{server.base_url}/reports{query}")
    form = page.get_by_role("region", name="Sign in")
    expect(form).to_be_visible()
    expect(page.locator(".report-tile")).to_have_count(0)
    browser_errors[:] = [e for e in browser_errors if "status of 401" not in e]  # asked, refused
    form.get_by_role("textbox", name="Email").fill(VIEWER_EMAIL)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    expect_loaded(page)
    assert page.url.endswith(f"/reports{query}")
    api = report(server, seeded["from"], seeded["to"], "RISK_LEVEL")
    expect(group_table(page).locator("tbody tr")).to_have_count(len(api["rows"]))
    assert body_rows(group_table(page)) == [[row["label"], *cells(row)] for row in api["rows"]]
