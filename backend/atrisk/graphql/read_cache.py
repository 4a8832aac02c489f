"""Results of read-only queries, kept per process and correct across processes.

Every write bumps its company's version of the area it wrote (lists, customers and cases,
accounts; see atrisk.services.changes) in the write's own transaction. A read learns those
versions in the same statement that checks its credential, and is answered from here when
a result for the same key was computed at the very versions of the areas its root fields
read: a write through any process makes older results unreachable at once, and a write to
one area (a case) leaves results that read only another (the lists) in place.

The key holds the company, the caller's role, the document, operation and variables; and
the caller itself when a root field depends on who asks (`me`). So no result crosses to a
caller who might see something else.

Only queries whose root fields are all listed in `ROOT_FIELDS` are kept: never mutations,
introspection, fragments at the root or a result with errors. Memory is bounded: least
recently used results go first once the bodies and keys together pass `max_bytes`.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    Visitor,
    parse,
    visit,
)

from atrisk.domain.changes import Area

# Root field -> the areas its answer depends on, and whether it depends on the caller.
ROOT_FIELDS: dict[str, tuple[frozenset[Area], bool]] = {
    "__typename": (frozenset(), False),
    "atRiskEntries": (frozenset({Area.LISTS}), False),
    "atRiskEntry": (frozenset({Area.LISTS}), False),
    "me": (frozenset({Area.ACCOUNTS}), True),
    "users": (frozenset({Area.ACCOUNTS}), False),
    "apiTokens": (frozenset({Area.ACCOUNTS}), False),  # a token's use bumps accounts too
    # A case shows its entries and people too.
    "customers": (frozenset({Area.CASES, Area.LISTS, Area.ACCOUNTS}), False),
    "customer": (frozenset({Area.CASES, Area.LISTS, Area.ACCOUNTS}), False),
    "atRiskCases": (frozenset({Area.CASES, Area.LISTS, Area.ACCOUNTS}), False),
    "atRiskCase": (frozenset({Area.CASES, Area.LISTS, Area.ACCOUNTS}), False),
    "auditEvents": (frozenset(Area), False),
}
# Fields anywhere in a document that read another area than their root field's.
NESTED_FIELDS: dict[str, frozenset[Area]] = {
    "usageCount": frozenset({Area.CASES}),  # an entry's uses are cases and credits
}
MAX_DOCUMENT_LENGTH = 10_000
MAX_DOCUMENTS = 256
_ENTRY_OVERHEAD = 200  # bytes of bookkeeping per result, roughly

Versions = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    """How a cacheable document is cached: the areas it reads, in a fixed order, and
    whether its answer depends on the caller."""

    areas: tuple[Area, ...]
    per_caller: bool

    def versions(self, company_versions: Mapping[Area, int]) -> Versions | None:
        """The versions of the areas read, or None when one is not known."""
        try:
            return tuple(company_versions[area] for area in self.areas)
        except KeyError:
            return None


@dataclass(frozen=True, slots=True)
class ReadKey:
    company_id: str
    role: str
    caller: str | None  # set only for documents whose answer depends on the caller
    query: str
    operation_name: str | None
    variables: bytes  # canonical JSON


@dataclass(frozen=True, slots=True)
class CachedRead:
    versions: Versions
    body: bytes
    etag: str


def etag_for(body: bytes) -> str:
    """A strong validator of the body: equal bodies get equal tags in every process."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match with the weak comparison RFC 9110 asks for."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


def plan_for(query: str, operation_name: str | None) -> Plan | None:
    """The plan of a cacheable query, or None when the operation must not be cached."""
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        if len(operations) != 1:
            return None
        operation = operations[0]
    else:
        named = [op for op in operations if op.name and op.name.value == operation_name]
        if len(named) != 1:
            return None
        operation = named[0]
    if operation.operation is not OperationType.QUERY:
        return None
    areas: set[Area] = set()
    per_caller = False
    for node in _field_names(document):
        areas |= NESTED_FIELDS.get(node, frozenset())
    for selection in operation.selection_set.selections:
        if not isinstance(selection, FieldNode) or selection.name.value not in ROOT_FIELDS:
            return None
        field_areas, field_per_caller = ROOT_FIELDS[selection.name.value]
        areas |= field_areas
        per_caller = per_caller or field_per_caller
    return Plan(tuple(sorted(areas, key=lambda area: area.value)), per_caller)


def _field_names(document: DocumentNode) -> set[str]:
    """The names of every field the document selects, at any depth, fragments included."""
    names: set[str] = set()

    class Collect(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            names.add(node.name.value)

    visit(document, Collect())
    return names


def _size(key: ReadKey, body: bytes) -> int:
    return len(body) + len(key.query) + len(key.variables) + _ENTRY_OVERHEAD


class ReadCache:
    """An LRU of encoded read results, bounded by their total size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._results: OrderedDict[ReadKey, CachedRead] = OrderedDict()
        self._plans: OrderedDict[tuple[str, str | None], Plan | None] = OrderedDict()

    def __len__(self) -> int:
        return len(self._results)

    def plan(self, query: str, operation_name: str | None) -> Plan | None:
        """`plan_for`, remembered for the most recently used documents."""
        if len(query) > MAX_DOCUMENT_LENGTH:
            return None
        document = (query, operation_name)
        if document in self._plans:
            self._plans.move_to_end(document)
            return self._plans[document]
        plan = plan_for(query, operation_name)
        self._plans[document] = plan
        if len(self._plans) > MAX_DOCUMENTS:
            self._plans.popitem(last=False)
        return plan

    def get(self, key: ReadKey, versions: Versions) -> CachedRead | None:
        """The result computed at `versions`, if there is one."""
        cached = self._results.get(key)
        if cached is None or cached.versions != versions:
            self.misses += 1
            return None
        self.hits += 1
        self._results.move_to_end(key)
        return cached

    def put(self, key: ReadKey, versions: Versions, body: bytes) -> CachedRead:
        cached = CachedRead(versions, body, etag_for(body))
        size = _size(key, body)
        if size > self.max_bytes:
            return cached
        old = self._results.get(key)
        if old is not None:
            # A slower read that started before a write finishes late: keep the newer one.
            if any(o > n for o, n in zip(old.versions, versions, strict=True)):
                return cached
            del self._results[key]
            self.size -= _size(key, old.body)
        self._results[key] = cached
        self.size += size
        while self.size > self.max_bytes:
            evicted_key, evicted = self._results.popitem(last=False)
            self.size -= _size(evicted_key, evicted.body)
        return cached
