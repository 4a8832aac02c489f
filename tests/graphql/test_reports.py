"""The retention report over GraphQL and as CSV: the same figures to the cent, only the
company's own cases, refusals for bad periods."""

from __future__ import annotations

import csv
import io

from tests.utils.cases_api import CasesApi
from tests.utils.graphql import Api, gql, post

ROW = (
    "key label opened saved lost withdrawn rmrAtRisk rmrSaved rmrLost credited saveRate "
    "averageDaysToClose"
)
REPORT = f"""query($from: Date!, $to: Date!, $groupBy: ReportGrouping!) {{
  retentionReport(from: $from, to: $to, groupBy: $groupBy) {{
    from to groupBy totals {{ {ROW} }} rows {{ {ROW} }}
    openNow {{ cases rmrAtRisk overdueFollowUps }}
  }}
}}"""
PERIOD = {"from": "2025-01-01", "to": "2030-12-31"}


async def some_cases(client, api: Api) -> None:
    cases_api = CasesApi(client)
    reason = (await api.add("REASON", "Price increase"))["id"]
    resolution = (await api.add("RESOLUTION", "Rate adjusted"))["id"]
    credit = (await api.add("CREDIT_REASON", "Month waived"))["id"]
    for name, rmr, end in (
        ("A", "49.90", "RESOLVED"),
        ("B", "30.05", "LOST"),
        ("C", "12.34", None),
    ):
        customer = await cases_api.create_customer(name=name, rmr=rmr)
        case = await cases_api.flag(customer["id"], reason)
        await cases_api.credit(case["id"], credit, "1.11")
        if end:
            await cases_api.close(
                case["id"],
                end,
                resolutionId=resolution,
                rmrRetained="40.00" if end == "RESOLVED" else None,
            )


async def test_the_api_and_the_csv_agree_to_the_cent(client, api: Api):
    await some_cases(client, api)
    data = await gql(client, REPORT, {**PERIOD, "groupBy": "REASON"})
    report = data["retentionReport"]
    assert report["totals"]["rmrAtRisk"] == "92.29"
    assert report["totals"]["rmrSaved"] == "40.00"
    assert report["totals"]["rmrLost"] == "39.95"  # 9.90 of the reduced save, 30.05 lost
    assert report["totals"]["credited"] == "3.33"
    assert report["totals"]["saveRate"] == 0.5
    assert report["openNow"] == {"cases": 1, "rmrAtRisk": "12.34", "overdueFollowUps": 0}
    download = await client.get(
        "/reports/retention.csv",
        params={"from": PERIOD["from"], "to": PERIOD["to"], "group_by": "REASON"},
    )
    assert download.status_code == 200
    lines = list(csv.DictReader(io.StringIO(download.text.lstrip("\ufeff"))))
    by_key = {line["key"]: line for line in lines}
    for row in [*report["rows"], report["totals"]]:
        line = by_key[row["key"]]
        assert (line["label"], int(line["opened"]), int(line["saved"]), int(line["lost"])) == (
            row["label"],
            row["opened"],
            row["saved"],
            row["lost"],
        )
        for name, column in (("rmrAtRisk", "rmr_at_risk"), ("rmrSaved", "rmr_saved"),
                             ("rmrLost", "rmr_lost"), ("credited", "credited")):  # fmt: skip
            assert line[column] == row[name]


async def test_another_company_sees_only_its_own(client, api: Api, other_client):
    await some_cases(client, api)
    theirs = await gql(other_client, REPORT, {**PERIOD, "groupBy": "ASSIGNEE"})
    assert theirs["retentionReport"]["rows"] == []
    assert theirs["retentionReport"]["totals"]["opened"] == 0
    assert theirs["retentionReport"]["openNow"]["cases"] == 0


async def test_bad_periods_are_clear_errors(client):
    backwards = await post(
        client, REPORT, {"from": "2026-05-01", "to": "2026-04-01", "groupBy": "MONTH"}
    )
    assert backwards["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "to"}
    not_a_date = await post(client, REPORT, {"from": "May", "to": "2026-04-01", "groupBy": "MONTH"})
    assert "Date" in not_a_date["errors"][0]["message"]
    csv_refused = await client.get("/reports/retention.csv", params={"from": "x"})
    assert csv_refused.status_code == 400
