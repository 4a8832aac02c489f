"""Results of read-only queries, kept per process and correct across processes.

Every write bumps its company's data version in the write's own transaction. A read
first looks that version up (one primary-key SELECT) and is answered from here when a
result for (company, document, operation, variables) was computed at that very version;
a write through any process therefore makes all older results unreachable at once.

Only queries whose root fields depend on nothing but the company's entries are kept
(`CACHEABLE_ROOT_FIELDS`): never mutations, never `me`, never introspection, never a
result with errors. Memory is bounded: least recently used results go first once the
bodies and keys together pass `max_bytes`.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from graphql import FieldNode, GraphQLError, OperationDefinitionNode, OperationType, parse

CACHEABLE_ROOT_FIELDS = frozenset({"atRiskEntries", "atRiskEntry", "__typename"})
MAX_DOCUMENT_LENGTH = 10_000
MAX_DOCUMENTS = 256
_ENTRY_OVERHEAD = 200  # bytes of bookkeeping per result, roughly


@dataclass(frozen=True, slots=True)
class ReadKey:
    company_id: str
    query: str
    operation_name: str | None
    variables: bytes  # canonical JSON


@dataclass(frozen=True, slots=True)
class CachedRead:
    data_version: int
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


def _is_cacheable(query: str, operation_name: str | None) -> bool:
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        if len(operations) != 1:
            return False
        operation = operations[0]
    else:
        named = [op for op in operations if op.name and op.name.value == operation_name]
        if len(named) != 1:
            return False
        operation = named[0]
    return operation.operation is OperationType.QUERY and all(
        isinstance(selection, FieldNode) and selection.name.value in CACHEABLE_ROOT_FIELDS
        for selection in operation.selection_set.selections
    )


def _size(key: ReadKey, body: bytes) -> int:
    return len(body) + len(key.query) + len(key.variables) + _ENTRY_OVERHEAD


class ReadCache:
    """An LRU of encoded read results, bounded by their total size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._results: OrderedDict[ReadKey, CachedRead] = OrderedDict()
        self._documents: OrderedDict[tuple[str, str | None], bool] = OrderedDict()

    def __len__(self) -> int:
        return len(self._results)

    def is_cacheable(self, query: str, operation_name: str | None) -> bool:
        """Whether the operation is a query that reads only the company's entries."""
        if len(query) > MAX_DOCUMENT_LENGTH:
            return False
        document = (query, operation_name)
        known = self._documents.get(document)
        if known is not None:
            self._documents.move_to_end(document)
            return known
        cacheable = _is_cacheable(query, operation_name)
        self._documents[document] = cacheable
        if len(self._documents) > MAX_DOCUMENTS:
            self._documents.popitem(last=False)
        return cacheable

    def get(self, key: ReadKey, data_version: int) -> CachedRead | None:
        """The result computed at `data_version`, if there is one."""
        cached = self._results.get(key)
        if cached is None or cached.data_version != data_version:
            return None
        self._results.move_to_end(key)
        return cached

    def put(self, key: ReadKey, data_version: int, body: bytes) -> CachedRead:
        cached = CachedRead(data_version, body, etag_for(body))
        size = _size(key, body)
        if size > self.max_bytes:
            return cached
        old = self._results.get(key)
        if old is not None:
            if old.data_version > data_version:  # a slower, older read finishing late
                return cached
            del self._results[key]
            self.size -= _size(key, old.body)
        self._results[key] = cached
        self.size += size
        while self.size > self.max_bytes:
            evicted_key, evicted = self._results.popitem(last=False)
            self.size -= _size(evicted_key, evicted.body)
        return cached
