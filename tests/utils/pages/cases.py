"""The work queue and the customer pages, found the way a user finds them; and the
customers, cases and entries they show, made and read by a second client (the admin)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.utils.browser import graphql
from tests.utils.cases_api import ADD_CREDIT, CASE, CLOSE, CREATE_CUSTOMER, FLAG, UPDATE_CASE
from tests.utils.graphql import ADD
from tests.utils.pages.entries import overflow
from tests.utils.server import Server

SHOTS = Path("/tmp")


@dataclass(frozen=True, slots=True)
class Lists:
    reason: dict[str, Any]
    other_reason: dict[str, Any]
    cause: dict[str, Any]
    resolution: dict[str, Any]
    credit_reason: dict[str, Any]


def token() -> str:
    return secrets.token_hex(3)


def add_entry(server: Server, category: str, name: str) -> dict[str, Any]:
    variables = {"input": {"category": category, "name": name}}
    entry: dict[str, Any] = graphql(server, ADD, variables)["addAtRiskEntry"]
    assert entry["__typename"] == "AtRiskEntry", entry
    return entry


def lists_of(server: Server) -> Lists:
    """One new entry of each category (two Reasons), named so that no test meets another's."""
    mark = token()
    return Lists(
        reason=add_entry(server, "REASON", f"Price rise {mark}"),
        other_reason=add_entry(server, "REASON", f"Moving {mark}"),
        cause=add_entry(server, "CAUSE", f"Rival offer {mark}"),
        resolution=add_entry(server, "RESOLUTION", f"Rate cut {mark}"),
        credit_reason=add_entry(server, "CREDIT_REASON", f"Month free {mark}"),
    )


def new_customer(
    server: Server, name: str | None = None, rmr: str = "49.90", **values: Any
) -> dict[str, Any]:
    values = {"name": name or f"Customer {token()}", "rmr": rmr, **values}
    made: dict[str, Any] = graphql(server, CREATE_CUSTOMER, {"input": values})["createCustomer"]
    assert made["__typename"] == "Customer", made
    return made


def flag(
    server: Server, customer_id: str, reason_id: str, risk: str = "MEDIUM", **values: Any
) -> dict[str, Any]:
    payload = {"customerId": customer_id, "reasonId": reason_id, "riskLevel": risk, **values}
    made: dict[str, Any] = graphql(server, FLAG, {"input": payload})["flagCustomerAtRisk"]
    assert made["__typename"] == "AtRiskCase", made
    return made


def update_case(server: Server, case_id: str, **values: Any) -> dict[str, Any]:
    done: dict[str, Any] = graphql(server, UPDATE_CASE, {"input": {"id": case_id, **values}})[
        "updateAtRiskCase"
    ]
    assert done["__typename"] == "AtRiskCase", done
    return done


def stored_case(server: Server, case_id: str) -> dict[str, Any]:
    found: dict[str, Any] = graphql(server, CASE, {"id": case_id})["atRiskCase"]
    return found


def open_cases_of(server: Server, customer_id: str) -> list[dict[str, Any]]:
    query = "query($id: ID!) { atRiskCases(filter: {customer: $id, open: true}) { nodes { id } } }"
    nodes: list[dict[str, Any]] = graphql(server, query, {"id": customer_id})["atRiskCases"][
        "nodes"
    ]
    return nodes


def users_of(server: Server) -> list[dict[str, Any]]:
    users: list[dict[str, Any]] = graphql(server, "{ users { id email role } }")["users"]
    return users


# The pages.


def ready(page: Page) -> None:
    expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")


def queue(page: Page) -> Locator:
    return page.get_by_role("table", name="At-risk cases")


def queue_row(page: Page, customer_name: str) -> Locator:
    return (
        queue(page)
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=re.compile(re.escape(customer_name))))
    )


def queue_names(page: Page) -> list[str]:
    return [
        name.strip()
        for name in queue(page).get_by_role("rowheader").get_by_role("link").all_inner_texts()
    ]


def dialog(page: Page, title: str) -> Locator:
    return page.get_by_role("dialog", name=title, exact=True)


def fits(page: Page) -> None:
    assert overflow(page) <= 0, "the page scrolls sideways"


def shoot(page: Page, name: str) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=SHOTS / f"atrisk-{name}-{width}.png", full_page=True)


def tab_to(page: Page, target: Locator, *, limit: int = 80, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if target.evaluate("node => node === document.activeElement"):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"Tab never reached {target}")


def close_case(server: Server, case_id: str, status: str, **values: Any) -> dict[str, Any]:
    payload = {"id": case_id, "status": status, **values}
    done: dict[str, Any] = graphql(server, CLOSE, {"input": payload})["closeAtRiskCase"]
    assert done["__typename"] == "AtRiskCase", done
    return done


def add_credit(server: Server, case_id: str, reason_id: str, amount: str = "10.00") -> None:
    payload = {"caseId": case_id, "creditReasonId": reason_id, "amount": amount}
    done = graphql(server, ADD_CREDIT, {"input": payload})["addCredit"]
    assert done["__typename"] == "AtRiskCase", done
