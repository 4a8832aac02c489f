import pytest

from atrisk.domain.picklists import (
    DESCRIPTION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    Category,
    name_key,
    normalise_description,
    normalise_name,
    sort_key,
)
from atrisk.domain.text import InvalidText


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Moved away", "Moved away"),
        ("  Moved   away \t", "Moved away"),
        ("Moved\naway", "Moved away"),
        ("Moved\u3000away", "Moved away"),
        ("x" * NAME_MAX_LENGTH, "x" * NAME_MAX_LENGTH),
        ("  " + "x" * NAME_MAX_LENGTH + "  ", "x" * NAME_MAX_LENGTH),
        ("Retained – rate adjusted", "Retained – rate adjusted"),
        ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
    ],
)
def test_normalise_name_trims_and_collapses(raw, expected):
    assert normalise_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Reason is required."),
        ("   \t\n ", "Reason is required."),
        ("x" * (NAME_MAX_LENGTH + 1), "Reason must be at most 100 characters."),
        ("bad\x00name", "control characters"),
        ("bad\x07name", "control characters"),
        ("bad\x1bname", "control characters"),
        ("bad\x7fname", "control characters"),
        ("bad\x85name", "control characters"),
        ("\u200b", "visible character"),
        (" \u200f\u200e ", "visible character"),
        ("\ufeff\u00ad\u2060", "visible character"),
        ("\u0301\u20dd", "visible character"),
        ("\u3164", "visible character"),
    ],
)
def test_normalise_name_refuses(raw, message):
    with pytest.raises(InvalidText) as refused:
        normalise_name(raw)
    assert message in refused.value.message("Reason")
    assert refused.value.message("Reason").startswith("Reason ")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("  \n\t ", None),
        ("\u200b", None),
        ("  Customers who move abroad.  ", "Customers who move abroad."),
        ("Line one\r\nLine two", "Line one\nLine two"),
        ("x" * DESCRIPTION_MAX_LENGTH, "x" * DESCRIPTION_MAX_LENGTH),
    ],
)
def test_normalise_description_trims_and_empty_is_none(raw, expected):
    assert normalise_description(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("x" * (DESCRIPTION_MAX_LENGTH + 1), "Description must be at most 500 characters."),
        ("bad\x00text", "Description must not contain control characters."),
    ],
)
def test_normalise_description_refuses(raw, message):
    with pytest.raises(InvalidText) as refused:
        normalise_description(raw)
    assert refused.value.message("Description") == message


def test_sort_key_is_a_to_z_as_people_read_it():
    names = ["zebra", "Émile", "apple", "Banana", "émile b", "Emile a"]
    assert sorted(names, key=sort_key) == [
        "apple",
        "Banana",
        "Émile",
        "Emile a",
        "émile b",
        "zebra",
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Moved away", "moved away"),
        ("Moved away", "MOVED AWAY"),
        ("FOO", "ＦＯＯ"),
        ("Straße", "STRASSE"),
        ("ﬁne", "fine"),
        ("Foo", "F\u200boo"),
        ("Foo", "\u200fFoo\u200e"),
        ("soft", "so\u00adft"),
        ("Foo bar", "Foo \u200b bar"),
    ],
)
def test_name_key_folds_case_and_width(a, b):
    assert name_key(a) == name_key(b)


def test_names_with_some_visible_character_are_kept_as_typed():
    assert normalise_name("\u200fשלום 2\u200f") == "\u200fשלום 2\u200f"
    assert normalise_name("👩\u200d👩\u200d👧") == "👩\u200d👩\u200d👧"
    assert normalise_name("e\u0301") == "e\u0301"


def test_name_key_keeps_different_names_apart():
    assert name_key("Moved away") != name_key("Moved  way")
    assert name_key("café") != name_key("cafe")


def test_categories_in_display_order_with_titles_and_labels():
    assert [(c.name, c.title, c.label) for c in Category] == [
        ("REASON", "Reasons", "Reason"),
        ("CAUSE", "Causes", "Cause"),
        ("RESOLUTION", "Resolutions", "Resolution"),
        ("CREDIT_REASON", "Credit Reasons", "Credit Reason"),
    ]
