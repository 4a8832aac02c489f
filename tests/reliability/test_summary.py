from collections import Counter

import pytest

from tests.utils import summary


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summary, "COUNTS", Counter())
    monkeypatch.setattr(summary, "LOST", [])
    monkeypatch.setattr(summary, "FAILED", [])


def test_nothing_lost_needs_checked_writes(fresh: None) -> None:
    summary.count(summary.FUZZ, 3)
    assert summary.summary_line().endswith("; no writes checked")
    summary.count(summary.CHECKED, 2)
    assert summary.summary_line() == (
        "3 fuzz cases, 0 property examples, 0 hostile inputs, 0 race rounds, "
        "0 soak requests, 2 writes checked; nothing lost"
    )


def test_a_lost_write_or_a_failed_test_is_never_nothing_lost(fresh: None) -> None:
    summary.count(summary.CHECKED, 5)
    summary.FAILED.append("tests/test_races.py::test_x")
    assert summary.summary_line().endswith("; 1 reliability tests FAILED")
    summary.lost("entry 1")
    assert summary.summary_line().endswith("; 1 acknowledged writes LOST")
