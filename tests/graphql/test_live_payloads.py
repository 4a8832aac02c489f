"""The fan-out's shared messages: one execution and one encoding of a change per
subscription document, whatever number of sockets it is written to."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import orjson
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse

from atrisk.domain.changes import Action, Entity
from atrisk.graphql.live import SharedPayloads
from atrisk.graphql.schema import schema
from atrisk.services.changes import Change
from tests.utils.subscriptions import CHANGES, SHAPED, WITH_VARIABLE


def info(query: str) -> Any:
    """What the shared payloads read of graphql-core's info: the operation (one parse of a
    query text, as the schema's parser cache keeps it), its fragments and the schema."""
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return SimpleNamespace(
        operation=operation, fragments=fragments, schema=schema._schema, context=None
    )


def change(entity_id: str = "e1", version: int = 3) -> Change:
    return Change("company", Entity.CUSTOMER, entity_id, Action.UPDATE, version)


def test_the_payload_is_the_subscriptions_data_as_json() -> None:
    payloads = SharedPayloads()
    plain = payloads.get(info(CHANGES), change())
    shaped = payloads.get(info(SHAPED), change())
    assert plain is not None
    assert shaped is not None
    assert orjson.loads(plain) == {
        "data": {
            "companyChanges": {
                "entityType": "CUSTOMER",
                "entityId": "e1",
                "action": "UPDATE",
                "version": 3,
                "resync": False,
            }
        }
    }
    assert orjson.loads(shaped) == {
        "data": {
            "companyChanges": {"__typename": "Change", "kind": "CUSTOMER", "entityId": "e1", "v": 3}
        }
    }


def test_one_change_for_one_document_is_executed_once() -> None:
    payloads = SharedPayloads()
    plain, shaped = info(CHANGES), info(SHAPED)
    first, second = change("e1"), change("e2")
    for _socket in range(50):
        payloads.get(plain, first)
    assert payloads.executions == 1
    assert payloads.get(plain, first) is payloads.get(plain, first)
    payloads.get(plain, second)
    payloads.get(shaped, first)
    assert payloads.executions == 3


def test_an_operation_with_variables_takes_the_usual_way() -> None:
    # Its directives may select differently on every socket.
    payloads = SharedPayloads()
    assert payloads.get(info(WITH_VARIABLE), change()) is None
    assert payloads.executions == 0


def test_the_kept_payloads_are_bounded() -> None:
    payloads = SharedPayloads(maxsize=8)
    plain = info(CHANGES)
    changes = [change(f"e{n}") for n in range(20)]
    for item in changes:
        payloads.get(plain, item)
    assert len(payloads._cache) == 8
    payloads.get(plain, changes[-1])  # still kept
    payloads.get(plain, changes[0])  # long gone: executed again
    assert payloads.executions == 21
