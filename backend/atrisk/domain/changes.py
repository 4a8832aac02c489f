"""The vocabulary of changes: what was written (entity), how (action), and the area of a
company's data it belongs to (each area has its own version)."""

from __future__ import annotations

import enum


class Entity(enum.Enum):
    AT_RISK_ENTRY = "AT_RISK_ENTRY"
    CUSTOMER = "CUSTOMER"
    AT_RISK_CASE = "AT_RISK_CASE"
    USER = "USER"
    API_TOKEN = "API_TOKEN"  # noqa: S105 (an entity name, not a secret)
    COMPANY = "COMPANY"


class Action(enum.Enum):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"


class Area(enum.Enum):
    """Parts of a company's data that change independently: a case edit must not touch
    what a reader of the lists has cached."""

    LISTS = "lists"
    CASES = "cases"  # customers and their at-risk cases
    ACCOUNTS = "accounts"  # the company itself, its people and tokens


AREA_OF = {
    Entity.AT_RISK_ENTRY: Area.LISTS,
    Entity.CUSTOMER: Area.CASES,
    Entity.AT_RISK_CASE: Area.CASES,
    Entity.USER: Area.ACCOUNTS,
    Entity.API_TOKEN: Area.ACCOUNTS,
    Entity.COMPANY: Area.ACCOUNTS,
}
