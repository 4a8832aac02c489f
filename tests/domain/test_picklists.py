import pytest

from atrisk.domain.picklists import NAME_MAX_LENGTH, Category, InvalidName, name_key, normalise_name


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
        ("", "Name is required."),
        ("   \t\n ", "Name is required."),
        ("x" * (NAME_MAX_LENGTH + 1), "at most 100 characters (this one has 101)"),
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
    with pytest.raises(InvalidName, match=message.replace("(", r"\(").replace(")", r"\)")):
        normalise_name(raw)


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
