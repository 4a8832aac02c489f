"""Hypothesis set-up for the suite, name strategies, and the name rules as the spec states them.

The profile is deterministic (a fixed derandomised seed, no example database),
so a run in CI explores exactly what a run on a laptop does; raise the counts
with HYPOTHESIS_PROFILE=thorough.
"""

from __future__ import annotations

import os
import re
import unicodedata

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "atrisk",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile("thorough", parent=settings.get_profile("atrisk"), max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "atrisk"))

CATEGORIES = ["REASON", "CAUSE", "RESOLUTION", "CREDIT_REASON"]

# Characters that stress the name rules: whitespace of every kind, bidirectional
# and zero-width marks, combining marks, emoji, NUL and other controls,
# full-width and compatibility forms, letters whose case folding is special.
TRICKY = [
    " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x85", "\xa0", "\u2028", "\u3000",
    "\u200e", "\u200f", "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff", "\u00ad",
    "\u0301", "\u0308", "\u20dd",
    "😀", "👩‍👩‍👧", "🇩🇪",
    "\x00", "\x07", "\x1b", "\x7f", "\x9f",
    "Ｆ", "ｏ", "①", "ﬁ", "Ⅻ",
    "ß", "ẞ", "İ", "ı", "Σ", "ς", "ǅ",
    "a", "A", "o", "O", "z", "-", "'", "0",
    "ש", "ب",
]  # fmt: skip

any_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=200)
tricky_text = st.lists(st.sampled_from(TRICKY), max_size=110).map("".join)
long_text = st.integers(min_value=95, max_value=110).map(lambda n: "ab " * (n // 3) + "x" * (n % 3))
raw_names = st.one_of(any_text, tricky_text, long_text)

# A small alphabet for the state machine, so that names collide often.
clashing_names = st.sampled_from(
    [
        "Foo",
        "foo",
        "ＦＯＯ",
        "  foo  ",
        "Bar",
        "BAR",
        "bar baz",
        "Bar   Baz",
        "Straße",
        "STRASSE",
        "",
        "  ",
    ]
)


def spec_name(raw: str) -> str | None:
    """The stored name DESIGN.md promises for `raw`, or None when it must be refused.

    Trim, collapse inner whitespace runs to one space; then 1-100 characters, no
    control characters (tab, line feed and carriage return are whitespace), and
    something visible: not only format characters, combining marks or fillers.
    """
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in raw):
        return None
    name = re.sub(r"\s+", " ", raw).strip(" ")
    if not 1 <= len(name) <= 100:
        return None
    if all(
        unicodedata.category(c) in {"Cf", "Mn", "Me", "Zs"} or c in "\u115f\u1160\u3164\uffa0"
        for c in name
    ):
        return None
    return name


def spec_key(name: str) -> str:
    """Names that compare equal NFKC-normalised and case-folded (format characters
    ignored) are the same name."""
    shown = "".join(c for c in name if unicodedata.category(c) != "Cf")
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", shown).casefold())
