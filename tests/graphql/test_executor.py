"""The executor's shorter ways: plain leaf fields answered from their attribute, object
values completed in one step and plain resolvers called directly. Every answer, error
and order must be what Strawberry's usual way gives; the shorter way must be the one
taken."""

from __future__ import annotations

import asyncio
import enum
from datetime import UTC, datetime
from typing import Any

import pytest
import strawberry
from graphql import GraphQLObjectType
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission
from strawberry.types import Info

from atrisk.graphql.executor import AtRiskExecutor, LeanResolver, lean_resolvers, weakly
from atrisk.graphql.schema import schema as product_schema


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"


@strawberry.type
class Child:
    id: strawberry.ID
    name: str | None


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Other(Named):  # implements an interface: its type checks `is_type_of`
    size: int


class Refuse(BasePermission):
    message = "refused"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Node:
    id: strawberry.ID
    label: str
    count: int
    ratio: float
    flag: bool
    colour: Colour
    colour_value: Colour  # holds the plain value, as some of our types do
    at: datetime
    maybe: str | None
    broken: str  # holds None: a non-null field that errors
    bad_colour: Colour | None  # holds a value the enum does not know: errors

    @strawberry.field
    def child(self, info: Info) -> Child:
        return Child(id=strawberry.ID(f"c{self.id}"), name=info.field_name)

    @strawberry.field
    def renamed(self, information: Info) -> str:
        return f"{information.field_name}:{self.label}"

    @strawberry.field
    def no_info(self) -> int:
        return self.count * 2

    @strawberry.field
    async def later(self, info: Info) -> Child | None:
        await asyncio.sleep(0)
        return None if self.count % 2 else Child(id=strawberry.ID("l"), name=None)

    @strawberry.field
    def raises(self, info: Info) -> str | None:
        raise ValueError("resolver failed")

    @strawberry.field
    def with_argument(self, times: int = 1) -> str:
        return self.label * times

    @strawberry.field(permission_classes=[Refuse])
    def guarded(self, info: Info) -> str | None:
        return "never"


def node(number: int) -> Node:
    return Node(
        id=strawberry.ID(str(number)),
        label=f"n{number}",
        count=number,
        ratio=number / 4,
        flag=number % 2 == 0,
        colour=Colour.GREEN if number % 2 else Colour.RED,
        colour_value="red",  # type: ignore[arg-type]
        at=datetime(2026, 1, 1, tzinfo=UTC),
        maybe=None if number % 3 else "three",
        broken=None,  # type: ignore[arg-type]
        bad_colour="purple",  # type: ignore[arg-type]
    )


@strawberry.type
class Query:
    @strawberry.field
    async def nodes(self, count: int = 5) -> list[Node]:
        return [node(number) for number in range(count)]

    @strawberry.field
    def one(self) -> Node:
        return node(1)

    @strawberry.field
    def maybe_one(self, there: bool = True) -> Node | None:
        return node(2) if there else None

    @strawberry.field
    def others(self) -> list[Other]:
        return [Other(name=f"o{number}", size=number) for number in range(3)]

    @strawberry.field
    def named(self) -> Named:
        return Other(name="n", size=1)

    @strawberry.field
    async def gathered(self, info: Info) -> list[int]:
        async def number(value: int) -> int:
            await asyncio.sleep(0)
            return value

        helpers = info._raw_info.async_helpers
        helpers.track([number(0)])
        return list(await helpers.gather([number(1), number(2)]))

    @strawberry.field
    def not_an_other(self) -> Other:
        return Child(id=strawberry.ID("x"), name="x")  # type: ignore[return-value]


class Counting(AtRiskExecutor):
    """Counts the fields that took graphql-core's usual way (a resolve info each)."""

    usual = 0
    objects = 0  # objects completed graphql-core's way

    def build_resolve_info(self, *args: Any, **kwargs: Any) -> Any:
        type(self).usual += 1
        return super().build_resolve_info(*args, **kwargs)

    def complete_object_value(self, *args: Any, **kwargs: Any) -> Any:
        type(self).objects += 1
        return super().complete_object_value(*args, **kwargs)


def schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    usual = strawberry.Schema(query=Query)
    ours = strawberry.Schema(query=Query, execution_context_class=Counting)
    lean_resolvers(ours)
    return usual, ours


def run(schema: strawberry.Schema, query: str) -> tuple[Any, list[tuple[str, Any]]]:
    result = asyncio.run(schema.execute(query))
    errors = sorted((error.message, error.path) for error in result.errors or [])
    return result.data, errors


LEAVES = "id label count ratio flag colour colourValue at maybe __typename"
QUERIES = [
    f"{{ nodes {{ {LEAVES} }} }}",
    f"{{ nodes(count: 7) {{ {LEAVES} child {{ id name __typename }} renamed noInfo }} }}",
    "{ nodes { id later { id name } } }",
    "{ nodes { id broken } }",
    "{ one { id broken } }",
    "{ nodes { id badColour label } }",
    "{ nodes { raises id } }",
    "{ nodes { id guarded } }",
    "{ nodes { withArgument(times: 2) x: withArgument id } }",
    "{ nodes { first: label ...F second: id } } fragment F on Node { count label colour }",
    "{ nodes { child { name } id child { id } } }",
    "{ __typename one { __typename } }",
    "{ maybeOne { id child { name } } none: maybeOne(there: false) { id } }",
    "{ others { name size __typename } named { name __typename ... on Other { size } } }",
    "{ notAnOther { name } one { id } }",
    "{ gathered }",
]


@pytest.mark.parametrize("query", QUERIES)
def test_every_answer_and_error_is_the_usual_ways(query: str) -> None:
    usual, ours = schemas()
    assert run(ours, query) == run(usual, query)


def test_answers_keep_the_order_of_the_selection_set() -> None:
    _, ours = schemas()
    data, _ = run(ours, "{ one { child { id } label z: id later { id } count } }")
    assert list(data["one"]) == ["child", "label", "z", "later", "count"]


def test_plain_leaves_take_no_resolve_info() -> None:
    _, ours = schemas()
    Counting.usual = 0
    run(ours, f"{{ nodes(count: 50) {{ {LEAVES} }} }}")
    assert Counting.usual == 1  # `nodes` alone: none of the 500 leaves under it


def test_objects_are_completed_in_one_step_unless_their_type_checks_is_type_of() -> None:
    _, ours = schemas()
    Counting.objects = 0
    data, _ = run(ours, "{ nodes(count: 20) { id child { id } later { id } } maybeOne { id } }")
    assert len(data["nodes"]) == 20
    assert Counting.objects == 0
    data, _ = run(ours, "{ others { name } named { name } }")
    assert len(data["others"]) == 3
    assert Counting.objects == 3 + 1


def test_an_object_with_an_error_takes_the_usual_way_whole() -> None:
    _, ours = schemas()
    Counting.usual = 0
    data, errors = run(ours, "{ nodes(count: 3) { id label broken } }")
    assert data is None  # the null goes up through the non-null list to the root
    assert errors == [
        ("Cannot return null for non-nullable field Node.broken.", ["nodes", 0, "broken"])
    ]
    # the failing object is completed the usual way: `nodes` and the first node's 3 fields
    assert Counting.usual == 4


def test_plain_resolvers_are_called_directly() -> None:
    _, ours = schemas()
    fields = ours._schema.get_type("Node").fields  # type: ignore[union-attr]
    lean = {name for name, field in fields.items() if isinstance(field.resolve, LeanResolver)}
    assert lean == {"child", "renamed", "noInfo", "later", "raises"}


def test_the_products_plain_resolvers_are_lean_and_guarded_ones_are_not() -> None:
    types = product_schema._schema.type_map
    case = types["AtRiskCase"]
    assert isinstance(case, GraphQLObjectType)
    for name in ("customer", "reason", "assignedTo", "attempts", "credits"):
        assert isinstance(case.fields[name].resolve, LeanResolver), name
    assert not isinstance(case.fields["history"].resolve, LeanResolver)  # has arguments
    query = types["Query"]
    assert isinstance(query, GraphQLObjectType)
    # every root field of ours has permission classes: Strawberry's way, with its checks
    assert not any(isinstance(f.resolve, LeanResolver) for f in query.fields.values())


class EveryResolve(SchemaExtension):
    calls = 0

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        type(self).calls += 1
        return _next(root, info, *args, **kwargs)


def test_an_extension_that_wraps_every_resolver_still_sees_every_field() -> None:
    schema = strawberry.Schema(
        query=Query, execution_context_class=AtRiskExecutor, extensions=[EveryResolve]
    )
    EveryResolve.calls = 0
    data, _ = run(schema, "{ nodes(count: 4) { id label count } }")
    assert len(data["nodes"]) == 4
    assert EveryResolve.calls == 1 + 4 * 3


def test_a_schema_with_exception_handlers_keeps_strawberrys_resolvers() -> None:
    schema = strawberry.Schema(query=Query, execution_context_class=AtRiskExecutor)
    schema.schema_converter._exception_handler_specs = (object(),)  # type: ignore[assignment]
    assert lean_resolvers(schema) == 0


def test_the_resolvers_helpers_hold_the_executor_weakly() -> None:
    _, ours = schemas()
    data, errors = run(ours, "{ gathered }")
    assert (data, errors) == ({"gathered": [1, 2]}, [])

    class Holder:
        def method(self, value: int) -> int:
            return value + 1

    holder = Holder()
    call = weakly(holder.method)
    assert call(1) == 2
    del holder
    with pytest.raises(RuntimeError, match="the execution has ended"):
        call(1)
