"""Money: integer cents inside, a decimal string with exactly two places outside ("49.90").

Never a float. One currency per company (ISO 4217); amounts carry no currency of their own.
"""

from __future__ import annotations

import re

# The largest amount any one value may hold: ten million in the company's currency.
MAX_CENTS = 10_000_000_00

_DECIMAL = re.compile(r"(-?)(\d{1,12})(?:\.(\d{1,2}))?")


class InvalidMoney(ValueError):
    """A value that is not an amount of money; the message is meant for the person."""


def parse_money(text: str) -> int:
    """Cents from "49.90", "49.9" or "49" (a sign allowed; no exponent, no third decimal)."""
    match = _DECIMAL.fullmatch(text.strip())
    if match is None:
        raise InvalidMoney(
            f'"{text[:40]}" is not an amount: write it like 49.90 (at most two decimal places, '
            "no thousands separators or exponents)."
        )
    sign, whole, fraction = match.groups()
    cents = int(whole) * 100 + int((fraction or "").ljust(2, "0"))
    return -cents if sign else cents


def format_money(cents: int) -> str:
    """ "49.90" from 4990; "-0.05" from -5."""
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    return f"{sign}{whole}.{fraction:02d}"


def amount_problem(cents: int, label: str, *, positive: bool = False) -> str | None:
    """Why `cents` is not a valid amount for `label`, or None."""
    if positive and cents <= 0:
        return f"{label} must be more than 0.00."
    if cents < 0:
        return f"{label} must not be negative."
    if cents > MAX_CENTS:
        return f"{label} must be at most {format_money(MAX_CENTS)}."
    return None


# Active ISO 4217 codes (funds and precious metals left out).
CURRENCIES = frozenset(
    (
        "AED",
        "AFN",
        "ALL",
        "AMD",
        "ANG",
        "AOA",
        "ARS",
        "AUD",
        "AWG",
        "AZN",
        "BAM",
        "BBD",
        "BDT",
        "BGN",
        "BHD",
        "BIF",
        "BMD",
        "BND",
        "BOB",
        "BRL",
        "BSD",
        "BTN",
        "BWP",
        "BYN",
        "BZD",
        "CAD",
        "CDF",
        "CHF",
        "CLP",
        "CNY",
        "COP",
        "CRC",
        "CUP",
        "CVE",
        "CZK",
        "DJF",
        "DKK",
        "DOP",
        "DZD",
        "EGP",
        "ERN",
        "ETB",
        "EUR",
        "FJD",
        "FKP",
        "GBP",
        "GEL",
        "GHS",
        "GIP",
        "GMD",
        "GNF",
        "GTQ",
        "GYD",
        "HKD",
        "HNL",
        "HTG",
        "HUF",
        "IDR",
        "ILS",
        "INR",
        "IQD",
        "IRR",
        "ISK",
        "JMD",
        "JOD",
        "JPY",
        "KES",
        "KGS",
        "KHR",
        "KMF",
        "KPW",
        "KRW",
        "KWD",
        "KYD",
        "KZT",
        "LAK",
        "LBP",
        "LKR",
        "LRD",
        "LSL",
        "LYD",
        "MAD",
        "MDL",
        "MGA",
        "MKD",
        "MMK",
        "MNT",
        "MOP",
        "MRU",
        "MUR",
        "MVR",
        "MWK",
        "MXN",
        "MYR",
        "MZN",
        "NAD",
        "NGN",
        "NIO",
        "NOK",
        "NPR",
        "NZD",
        "OMR",
        "PAB",
        "PEN",
        "PGK",
        "PHP",
        "PKR",
        "PLN",
        "PYG",
        "QAR",
        "RON",
        "RSD",
        "RUB",
        "RWF",
        "SAR",
        "SBD",
        "SCR",
        "SDG",
        "SEK",
        "SGD",
        "SHP",
        "SLE",
        "SOS",
        "SRD",
        "SSP",
        "STN",
        "SVC",
        "SYP",
        "SZL",
        "THB",
        "TJS",
        "TMT",
        "TND",
        "TOP",
        "TRY",
        "TTD",
        "TWD",
        "TZS",
        "UAH",
        "UGX",
        "USD",
        "UYU",
        "UZS",
        "VED",
        "VES",
        "VND",
        "VUV",
        "WST",
        "XAF",
        "XCD",
        "XCG",
        "XOF",
        "XPF",
        "YER",
        "ZAR",
        "ZMW",
        "ZWG",
    )
)


def currency_problem(code: str) -> str | None:
    """Why `code` is not a currency, or None."""
    if code not in CURRENCIES:
        return f'"{code[:10]}" is not an ISO 4217 currency code (like USD, EUR, GBP).'
    return None
