"""The customers: search and status in the address, adding one, the CSV import (a dry run
first; a bad row named by its line), the download, and a conflict that keeps typed text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.utils.browser import graphql, sign_in
from tests.utils.cases_api import CUSTOMER, UPDATE_CUSTOMER
from tests.utils.pages.cases import dialog, fits, new_customer, ready, shoot, token
from tests.utils.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]


def open_path(page: Page, server: Server, path: str, width: int = 1280) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, server)
    page.goto(server.base_url + path)
    ready(page)


def customers_table(page: Page) -> Locator:
    return page.get_by_role("table", name="Customers")


@pytest.mark.parametrize("width", [1280, 375])
def test_search_and_status_live_in_the_address(page: Page, server: Server, width: int) -> None:
    mark = token()
    new_customer(server, f"Zed{mark} Alpha", accountNumber=f"ZA-{mark}")
    new_customer(server, f"Zed{mark} Beta")
    open_path(page, server, "/customers", width)
    search = page.get_by_role("searchbox", name="Search")
    search.fill(f"zed{mark}")
    expect(page).to_have_url(re.compile(rf"q=zed{mark}"))
    rows = customers_table(page).get_by_role("rowheader")
    expect(rows).to_have_count(2)
    fits(page)
    shoot(page, "customers")

    page.reload()
    ready(page)
    expect(page.get_by_role("searchbox", name="Search")).to_have_value(f"zed{mark}")
    expect(rows).to_have_count(2)
    # An account number matches by its start too.
    search.fill(f"za-{mark}")
    expect(page).to_have_url(re.compile(rf"q=za-{mark}"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_text(f"Zed{mark} Alpha")
    page.get_by_role("radio", name="Cancelled").check()
    expect(page).to_have_url(re.compile("status=CANCELLED"))
    expect(page.get_by_text("No customer’s name or account number starts with")).to_be_visible()
    page.go_back()
    expect(page.get_by_role("radio", name="All")).to_be_checked()
    expect(rows).to_have_count(1)
    expect(page.get_by_role("link", name="Download CSV")).to_have_attribute(
        "href", "/customers.csv"
    )


def test_add_a_customer_and_refused_fields_keep_what_was_typed(page: Page, server: Server) -> None:
    mark = token()
    taken = new_customer(server, accountNumber=f"T-{mark}")
    open_path(page, server, "/customers")
    page.get_by_role("button", name="Add customer").click()
    window = dialog(page, "Add customer")
    expect(window.get_by_label("Name")).to_be_focused()
    window.get_by_role("button", name="Save").click()
    expect(window.get_by_text("Name is required.")).to_be_visible()
    window.get_by_label("Name").fill(f"Nora {mark}")
    window.get_by_label("Account number").fill(taken["accountNumber"])
    window.get_by_label("RMR (monthly)").fill("12.5")
    window.get_by_role("button", name="Save").click()
    account = window.get_by_label("Account number")
    expect(account).to_have_attribute("aria-invalid", "true")
    expect(account).to_be_focused()
    expect(window.get_by_label("Name")).to_have_value(f"Nora {mark}")
    account.fill(f"N-{mark}")
    window.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=f"Nora {mark}", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="Details")).to_contain_text("$12.50")


def test_an_import_with_a_bad_row_names_its_line_and_a_good_one_goes_in(
    page: Page, server: Server, tmp_path: Path, browser_errors: list[str]
) -> None:
    mark = token()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "account_number,name,email,phone,rmr,status\n"
        f"I1-{mark},Ida {mark},,,10.00,ACTIVE\n"
        f"I2-{mark},Ivo {mark},,,ten,ACTIVE\n",
        encoding="utf-8",
    )
    good = tmp_path / "good.csv"
    good.write_text(
        "account_number,name,email,phone,rmr,status\n"
        f"I1-{mark},Ida {mark},,,10.00,ACTIVE\n"
        f"I2-{mark},Ivo {mark},,,20.00,ACTIVE\n",
        encoding="utf-8",
    )
    open_path(page, server, "/customers")
    page.get_by_role("button", name="Import").click()
    window = dialog(page, "Import customers")
    window.get_by_label("CSV file").set_input_files(bad)
    window.get_by_role("button", name="Check file").click()
    problem = window.get_by_role("alert")
    expect(problem).to_contain_text("Line 3")
    expect(problem).to_contain_text("rmr")
    fits(page)
    # The refusal is the server's 422, which the browser logs.
    assert [e for e in browser_errors if "422" not in e] == []
    browser_errors.clear()

    window.get_by_label("CSV file").set_input_files(good)
    window.get_by_role("button", name="Check file").click()
    expect(window.get_by_role("status")).to_contain_text("2 customers would be added")
    search = f'query {{ customers(search: "Ida {mark}") {{ totalCount }} }}'
    assert graphql(server, search)["customers"]["totalCount"] == 0  # a dry run writes nothing
    window.get_by_role("button", name="Import 2 rows").click()
    expect(window).to_be_hidden()
    expect(page.get_by_role("button", name="Import")).to_be_focused()
    assert graphql(server, search)["customers"]["totalCount"] == 1


def test_a_customer_conflict_keeps_what_was_typed(page: Page, server: Server) -> None:
    customer = new_customer(server, f"Olga {token()}", "40.00")
    open_path(page, server, f"/customers/{customer['id']}")
    page.get_by_role("button", name="Edit customer").click()
    window = dialog(page, "Edit customer")
    window.get_by_label("Phone").fill("+1 555 0100")
    changed = {"id": customer["id"], "rmr": "45.00"}
    assert graphql(server, UPDATE_CUSTOMER, {"input": changed})["updateCustomer"]["rmr"] == "45.00"
    window.get_by_role("button", name="Save").click()
    expect(window.get_by_role("alert")).to_contain_text("RMR (monthly) is now “$45.00”")
    expect(window.get_by_label("Phone")).to_have_value("")
    window.get_by_role("button", name="Use my changes").click()
    expect(window.get_by_label("Phone")).to_have_value("+1 555 0100")
    expect(window.get_by_label("RMR (monthly)")).to_have_value("45.00")
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()
    stored = graphql(server, CUSTOMER, {"id": customer["id"]})["customer"]
    assert (stored["phone"], stored["rmr"]) == ("+1 555 0100", "45.00")
