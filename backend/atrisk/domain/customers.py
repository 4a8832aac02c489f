"""Customers: a company's subscribers, each worth its monthly recurring revenue (RMR)."""

from __future__ import annotations

import enum
import re

from atrisk.domain.accounts import InvalidEmail, normalise_email
from atrisk.domain.text import InvalidText, fold, one_line

NAME_MAX_LENGTH = 200
ACCOUNT_NUMBER_MAX_LENGTH = 50
PHONE_MAX_LENGTH = 40

_PHONE = re.compile(r"[0-9+()./ x-]+", re.IGNORECASE)


class CustomerStatus(enum.Enum):
    ACTIVE = "ACTIVE"
    CANCELLED = "CANCELLED"


class InvalidCustomer(ValueError):
    """A customer field that breaks a rule: `field` is the input field, the message is
    meant for the person."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def customer_name(raw: str) -> str:
    try:
        return one_line(raw, NAME_MAX_LENGTH)
    except InvalidText as error:
        raise InvalidCustomer("name", error.message("Name")) from None


def account_number(raw: str) -> tuple[str, str]:
    """The account number as typed (trimmed) and its comparison key (case-folded)."""
    try:
        shown = one_line(raw, ACCOUNT_NUMBER_MAX_LENGTH)
    except InvalidText as error:
        raise InvalidCustomer("accountNumber", error.message("Account number")) from None
    return shown, fold(shown)


def customer_email(raw: str) -> str:
    try:
        return normalise_email(raw)
    except InvalidEmail as error:
        raise InvalidCustomer("email", str(error)) from None


def customer_phone(raw: str) -> str:
    phone = " ".join(raw.split())
    if not phone:
        raise InvalidCustomer("phone", "Phone is required when given; send null to clear it.")
    if len(phone) > PHONE_MAX_LENGTH:
        raise InvalidCustomer("phone", f"Phone must be at most {PHONE_MAX_LENGTH} characters.")
    if not _PHONE.fullmatch(phone) or not any(char.isdigit() for char in phone):
        raise InvalidCustomer(
            "phone", "Phone may hold only digits, spaces and + ( ) - . x, like +1 555 0100."
        )
    return phone


def search_key(raw: str) -> str:
    """What a search for a name prefix or an account number compares against."""
    return fold(raw)
