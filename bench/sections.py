"""bench/results.md is written in sections, one per bench, so that each part of `make bench`
replaces only its own numbers and keeps the others'."""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.md"
HEADER = [
    "# Benchmark results",
    "",
    "Written by `make bench`; each section's numbers come from one run of that section,",
    "side by side on one machine (its date is in the section).",
    "",
]


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"


def write_section(name: str, lines: list[str], path: Path = RESULTS) -> None:
    """Put `lines` into the section `name` of the results, replacing what it held before;
    a new section goes after the existing ones."""
    start, end = _markers(name)
    block = "\n".join([start, *lines, end])
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if start not in text:
        # Results from before the sections: kept as they are, under the header.
        kept = text.strip()
        header = "\n".join(HEADER).strip()
        if kept.startswith(header):
            kept = kept[len(header) :].strip()
        text = "\n".join(HEADER) + ("\n" + kept + "\n" if kept else "")
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
