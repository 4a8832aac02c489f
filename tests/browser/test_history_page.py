"""History on the pages: the entry window's History and the page Settings, History (filters in the
address, paging, links, the CSV download), for admins only, by keyboard and at 375 px.

The company of this module lives in Pacific/Auckland, far from UTC, so that a day of the
filters is the company's day and not the server's.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Locator, Page, Route, expect

from tests.utils.accounts import (
    ADMIN_EMAIL,
    COMPANY,
    PASSWORD,
    VIEWER_EMAIL,
    provision,
    session_cookies,
)
from tests.utils.browser import ARTIFACTS, graphql, sign_in
from tests.utils.cases_api import CREATE_CUSTOMER
from tests.utils.databases import sqlite_url
from tests.utils.graphql import UPDATE
from tests.utils.pages.entries import (
    CAUSE,
    REASON,
    add_entry,
    editor,
    open_page,
    overflow,
    row,
    tab_to,
    unique,
)
from tests.utils.server import ATRISK, Server, running_server, server_env

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]

PATH = "/settings/history"
ZONE = ZoneInfo("Pacific/Auckland")
AGENT_EMAIL = "agent@acme.example"
HOSTILE = '<img src=x onerror="window.hacked=1">'

LOG = """
query Log($filter: AuditFilter, $first: Int!, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    nodes { id at actor action entityType entityId entityLabel changes { field from to } }
    pageInfo { hasNextPage endCursor }
  }
}"""

FLAG = """
mutation Flag($input: FlagCustomerAtRiskInput!) {
  flagCustomerAtRisk(input: $input) { __typename ... on AtRiskCase { id } }
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real server whose company (an admin, an agent, a viewer) keeps Auckland time."""
    directory = tmp_path_factory.mktemp("history")
    env = server_env(sqlite_url(directory), ATRISK_LOG_LEVEL="WARNING")
    provision(env)
    subprocess.run(
        [str(ATRISK), "create-user", "--company", COMPANY, "--email", AGENT_EMAIL,
         "--role", "agent", "--password", PASSWORD],
        env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    with sqlite3.connect(directory / "atrisk.db") as db:
        db.execute("UPDATE companies SET timezone = ?", ("Pacific/Auckland",))
    with running_server(env, directory) as running:
        yield running


def as_agent(server: Server, query: str, variables: dict[str, Any]) -> Any:
    response = httpx.post(
        f"{server.base_url}/graphql",
        json={"query": query, "variables": variables},
        cookies=session_cookies(server, AGENT_EMAIL),
    )
    response.raise_for_status()
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def add_customer(server: Server, name: str, *, agent: bool = False) -> dict[str, Any]:
    variables = {"input": {"name": name, "rmr": "49.90"}}
    data = (
        as_agent(server, CREATE_CUSTOMER, variables)
        if agent
        else graphql(server, CREATE_CUSTOMER, variables)
    )
    customer: dict[str, Any] = data["createCustomer"]
    assert customer["__typename"] == "Customer", customer
    return customer


def rename(server: Server, entry: dict[str, Any], name: str) -> None:
    result = graphql(server, UPDATE, {"input": {"id": entry["id"], "name": name}})
    assert result["updateAtRiskEntry"]["__typename"] == "AtRiskEntry"


def log_events(server: Server, where: dict[str, Any]) -> list[dict[str, Any]]:
    """Every event of the company's log under `where`, as the API pages it."""
    events: list[dict[str, Any]] = []
    after = None
    while True:
        page = graphql(server, LOG, {"filter": where, "first": 200, "after": after})["auditEvents"]
        events += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return events
        after = page["pageInfo"]["endCursor"]


def open_log(page: Page, server: Server, query: str = "", email: str = ADMIN_EMAIL) -> None:
    sign_in(page, server, email)
    page.goto(f"{server.base_url}{PATH}{query}")
    expect(page.get_by_role("heading", name="History", level=1)).to_be_visible()
    expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")


def events(page: Page) -> Locator:
    return page.get_by_role("main").locator(".history-events > li")


def actors(page: Page) -> list[str]:
    return events(page).locator(".history-actor").all_inner_texts()


def today() -> date:
    return datetime.now(ZONE).date()


def test_an_edit_shows_in_the_entry_windows_history_with_old_and_new(
    page: Page, server: Server
) -> None:
    first = unique(REASON)
    entry = add_entry(server, REASON, first)
    open_page(page, server, "/settings/at-risk-entries")

    row(page, REASON, first).click()
    window = editor(page, "Edit Reason")
    renamed = unique(REASON)
    window.get_by_role("textbox", name="Reason", exact=True).fill(renamed)
    window.get_by_role("textbox", name="Description").fill("Moving house")
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()

    row(page, REASON, renamed).click()
    toggle = window.get_by_role("button", name="History")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(window.get_by_role("region", name="History")).to_have_count(0)  # not loaded yet
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    history = window.get_by_role("region", name="History")
    items = history.get_by_role("listitem").filter(has=page.locator(".history-actor"))
    expect(items).to_have_count(2)
    newest, created = items.nth(0), items.nth(1)
    expect(newest.locator(".history-actor")).to_have_text(ADMIN_EMAIL)
    expect(newest.locator(".history-action")).to_have_text("Changed")
    expect(newest.locator(".history-change")).to_have_text(
        [f"Name: {first} → {renamed}", "Description: — → Moving house"]
    )
    expect(created.locator(".history-action")).to_have_text("Created")
    expect(created.locator(".history-change").first).to_have_text(f"Name: {first}")
    page.screenshot(path=ARTIFACTS / "history-editor-1280.png")
    # The time is the company's (Auckland), to the minute of the event.
    stored = graphql(server, "query($id: ID!) { atRiskEntry(id: $id) { history { at } } }",
                     {"id": entry["id"]})["atRiskEntry"]["history"][0]["at"]  # fmt: skip
    local = datetime.fromisoformat(stored).astimezone(ZONE)
    expect(newest.locator("time")).to_have_attribute("datetime", stored)
    expect(newest.locator("time")).to_contain_text(f"{local.day}")
    expect(newest.locator("time")).to_contain_text(local.strftime("%M"))

    # Escape still closes the window, and the focus goes back to the row.
    page.keyboard.press("Escape")
    expect(window).to_be_hidden()
    expect(row(page, REASON, renamed)).to_be_focused()


def test_the_entry_windows_history_pages_with_show_more(page: Page, server: Server) -> None:
    name = unique(CAUSE)
    entry = add_entry(server, CAUSE, name)
    for step in range(24):
        rename(server, entry, f"{name} {step}")
    open_page(page, server, "/settings/at-risk-entries")
    row(page, CAUSE, f"{name} 23").click()
    window = editor(page, "Edit Cause")
    window.get_by_role("button", name="History").click()
    history = window.get_by_role("region", name="History")
    items = history.locator(".history-event")
    expect(items).to_have_count(20)
    expect(items.first.locator(".history-change")).to_have_text(f"Name: {name} 22 → {name} 23")
    history.get_by_role("button", name="Show more").click()
    expect(items).to_have_count(25)
    expect(items.nth(20)).to_be_focused()
    expect(items.last.locator(".history-action")).to_have_text("Created")
    expect(history.get_by_role("button", name="Show more")).to_have_count(0)
    ids = items.evaluate_all("nodes => nodes.map((node) => node.dataset.eventId)")
    assert len(set(ids)) == 25


def test_the_log_filters_by_kind_and_actor_and_keeps_them_through_a_reload(
    page: Page, server: Server
) -> None:
    customer = add_customer(server, f"Agent's customer {unique(REASON)}", agent=True)
    add_entry(server, REASON, unique(REASON))
    open_log(page, server)
    expect(events(page).first).to_be_visible()
    assert set(actors(page)) >= {ADMIN_EMAIL, AGENT_EMAIL}

    page.get_by_role("combobox", name="Kind").select_option(label="Customers")
    expect(page).to_have_url(re.compile(r"entity_type=CUSTOMER"))
    expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")
    expect(events(page).locator(".history-kind").first).to_have_text("Customer")
    assert set(events(page).locator(".history-kind").all_inner_texts()) == {"Customer"}

    actor = page.get_by_role("combobox", name="Changed by")
    actor.fill(AGENT_EMAIL)
    actor.press("Enter")
    expect(page).to_have_url(re.compile(r"actor=agent%40acme\.example"))
    expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")
    expect(events(page).filter(has_text=customer["name"])).to_have_count(1)
    assert set(actors(page)) == {AGENT_EMAIL}
    shown = events(page).evaluate_all("nodes => nodes.map((node) => node.dataset.eventId)")
    expected = log_events(server, {"entityType": "CUSTOMER", "actor": AGENT_EMAIL})
    assert shown == [event["id"] for event in expected][:50]

    page.reload()
    expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")
    expect(page.get_by_role("combobox", name="Kind")).to_have_value("CUSTOMER")
    expect(page.get_by_role("combobox", name="Changed by")).to_have_value(AGENT_EMAIL)
    expect(events(page)).to_have_count(len(shown))
    assert events(page).evaluate_all("ns => ns.map((n) => n.dataset.eventId)") == shown

    # Back undoes a filter; Clear filters shows everything again.
    page.go_back()
    expect(page.get_by_role("combobox", name="Changed by")).to_have_value("")
    expect(page.get_by_role("combobox", name="Kind")).to_have_value("CUSTOMER")
    page.get_by_role("button", name="Clear filters").click()
    expect(page).to_have_url(f"{server.base_url}{PATH}")
    expect(page.get_by_role("combobox", name="Kind")).to_have_value("")


def test_the_log_pages_past_the_first_page_and_narrows_to_one_thing(
    page: Page, server: Server
) -> None:
    name = unique(CAUSE)
    entry = add_entry(server, CAUSE, name)
    for step in range(55):
        rename(server, entry, f"{name} {step}")
    open_log(page, server, "?entity_type=AT_RISK_ENTRY")
    one = (
        events(page)
        .filter(has_text=f"{name} 54")
        .get_by_role("link", name=re.compile("^All its events"))
    )
    one.first.click()
    expect(page).to_have_url(re.compile(f"entity_id={entry['id']}"))
    expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")
    expect(page.get_by_text("Only the changes of one at-risk entry")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "history-narrowed-1280.png")

    expect(events(page)).to_have_count(50)
    expect(page.get_by_role("status").filter(has_text="shown")).to_have_text(
        "50 changes shown; there are more."
    )
    page.get_by_role("button", name="Load more").click()
    expect(events(page)).to_have_count(56)
    expect(events(page).nth(50)).to_be_focused()
    expect(page.get_by_role("button", name="Load more")).to_have_count(0)
    expect(events(page).last.locator(".history-action")).to_have_text("Created")
    shown = events(page).evaluate_all("nodes => nodes.map((node) => node.dataset.eventId)")
    assert shown == [e["id"] for e in log_events(server, {"entityId": entry["id"]})]

    page.get_by_role("button", name="Show every one").click()
    expect(page).not_to_have_url(re.compile("entity_id="))
    expect(page).to_have_url(re.compile("entity_type=AT_RISK_ENTRY"))


def test_the_csv_link_carries_the_filters_and_has_the_apis_rows(page: Page, server: Server) -> None:
    add_customer(server, f"Csv customer {unique(REASON)}", agent=True)
    day = today().isoformat()
    open_log(page, server, f"?entity_type=CUSTOMER&actor={AGENT_EMAIL}&from={day}&to={day}")
    link = page.get_by_role("link", name="Download CSV")
    href = link.get_attribute("href")
    assert href is not None
    sent = {key: values[0] for key, values in parse_qs(urlsplit(href).query).items()}
    start = datetime.combine(today(), datetime.min.time(), ZONE)
    assert sent == {
        "entity_type": "CUSTOMER",
        "actor": AGENT_EMAIL,
        "from": start.astimezone(UTC).isoformat().replace("+00:00", ".000Z"),
        "to": (start + timedelta(days=1)).astimezone(UTC).isoformat().replace("+00:00", ".000Z"),
    }

    response = page.request.get(server.base_url + href)
    assert response.status == 200
    rows = list(csv.reader(io.StringIO(response.text().lstrip("\ufeff"))))
    assert rows[0] == ["at", "actor", "action", "entity_type", "entity_id", "entity_label",
                       "field", "from", "to"]  # fmt: skip
    where = {"entityType": "CUSTOMER", "actor": AGENT_EMAIL, "from": sent["from"], "to": sent["to"]}
    expected = log_events(server, where)
    assert expected
    lines = [
        (e["id"], e["entityId"], c["field"], c["to"] or "") for e in expected for c in e["changes"]
    ]
    assert [(r[4], r[6], r[8]) for r in rows[1:]] == [line[1:] for line in lines]
    assert {r[1] for r in rows[1:]} == {AGENT_EMAIL}
    shown = events(page).evaluate_all("nodes => nodes.map((node) => node.dataset.eventId)")
    assert shown == [e["id"] for e in expected]

    # A period the events are not in: none on the page, the CSV has its header alone.
    yesterday = (today() - timedelta(days=1)).isoformat()
    page.get_by_label("To", exact=True).fill(yesterday)
    expect(page.get_by_text("The last day is before the first day.")).to_be_visible()
    expect(page.get_by_label("To", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("link", name="Download CSV")).to_have_count(0)
    expect(events(page)).to_have_count(0)
    page.get_by_label("From", exact=True).fill(yesterday)
    expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")
    expect(page.get_by_text("No changes match these filters.")).to_be_visible()
    href = page.get_by_role("link", name="Download CSV").get_attribute("href")
    assert href is not None
    rows = list(csv.reader(io.StringIO(page.request.get(server.base_url + href).text())))
    assert len(rows) == 1


def test_customer_and_case_labels_link_to_the_customer(page: Page, server: Server) -> None:
    customer = add_customer(server, f"Linked {unique(REASON)}")
    reason = add_entry(server, REASON, unique(REASON))
    flagged = graphql(
        server,
        FLAG,
        {"input": {"customerId": customer["id"], "reasonId": reason["id"], "riskLevel": "HIGH"}},
    )["flagCustomerAtRisk"]
    assert flagged["__typename"] == "AtRiskCase", flagged
    open_log(page, server)
    href = f"/customers/{customer['id']}"
    for kind in ("Customer", "Case"):
        item = events(page).filter(
            has=page.locator(".history-kind", has_text=re.compile(f"^{kind}$"))
        )
        label = item.filter(has_text=customer["name"]).first.get_by_role(
            "link", name=customer["name"], exact=True
        )
        expect(label).to_have_attribute("href", href)
    # A reason's name is no link (entries have no page of their own).
    entry_item = events(page).filter(has_text=reason["name"]).first
    expect(entry_item.get_by_role("link", name=reason["name"])).to_have_count(0)


def test_hostile_text_in_a_name_is_text(page: Page, server: Server) -> None:
    name = f"{HOSTILE} {unique(REASON)}"
    add_customer(server, name, agent=True)
    entry = add_entry(server, REASON, f"{HOSTILE} entry {unique(REASON)}")
    open_log(page, server, "?entity_type=CUSTOMER")
    expect(events(page).get_by_role("link", name=name).first).to_be_visible()
    expect(events(page).filter(has_text=name).first.locator(".history-change").first).to_have_text(
        f"Name: {name}"
    )
    open_page(page, server, "/settings/at-risk-entries")
    row(page, REASON, entry["name"]).click()
    window = editor(page, "Edit Reason")
    window.get_by_role("button", name="History").click()
    expect(window.locator(".history-change").first).to_have_text(f"Name: {entry['name']}")
    assert page.locator("img").count() == 0
    assert page.evaluate("window.hacked") is None


def test_only_admins_have_the_history_page(page: Page, server: Server) -> None:
    for email in (VIEWER_EMAIL, AGENT_EMAIL):
        sign_in(page, server, email)
        page.goto(f"{server.base_url}{PATH}")
        expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
        expect(page.get_by_role("navigation").get_by_role("link", name="History")).to_have_count(0)
        expect(page.get_by_role("link", name="Download CSV")).to_have_count(0)
        response = page.request.get(f"{server.base_url}/settings/history.csv")
        assert response.status == 403
    open_log(page, server)
    nav = page.get_by_role("navigation", name="Settings").get_by_role("link", name="History")
    expect(nav).to_have_attribute("aria-current", "page")


def test_the_log_fits_a_375_pixel_screen(page: Page, server: Server) -> None:
    long_name = "Unbroken" * 14 + unique(REASON)
    customer = add_customer(server, long_name)
    graphql(
        server,
        "mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { __typename } }",
        {"input": {"id": customer["id"], "email": "a" * 60 + "@example.com"}},
    )
    page.set_viewport_size({"width": 375, "height": 740})
    open_log(page, server)
    expect(events(page).filter(has_text=long_name).first).to_be_visible()
    assert overflow(page) <= 0
    for control in (
        page.get_by_role("combobox", name="Kind"),
        page.get_by_role("combobox", name="Changed by"),
        page.get_by_label("From", exact=True),
        page.get_by_label("To", exact=True),
        page.get_by_role("link", name="Download CSV"),
        events(page).first,
    ):
        box = control.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 375, control
    page.screenshot(
        path=ARTIFACTS / "history-375.png",
        full_page=True,
    )

    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=ARTIFACTS / "history-1280.png")

    page.set_viewport_size({"width": 375, "height": 740})
    entry_name = "Unbroken" * 10 + unique(CAUSE)
    entry = add_entry(server, CAUSE, entry_name)
    rename(server, entry, entry_name[:-2])
    open_page(page, server, "/settings/at-risk-entries")
    row(page, CAUSE, entry_name[:-2]).click()
    window = editor(page, "Edit Cause")
    window.get_by_role("button", name="History").click()
    expect(window.locator(".history-event")).to_have_count(2)
    assert overflow(page) <= 0
    assert window.evaluate("node => node.scrollWidth <= node.clientWidth")
    page.screenshot(path=ARTIFACTS / "history-editor-375.png")


def test_the_log_by_keyboard_alone(page: Page, server: Server) -> None:
    name = unique(CAUSE)
    entry = add_entry(server, CAUSE, name)
    for step in range(51):
        rename(server, entry, f"{name} {step}")
    open_log(page, server)
    keyboard = page.keyboard

    kind = page.get_by_role("combobox", name="Kind")
    tab_to(page, kind)
    keyboard.press("ArrowDown")  # Everything → At-risk entries
    expect(page).to_have_url(re.compile("entity_type=AT_RISK_ENTRY"))
    expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")
    keyboard.press("Tab")
    expect(page.get_by_role("combobox", name="Changed by")).to_be_focused()
    keyboard.type(ADMIN_EMAIL)
    keyboard.press("Enter")
    expect(page).to_have_url(re.compile("actor=admin%40acme.example"))
    expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")

    more = page.get_by_role("button", name="Load more")
    tab_to(page, more)
    keyboard.press("Enter")
    expect(events(page).nth(50)).to_be_focused()
    expect(events(page)).not_to_have_count(50)

    link = events(page).nth(50).get_by_role("link", name=re.compile("^All its events"))
    tab_to(page, link)
    keyboard.press("Enter")
    expect(page).to_have_url(re.compile("entity_id="))
    expect(page.get_by_role("heading", name="History", level=1)).to_be_focused()


def test_a_history_that_cannot_load_says_so_and_retries(
    page: Page, server: Server, browser_errors: list[str]
) -> None:
    name = unique(CAUSE)
    add_entry(server, CAUSE, name)
    open_page(page, server, "/settings/at-risk-entries")
    refused = "**/graphql"

    def refuse_history(route: Route) -> None:
        if "query HistoryOf" in (route.request.post_data or ""):
            route.abort("connectionrefused")
        else:
            route.continue_()

    page.route(refused, refuse_history)
    row(page, CAUSE, name).click()
    window = editor(page, "Edit Cause")
    field = window.get_by_role("textbox", name="Cause", exact=True)
    field.fill(f"{name} typed")
    window.get_by_role("button", name="History").click()
    history = window.get_by_role("region", name="History")
    expect(history.get_by_role("alert")).to_have_text(
        "Could not load the history: the server could not be reached. "
        "Check the connection and try again."
    )
    page.unroute(refused)
    history.get_by_role("button", name="Retry").click()
    expect(history.get_by_role("alert")).to_have_count(0)
    expect(history.locator(".history-event")).to_have_count(1)
    expect(field).to_have_value(f"{name} typed")
    browser_errors[:] = [e for e in browser_errors if "ERR_CONNECTION_REFUSED" not in e]


def test_the_log_that_cannot_load_says_so_and_a_failed_load_more_keeps_the_page(
    page: Page, server: Server, browser_errors: list[str]
) -> None:
    entry = add_entry(server, CAUSE, unique(CAUSE))
    for step in range(51):
        rename(server, entry, f"{entry['name']} {step}")
    query = f"?entity_id={entry['id']}"
    page.route("**/graphql", lambda route: route.abort("connectionrefused"))
    sign_in(page, server)
    page.goto(f"{server.base_url}{PATH}{query}")
    expect(page.get_by_role("alert")).to_have_text(re.compile("^Could not load the history: "))
    page.unroute("**/graphql")
    page.get_by_role("button", name="Retry").click()
    expect(events(page)).to_have_count(50)
    expect(page.get_by_role("heading", name="History", level=1)).to_be_focused()

    page.route("**/graphql", lambda route: route.abort("connectionrefused"))
    page.get_by_role("button", name="Load more").click()
    expect(page.get_by_role("alert")).to_have_text(
        re.compile("^Could not load more changes: the server could not be reached")
    )
    expect(events(page)).to_have_count(50)
    page.unroute("**/graphql")
    page.get_by_role("button", name="Load more").click()
    expect(events(page)).to_have_count(52)
    expect(page.get_by_role("alert")).to_have_count(0)
    browser_errors[:] = [e for e in browser_errors if "ERR_CONNECTION_REFUSED" not in e]


STANDALONE = """async ([owner, id]) => {
  const { html, render } = await import("/lib/dom.js");
  const { HistorySection } = await import("/views/history/HistorySection.js");
  const host = Object.assign(document.createElement("div"), { id: "standalone" });
  document.body.append(host);
  render(html`<${HistorySection} owner=${owner} id=${id} />`, host);
}"""


def test_the_history_section_stands_on_its_own_for_a_customer_and_a_case(
    page: Page, server: Server
) -> None:
    customer = add_customer(server, f"Standalone {unique(REASON)}")
    graphql(
        server,
        "mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { __typename } }",
        {"input": {"id": customer["id"], "rmr": "120.00"}},
    )
    reason = add_entry(server, REASON, unique(REASON))
    me = graphql(server, "{ me { userId } }")["me"]
    variables = {
        "input": {
            "customerId": customer["id"],
            "reasonId": reason["id"],
            "riskLevel": "HIGH",
            "assignedToId": me["userId"],
        }
    }
    case = graphql(server, FLAG, variables)["flagCustomerAtRisk"]
    open_page(page, server, "/settings/at-risk-entries")

    page.evaluate(STANDALONE, ["customer", customer["id"]])
    host = page.locator("#standalone")
    history = host.get_by_role("region", name="History")
    expect(history.get_by_role("heading", name="History", level=2)).to_be_visible()
    items = history.locator(".history-event")
    expect(items).to_have_count(2)
    expect(items.first.locator(".history-change")).to_have_text("RMR: $49.90 → $120.00")
    expect(items.last.locator(".history-action")).to_have_text("Created")
    page.evaluate("document.getElementById('standalone').remove()")

    page.evaluate(STANDALONE, ["atRiskCase", case["id"]])
    changes = host.get_by_role("region", name="History").locator(".history-change")
    expect(changes.filter(has_text="Reason:")).to_have_text(f"Reason: {reason['name']}")
    expect(changes.filter(has_text="Risk level:")).to_have_text("Risk level: High")
    expect(changes.filter(has_text="Assigned to:")).to_have_text(f"Assigned to: {ADMIN_EMAIL}")
    expect(changes.filter(has_text="RMR at risk:")).to_have_text("RMR at risk: $120.00")
    expect(changes.filter(has_text="Status:")).to_have_text("Status: Open")
    page.evaluate("document.getElementById('standalone').remove()")

    page.evaluate(STANDALONE, ["customer", "0" * 26])
    expect(host.get_by_role("region", name="History")).to_contain_text(
        "This customer no longer exists."
    )

    # A viewer sees the history of what they may see.
    sign_in(page, server, VIEWER_EMAIL)
    page.goto(f"{server.base_url}/settings/at-risk-entries")
    expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")
    page.evaluate(STANDALONE, ["atRiskCase", case["id"]])
    changes = host.get_by_role("region", name="History").locator(".history-change")
    expect(changes.filter(has_text="Reason:")).to_have_text(f"Reason: {reason['name']}")


def test_the_entry_windows_history_by_keyboard_alone(page: Page, server: Server) -> None:
    name = unique(REASON)
    entry = add_entry(server, REASON, name)
    for step in range(21):
        rename(server, entry, f"{name} {step}")
    open_page(page, server, "/settings/at-risk-entries")
    keyboard = page.keyboard
    tab_to(page, row(page, REASON, f"{name} 20"))
    keyboard.press("Enter")
    window = editor(page, "Edit Reason")
    toggle = window.get_by_role("button", name="History")
    tab_to(page, toggle)
    keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    items = window.locator(".history-event")
    expect(items).to_have_count(20)
    more = window.get_by_role("button", name="Show more")
    keyboard.press("Tab")
    expect(more).to_be_focused()
    keyboard.press("Enter")
    expect(items).to_have_count(22)
    expect(items.nth(20)).to_be_focused()
    expect(more).to_have_count(0)
    keyboard.press("Tab")  # the last control: the focus wraps to the first, inside the window
    expect(window.get_by_role("textbox", name="Reason", exact=True)).to_be_focused()
    keyboard.press("Shift+Tab")
    expect(toggle).to_be_focused()
    keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(items).to_have_count(0)
    keyboard.press("Escape")
    expect(window).to_be_hidden()
    expect(row(page, REASON, f"{name} 20")).to_be_focused()


def test_filters_that_make_no_sense_say_so_and_load_nothing(page: Page, server: Server) -> None:
    sign_in(page, server)
    requests: list[str] = []
    page.on(
        "request",
        lambda r: requests.append(r.post_data or "") if r.url.endswith("/graphql") else None,
    )
    page.goto(f"{server.base_url}{PATH}?entity_type=GHOSTS&from=2026-13-45&to=2026-02-30")
    expect(page.get_by_role("heading", name="History", level=1)).to_be_visible()
    kind = page.get_by_role("combobox", name="Kind")
    expect(kind).to_have_accessible_description("Choose a kind of thing from the list.")
    expect(kind).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("From", exact=True)).to_have_accessible_description(
        "Enter the first day as a date, like 2026-12-01."
    )
    expect(page.get_by_label("To", exact=True)).to_have_accessible_description(
        "Enter the last day as a date, like 2026-12-31."
    )
    expect(page.get_by_text("Correct the filters above to see the history.")).to_be_visible()
    expect(page.get_by_role("link", name="Download CSV")).to_have_count(0)
    expect(events(page)).to_have_count(0)
    assert not [body for body in requests if "query HistoryLog" in body]

    kind.select_option(label="Customers")
    page.get_by_role("button", name="Clear filters").click()
    expect(page).to_have_url(f"{server.base_url}{PATH}")
    expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")
    expect(events(page).first).to_be_visible()
    expect(page.get_by_role("link", name="Download CSV")).to_have_attribute(
        "href", "/settings/history.csv"
    )
