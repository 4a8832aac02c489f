"""Files in and out: the customer import with hostile files, and the CSV downloads."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.utils.accounts import BASE_URL
from tests.utils.cases_api import CasesApi
from tests.utils.graphql import gql

HEADER = "account_number,name,email,phone,rmr,status\r\n"
ORIGIN = {"Origin": BASE_URL}


async def upload(client, body: bytes | str, *, dry_run: bool = False, as_form: bool = False):
    data = body.encode() if isinstance(body, str) else body
    params = {"dry_run": "1"} if dry_run else {}
    if as_form:
        return await client.post(
            "/customers/import",
            params=params,
            files={"file": ("customers.csv", data, "text/csv")},
            headers=ORIGIN,
        )
    return await client.post(
        "/customers/import",
        params=params,
        content=data,
        headers={"Content-Type": "text/csv", **ORIGIN},
    )


async def all_customers(client) -> list[dict[str, Any]]:
    data = await gql(
        client, "{ customers(first: 200) { nodes { accountNumber name email phone rmr status } } }"
    )
    nodes: list[dict[str, Any]] = data["customers"]["nodes"]
    return nodes


async def test_an_import_creates_then_updates_by_account_number(client):
    first = await upload(
        client,
        "\ufeff"
        + HEADER
        + "A-1,Jane Doe,jane@x.example,555 0100,49.90,\r\nA-2,John Smith,,,30,\r\n",
    )
    assert first.status_code == 200, first.text
    assert first.json() == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0, "dryRun": False}
    again = await upload(
        client,
        HEADER
        + "a-1,Jane Doe,jane@x.example,555 0100,59.90,\r\n"
        + "\r\n"  # blank rows, and one of only spaces, are passed over
        + " , ,,, ,\t\r\n"
        + "A-2,John Smith,,,30.00,cancelled\r\n"
        + "A-3,New One,,,0,\r\n",
    )
    assert again.json() == {"rows": 3, "created": 1, "updated": 2, "unchanged": 0, "dryRun": False}
    same = await upload(client, HEADER + "A-3,New One,,,0.00,ACTIVE\r\n")
    assert same.json()["unchanged"] == 1
    rows = {row["accountNumber"]: row for row in await all_customers(client)}
    # "a-1" found A-1 (compared case-folded) and is now written as the file writes it.
    assert rows["a-1"]["rmr"] == "59.90"
    assert rows["A-2"]["status"] == "CANCELLED"
    assert len(rows) == 3


async def test_a_dry_run_reports_and_writes_nothing(client):
    response = await upload(client, HEADER + "A-1,Jane,,,1.00,\r\n", dry_run=True)
    assert response.json() == {
        "rows": 1,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "dryRun": True,
    }
    assert await all_customers(client) == []


async def test_a_multipart_upload_works_too(client):
    response = await upload(client, HEADER + "A-1,Jane,,,1.00,\r\n", as_form=True)
    assert response.json()["created"] == 1


@pytest.mark.parametrize(
    ("body", "line", "column", "message"),
    [
        ("A-1,Jane,,,1e3,\r\n", 2, "rmr", "is not an amount"),
        ("A-1,Jane,,,-5,\r\n", 2, "rmr", "RMR must not be negative."),
        ("A-1,Jane,,,12.345,\r\n", 2, "rmr", "is not an amount"),
        (
            "A-1,Jane,,,1.00,\r\nA-2,John,,,2.00,\r\na-1,Janet,,,3.00,\r\n",
            4,
            "account_number",
            "is on line 3 too",
        ),
        ("A-1,,,,1.00,\r\n", 2, "name", "Name is required."),
        (",Jane,,,1.00,\r\n", 2, "account_number", "account number is required"),
        ("A-1,Jane,nope,,1.00,\r\n", 2, "email", "Email must look like"),
        ("A-1,Jane,,,1.00,MAYBE\r\n", 2, "status", "ACTIVE or CANCELLED"),
        ("A-1,Jane,,,1.00\r\n", 2, None, "the row has 5 cells, the header 6"),
    ],
)
async def test_a_bad_row_refuses_the_whole_file(client, body, line, column, message):
    response = await upload(client, HEADER + "Z-9,Fine Row,,,1.00,\r\n" + body)
    assert response.status_code == 422, response.text
    answer = response.json()
    assert answer["error"] == "INVALID_FILE"
    assert (answer["line"], answer["column"]) == (line + 1, column)
    assert message in answer["message"]
    assert answer["message"].startswith(f"Line {line + 1}")
    assert await all_customers(client) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "the file is empty"),
        (b"name,rmr\r\nJane,1\r\n", "missing: account_number"),
        (b"account_number,name,rmr,colour\r\n", "unknown: colour"),
        ("account_number,name,rmr\r\nA-1,Jos\u00e9,1\r\n".encode("latin-1"), "not UTF-8"),
        (b'account_number,name,rmr\r\nA-1,"Jane,1\r\n', "not valid CSV"),
    ],
)
async def test_a_file_that_is_not_the_import_is_refused(client, body, message):
    response = await upload(client, body)
    assert response.status_code == 422, response.text
    assert message in response.json()["message"]


async def test_formula_cells_are_imported_as_text_and_neutralised_on_the_way_out(client):
    response = await upload(client, HEADER + 'A-1,"=HYPERLINK(""http://evil"")",,,1.00,\r\n')
    assert response.status_code == 200, response.text
    [row] = await all_customers(client)
    assert row["name"] == '=HYPERLINK("http://evil")'
    download = await client.get("/customers.csv")
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in download.headers["content-disposition"]
    lines = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert lines[0] == ["account_number", "name", "email", "phone", "rmr", "status"]
    assert lines[1] == ["A-1", '\'=HYPERLINK("http://evil")', "", "", "1.00", "ACTIVE"]


async def test_the_download_imports_again_unchanged(client):
    await upload(
        client, HEADER + "A-1,Jane Doe,jane@x.example,555 0100,49.90,\r\nA-2,John,,,0,CANCELLED\r\n"
    )
    download = await client.get("/customers.csv")
    again = await upload(client, download.content)
    assert again.json() == {"rows": 2, "created": 0, "updated": 0, "unchanged": 2, "dryRun": False}


async def test_a_file_over_ten_megabytes_gets_413(client):
    response = await upload(client, HEADER + "x" * (10 * 1024 * 1024 + 1))
    assert response.status_code == 413


async def test_a_hundred_thousand_rows_import_exactly(client):
    rows = "".join(
        f"N-{number},Customer {number},,,{number % 100}.{number % 100:02d},\r\n"
        for number in range(100_000)
    )
    response = await upload(client, HEADER + rows)
    assert response.status_code == 200, response.text[:500]
    assert response.json()["created"] == 100_000
    data = await gql(client, '{ customers(search: "n-99999") { totalCount nodes { name rmr } } }')
    assert data["customers"]["nodes"] == [{"name": "Customer 99999", "rmr": "99.99"}]
    total = await gql(client, "{ customers(first: 1) { totalCount } }")
    assert total["customers"]["totalCount"] == 100_000


async def test_who_may_import_and_download(
    anonymous_client, viewer_client, token_client, agent_client, agent_token_client
):
    refused = await upload(anonymous_client, HEADER)
    assert refused.status_code == 401
    assert (await anonymous_client.get("/customers.csv")).status_code == 401
    for reader in (viewer_client, token_client):
        assert (await upload(reader, HEADER + "A-1,Jane,,,1,\r\n")).status_code == 403
        assert (await reader.get("/customers.csv")).status_code == 200
    assert (await upload(agent_client, HEADER + "A-1,Jane,,,1,\r\n")).json()["created"] == 1
    assert (await upload(agent_token_client, HEADER + "A-2,John,,,1,\r\n")).json()["created"] == 1


async def test_a_cross_site_upload_is_refused(client):
    response = await client.post(
        "/customers/import",
        content=(HEADER + "A-1,Jane,,,1,\r\n").encode(),
        headers={"Content-Type": "text/csv", "Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert await all_customers(client) == []


async def test_the_entries_download_has_usage_counts(client, api):
    reason = await api.add("REASON", "+1 price rise")
    cases_api = CasesApi(client)
    customer = await cases_api.create_customer(name="Jane")
    await cases_api.flag(customer["id"], reason["id"])
    download = await client.get("/settings/at-risk-entries.csv")
    lines = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff"))))
    assert lines == [
        ["category", "name", "active", "position", "usage_count"],
        ["Reason", "'+1 price rise", "True", "1", "1"],
    ]


async def test_another_companys_download_shows_only_its_own(client, other_client):
    await upload(client, HEADER + "A-1,Jane,,,1,\r\n")
    download = await other_client.get("/customers.csv")
    assert download.text.lstrip("\ufeff").splitlines() == [
        "account_number,name,email,phone,rmr,status"
    ]
