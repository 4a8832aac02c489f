"""Counts what the reliability tests exercised and prints one line at the end of the run.

Tests call `count("hostile inputs")` and friends; tests that check acknowledged
writes call `count("writes checked", n)` and `lost(...)` for each one missing
(and fail). The line says "nothing lost" only when writes were checked, none
was missing and no reliability test failed.
"""

from __future__ import annotations

from collections import Counter

import pytest

FUZZ = "fuzz cases"
PROPERTY = "property examples"
HOSTILE = "hostile inputs"
RACE = "race rounds"
SOAK = "soak requests"
CHECKED = "writes checked"

RELIABILITY_MODULES = (
    "tests/reliability/test_fuzz.py",
    "tests/reliability/test_hostile.py",
    "tests/reliability/test_limits.py",
    "tests/reliability/test_properties.py",
    "tests/reliability/test_races.py",
    "tests/reliability/test_soak.py",
)

COUNTS: Counter[str] = Counter()
LOST: list[str] = []
FAILED: list[str] = []


def count(kind: str, amount: int = 1) -> None:
    COUNTS[kind] += amount


def lost(description: str) -> None:
    LOST.append(description)


def summary_line() -> str:
    parts = ", ".join(
        f"{COUNTS[kind]} {kind}" for kind in (FUZZ, PROPERTY, HOSTILE, RACE, SOAK, CHECKED)
    )
    if LOST:
        verdict = f"{len(LOST)} acknowledged writes LOST"
    elif FAILED:
        verdict = f"{len(FAILED)} reliability tests FAILED"
    elif COUNTS[CHECKED]:
        verdict = "nothing lost"
    else:
        verdict = "no writes checked"
    return f"{parts}; {verdict}"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.failed and report.nodeid.startswith(RELIABILITY_MODULES):
        FAILED.append(report.nodeid)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not COUNTS and not LOST and not FAILED:
        return
    terminalreporter.write_sep("=", "reliability")
    terminalreporter.write_line(summary_line())
    for description in LOST[:20]:
        terminalreporter.write_line(f"lost: {description}")
