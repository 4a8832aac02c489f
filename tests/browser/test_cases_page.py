"""The work queue and a customer's At Risk tab: a case walked from flag to saved by mouse
and to lost by keyboard alone, at 1280 and 375 px; the filters in the address; conflicts
that keep what was typed; what a viewer sees."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.utils.accounts import VIEWER_EMAIL
from tests.utils.browser import sign_in
from tests.utils.pages.cases import (
    add_credit,
    close_case,
    dialog,
    fits,
    flag,
    lists_of,
    new_customer,
    open_cases_of,
    queue,
    queue_names,
    queue_row,
    ready,
    shoot,
    stored_case,
    tab_to,
    token,
    update_case,
    users_of,
)
from tests.utils.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]

WIDTHS = pytest.mark.parametrize("width", [1280, 375])


def open_path(
    page: Page, server: Server, path: str, width: int = 1280, email: str | None = None
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    if email:
        sign_in(page, server, email)
    else:
        sign_in(page, server)
    page.goto(server.base_url + path)
    ready(page)


@WIDTHS
def test_a_case_from_flag_to_saved_by_mouse(page: Page, server: Server, width: int) -> None:
    lists = lists_of(server)
    customer = new_customer(server, f"Jane Saved {token()}", "80.00", accountNumber=f"S-{token()}")
    open_path(page, server, f"/cases?reason={lists.reason['id']}", width)
    expect(page.get_by_text("No cases match these filters.")).to_be_visible()

    page.get_by_role("button", name="Flag at risk").click()
    window = dialog(page, "Flag at risk")
    expect(window.get_by_role("searchbox", name="Customer")).to_be_focused()
    window.get_by_role("searchbox", name="Customer").fill(customer["name"][:8])
    window.get_by_role("button", name=re.compile(re.escape(customer["name"]))).click()
    expect(window.get_by_role("group", name="Customer")).to_contain_text(customer["name"])
    # The RMR at risk starts as the customer's.
    expect(window.get_by_label("RMR at risk")).to_have_value("80.00")
    window.get_by_label("Reason", exact=True).select_option(label=lists.reason["name"])
    window.get_by_label("Cause", exact=True).select_option(label=lists.cause["name"])
    window.get_by_label("Risk", exact=True).select_option("HIGH")
    window.get_by_label("Follow-up").fill("2020-01-02")
    window.get_by_label("Notes").fill("Unhappy about the new rate.")
    fits(page)
    shoot(page, "flag")
    window.get_by_role("button", name="Flag at risk").click()
    expect(window).to_be_hidden()
    expect(page.get_by_role("button", name="Flag at risk")).to_be_focused()

    row = queue_row(page, customer["name"])
    expect(row).to_contain_text("High")
    expect(row).to_contain_text("Overdue")  # a follow-up in the past, said in words
    expect(row).to_contain_text("$80.00")
    expect(row).to_contain_text("0 days")
    fits(page)
    shoot(page, "queue")
    [found] = open_cases_of(server, customer["id"])

    row.get_by_role("link", name=customer["name"]).click()
    expect(page.get_by_role("heading", name=customer["name"], level=1)).to_be_visible()
    ready(page)
    expect(page.get_by_role("tab", name="At Risk")).to_have_attribute("aria-selected", "true")
    page.get_by_role("button", name="Edit case").click()
    window = dialog(page, "Edit case")
    window.get_by_role("radio", name=re.compile("^Mitigated")).check()
    window.get_by_label("RMR at risk").fill("60")
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()
    expect(page.get_by_role("button", name="Edit case")).to_be_focused()
    case_card = page.get_by_role("region", name="Open case")
    expect(case_card).to_contain_text("Mitigated")
    expect(case_card).to_contain_text("$60.00")

    attempts = page.get_by_role("form", name="Add a contact attempt")
    attempts.get_by_label("Channel").select_option("EMAIL")
    attempts.get_by_label("What happened").fill("Sent the offer.")
    attempts.get_by_role("button", name="Add attempt").click()
    listed = page.get_by_role("list", name="Contact attempts, newest first").get_by_role("listitem")
    expect(listed).to_have_count(1)
    expect(attempts.get_by_label("What happened")).to_have_value("")
    attempts.get_by_label("What happened").fill("Called back: will stay.")
    attempts.get_by_role("button", name="Add attempt").click()
    expect(listed).to_have_count(2)
    expect(listed.first).to_contain_text("Called back: will stay.")
    expect(listed.last).to_contain_text("Email")

    credits = page.get_by_role("form", name="Add a credit")
    credits.get_by_role("button", name="Add credit").click()
    expect(credits.get_by_text("Enter an amount above zero")).to_be_visible()
    credits.get_by_label("Amount").fill("15")
    credits.get_by_label("Credit reason").select_option(label=lists.credit_reason["name"])
    credits.get_by_role("button", name="Add credit").click()
    expect(page.get_by_role("list", name="Credits, newest first")).to_contain_text("$15.00")
    fits(page)
    shoot(page, "case")

    page.get_by_role("button", name="Close case").click()
    window = dialog(page, "Close case")
    expect(window.get_by_role("radio", name=re.compile("^Saved"))).to_be_checked()
    expect(window.get_by_label("RMR retained")).to_have_value("60.00")
    window.get_by_role("button", name="Close case").click()
    expect(window.get_by_text("Choose a resolution.")).to_be_visible()
    window.get_by_label("Resolution", exact=True).select_option(label=lists.resolution["name"])
    window.get_by_label("RMR retained").fill("45.50")
    fits(page)
    window.get_by_role("button", name="Close case").click()
    expect(window).to_be_hidden()

    past = page.get_by_role("region", name=re.compile("^Past cases"))
    expect(past).to_contain_text("Saved")
    expect(past).to_contain_text("$45.50")
    expect(page.get_by_role("region", name="No open case")).to_be_visible()
    saved = stored_case(server, found["id"])
    assert (saved["status"], saved["rmrRetained"], saved["rmrAtRisk"]) == (
        "RESOLVED",
        "45.50",
        "60.00",
    )
    assert saved["resolution"]["name"] == lists.resolution["name"]
    assert saved["savedBy"]["email"] == "admin@acme.example"
    assert [a["note"] for a in saved["attempts"]] == ["Called back: will stay.", "Sent the offer."]
    assert [c["amount"] for c in saved["credits"]] == ["15.00"]
    fits(page)


@WIDTHS
def test_a_case_from_flag_to_lost_by_keyboard_alone(page: Page, server: Server, width: int) -> None:
    lists = lists_of(server)
    customer = new_customer(server, f"Kim Lost {token()}", "30.00")
    open_path(page, server, f"/customers/{customer['id']}", width)

    flag_button = page.get_by_role("button", name="Flag at risk")
    tab_to(page, flag_button)
    page.keyboard.press("Enter")
    window = dialog(page, "Flag at risk")
    reason = window.get_by_label("Reason", exact=True)
    expect(reason).to_be_focused()  # the customer is known: the window starts at the Reason
    page.keyboard.type(lists.other_reason["name"])
    expect(reason).to_have_value(lists.other_reason["id"])
    tab_to(page, window.get_by_label("Notes"))
    page.keyboard.type("Moving abroad in March.")
    tab_to(page, window.get_by_role("button", name="Flag at risk"))
    page.keyboard.press("Enter")
    expect(window).to_be_hidden()
    expect(page.get_by_role("button", name="Edit case")).to_be_focused()
    [found] = open_cases_of(server, customer["id"])

    tab_to(page, page.get_by_role("textbox", name="What happened"))
    page.keyboard.type("Visited: they are going.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("list", name="Contact attempts, newest first")).to_contain_text(
        "Visited: they are going."
    )

    tab_to(page, page.get_by_role("button", name="Close case"), backwards=True)
    page.keyboard.press("Enter")
    window = dialog(page, "Close case")
    expect(window.get_by_role("radio", name=re.compile("^Saved"))).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(window.get_by_role("radio", name=re.compile("^Lost"))).to_be_checked()
    expect(window.get_by_label("RMR retained")).to_have_count(0)
    page.keyboard.press("Tab")
    expect(window.get_by_label("Resolution", exact=True)).to_be_focused()
    page.keyboard.type(lists.resolution["name"])
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # Cancel, then Close case
    expect(window.get_by_role("button", name="Close case")).to_be_focused()
    fits(page)
    shoot(page, "close-lost")
    page.keyboard.press("Enter")
    expect(window).to_be_hidden()
    expect(page.get_by_role("heading", name=re.compile("^Past cases"))).to_be_focused()

    expect(page.get_by_role("region", name="Details")).to_contain_text("Cancelled")
    lost = stored_case(server, found["id"])
    assert (lost["status"], lost["rmrRetained"], lost["customer"]["status"]) == (
        "LOST",
        "0.00",
        "CANCELLED",
    )

    # Reopening brings the customer back.
    reopen = page.get_by_role("button", name=re.compile("^Reopen"))
    tab_to(page, reopen)
    page.keyboard.press("Enter")
    expect(page.get_by_role("region", name="Open case")).to_be_visible()
    expect(page.get_by_role("region", name="Details")).to_contain_text("Active")
    assert stored_case(server, found["id"])["status"] == "OPEN"
    fits(page)


def test_the_filters_live_in_the_address_and_survive_reload_and_back(
    page: Page, server: Server
) -> None:
    lists = lists_of(server)
    high = new_customer(server, f"High {token()}")
    low = new_customer(server, f"Low {token()}")
    mine = new_customer(server, f"Mine {token()}")
    flag(server, high["id"], lists.reason["id"], "HIGH")
    flag(server, low["id"], lists.reason["id"], "LOW", followUpAt="2020-01-01T09:00:00Z")
    admin = next(u for u in users_of(server) if u["email"] == "admin@acme.example")
    mine_case = flag(server, mine["id"], lists.reason["id"], "MEDIUM", assignedToId=admin["id"])
    base = f"/cases?reason={lists.reason['id']}"
    open_path(page, server, base)
    # Soonest follow-up first; none last.
    expect(queue(page).get_by_role("rowheader")).to_have_count(3)
    assert queue_names(page)[0] == low["name"]

    page.get_by_label("Risk", exact=True).select_option("HIGH")
    expect(page).to_have_url(re.compile(r"risk=HIGH"))
    expect(queue(page).get_by_role("rowheader")).to_have_count(1)
    expect(queue_row(page, high["name"])).to_be_visible()

    page.get_by_label("Assigned to").select_option("mine")
    expect(page).to_have_url(re.compile(r"mine=1"))
    expect(page.get_by_text("No cases match these filters.")).to_be_visible()
    page.get_by_label("Risk", exact=True).select_option("")
    expect(queue(page).get_by_role("rowheader")).to_have_count(1)
    expect(queue_row(page, mine["name"])).to_be_visible()

    page.reload()
    ready(page)
    expect(page.get_by_label("Assigned to")).to_have_value("mine")
    expect(queue(page).get_by_role("rowheader")).to_have_count(1)

    page.go_back()  # risk=HIGH and mine=1
    expect(page.get_by_label("Risk", exact=True)).to_have_value("HIGH")
    expect(page.get_by_text("No cases match these filters.")).to_be_visible()
    page.go_back()  # risk=HIGH
    expect(page.get_by_label("Assigned to")).to_have_value("")
    expect(queue(page).get_by_role("rowheader")).to_have_count(1)
    page.go_forward()
    expect(page.get_by_label("Assigned to")).to_have_value("mine")

    # The order is in the address too; a closed case shows only when its status is asked for.
    update_case(server, mine_case["id"], rmrAtRisk="999.00")
    page.goto(f"{server.base_url}{base}&order=rmr")
    ready(page)
    expect(page.get_by_label("Order")).to_have_value("rmr")
    assert queue_names(page)[0] == mine["name"]
    page.get_by_role("checkbox", name="Open").uncheck()
    page.get_by_role("checkbox", name="Mitigated").uncheck()
    expect(page).to_have_url(re.compile(r"status=all"))
    expect(queue(page).get_by_role("rowheader")).to_have_count(3)
    page.get_by_role("checkbox", name="Saved").check()
    expect(page).to_have_url(re.compile(r"status=RESOLVED"))
    expect(page.get_by_text("No cases match these filters.")).to_be_visible()
    page.get_by_role("button", name="Clear filters").click()
    expect(page).to_have_url(f"{server.base_url}/cases?order=rmr")


def test_a_conflict_keeps_what_was_typed(page: Page, server: Server) -> None:
    lists = lists_of(server)
    customer = new_customer(server)
    found = flag(server, customer["id"], lists.reason["id"], notes="First notes.")
    open_path(page, server, f"/customers/{customer['id']}")
    page.get_by_role("button", name="Edit case").click()
    window = dialog(page, "Edit case")
    window.get_by_label("Notes").fill("My careful notes.")
    update_case(server, found["id"], riskLevel="HIGH", notes="Their notes.")
    window.get_by_role("button", name="Save").click()

    notice = window.get_by_role("alert")
    expect(notice).to_contain_text("changed by someone else")
    expect(notice).to_contain_text("Risk is now high.")
    expect(window.get_by_label("Notes")).to_have_value("Their notes.")
    expect(window.get_by_label("Risk", exact=True)).to_have_value("HIGH")
    window.get_by_role("button", name="Use my changes").click()
    expect(window.get_by_label("Notes")).to_have_value("My careful notes.")
    # Only what I had changed comes back: the risk stays as the other person set it.
    expect(window.get_by_label("Risk", exact=True)).to_have_value("HIGH")
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()
    saved = stored_case(server, found["id"])
    assert (saved["notes"], saved["riskLevel"]) == ("My careful notes.", "HIGH")


def test_flagging_a_customer_at_risk_already_offers_the_open_case(
    page: Page, server: Server
) -> None:
    lists = lists_of(server)
    customer = new_customer(server, f"Twice {token()}")
    open_path(page, server, "/cases")
    page.get_by_role("button", name="Flag at risk").click()
    window = dialog(page, "Flag at risk")
    window.get_by_role("searchbox", name="Customer").fill(customer["name"])
    window.get_by_role("button", name=re.compile(re.escape(customer["name"]))).click()
    window.get_by_label("Reason", exact=True).select_option(label=lists.reason["name"])
    flag(server, customer["id"], lists.other_reason["id"])  # someone else was quicker
    window.get_by_role("button", name="Flag at risk").click()
    expect(window.get_by_role("alert")).to_contain_text("at risk already")
    window.get_by_role("link", name="Open that case").click()
    expect(page).to_have_url(f"{server.base_url}/customers/{customer['id']}")
    expect(page.get_by_role("region", name="Open case")).to_contain_text(lists.other_reason["name"])


def test_a_viewer_sees_no_write_controls(page: Page, server: Server) -> None:
    lists = lists_of(server)
    customer = new_customer(server)
    flag(server, customer["id"], lists.reason["id"])
    open_path(page, server, f"/cases?reason={lists.reason['id']}", email=VIEWER_EMAIL)
    expect(queue_row(page, customer["name"])).to_be_visible()
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link")).to_have_text(
        ["Cases", "Customers", "At-Risk Entries", "Reports"]
    )
    expect(page.get_by_role("button", name="Flag at risk")).to_have_count(0)
    expect(page.get_by_label("Assigned to").locator("option[value=mine]")).to_have_count(0)

    queue_row(page, customer["name"]).get_by_role("link").click()
    expect(page.get_by_role("region", name="Open case")).to_be_visible()
    ready(page)
    main = page.get_by_role("main")
    for name in ("Edit customer", "Edit case", "Close case", "Add attempt", "Add credit"):
        expect(main.get_by_role("button", name=name)).to_have_count(0)
    expect(main.get_by_role("form")).to_have_count(0)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
    ready(page)
    expect(page.get_by_role("link", name="Download CSV")).to_be_visible()
    for name in ("Add customer", "Import"):
        expect(page.get_by_role("button", name=name)).to_have_count(0)


def test_load_more_brings_the_next_page(page: Page, server: Server) -> None:
    lists = lists_of(server)
    for number in range(53):
        customer = new_customer(server, f"Paged {number:02d} {token()}")
        flag(server, customer["id"], lists.reason["id"])
    open_path(page, server, f"/cases?reason={lists.reason['id']}")
    rows = queue(page).get_by_role("rowheader")
    expect(rows).to_have_count(50)
    expect(page.get_by_role("status").first).to_have_text("50 of 53 cases")
    page.get_by_role("button", name="Load more").click()
    expect(rows).to_have_count(53)
    expect(page.get_by_role("button", name="Load more")).to_have_count(0)
    expect(rows.nth(50).get_by_role("link")).to_be_focused()
    assert len(set(queue_names(page))) == 53


def test_a_link_from_a_report_opens_exactly_its_cases(page: Page, server: Server) -> None:
    lists = lists_of(server)
    saved = new_customer(server, f"Saved {token()}")
    credited = new_customer(server, f"Credited {token()}")
    saved_case = flag(server, saved["id"], lists.reason["id"])
    credited_case = flag(server, credited["id"], lists.reason["id"])
    close_case(server, saved_case["id"], "RESOLVED", resolutionId=lists.resolution["id"])
    add_credit(server, credited_case["id"], lists.credit_reason["id"])
    today = stored_case(server, saved_case["id"])["closedAt"][:10]

    resolution = f"status=RESOLVED&resolution={lists.resolution['id']}&from={today}&to={today}"
    open_path(page, server, f"/cases?{resolution}")
    assert queue_names(page) == [saved["name"]]
    expect(page.get_by_role("checkbox", name="Saved")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Open")).not_to_be_checked()
    expect(page.get_by_label("Resolution", exact=True)).to_have_value(lists.resolution["id"])
    expect(page.get_by_label("Reported or closed from")).to_have_value(today)

    page.goto(f"{server.base_url}/cases?status=all&creditReason={lists.credit_reason['id']}")
    ready(page)
    assert queue_names(page) == [credited["name"]]
    page.goto(f"{server.base_url}/cases?status=all&reason={lists.reason['id']}&to=2000-01-01")
    ready(page)
    expect(page.get_by_text("No cases match these filters.")).to_be_visible()
