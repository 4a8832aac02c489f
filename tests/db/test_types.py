"""Ids: random, unique, and never shared with a forked process."""

from __future__ import annotations

import os
import re
import warnings

from atrisk.db import types
from atrisk.db.types import new_id


def test_ids_are_32_hex_digits_and_unique() -> None:
    made = [new_id() for _ in range(5 * types._ID_BATCH + 3)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", made_id) for made_id in made)
    assert len(set(made)) == len(made)


def test_a_forked_process_draws_its_own_ids() -> None:
    new_id()  # the batch now holds ids a child would repeat if it kept them
    assert types._ids
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():  # newer Pythons warn of forking with threads running
        warnings.simplefilter("ignore", DeprecationWarning)
        child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.close(read_end)
        os.write(write_end, "".join(new_id() for _ in range(8)).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        drawn = pipe.read().decode()
    os.waitpid(child, 0)
    theirs = {drawn[start : start + 32] for start in range(0, len(drawn), 32)}
    ours = {new_id() for _ in range(types._ID_BATCH)}
    assert len(theirs) == 8
    assert not theirs & ours
