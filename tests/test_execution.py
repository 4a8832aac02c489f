"""The direct completion of plain leaf fields gives what graphql-core's own path gives."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from atrisk.domain import Category, Role
from atrisk.graphql.context import Context
from atrisk.graphql.execution import LeafFieldsExecutionContext
from atrisk.graphql.schema import Mutation, Query
from atrisk.services import entries
from atrisk.services.accounts import Caller
from tests.utils.graphql import ENTRY_FIELDS


def context_for(db, company) -> Context:
    caller = Caller(company_id=company.id, company_name=company.name, role=Role.VIEWER)
    return Context(request=None, response=None, db=db, caller=caller)  # type: ignore[arg-type]


class CountingContext(LeafFieldsExecutionContext):
    resolved: list[str]

    def execute_field(self, parent_type, source, field_details_list, path, *rest):
        CountingContext.resolved.append(field_details_list[0].node.name.value)
        return super().execute_field(parent_type, source, field_details_list, path, *rest)


def schemas() -> dict[str, strawberry.Schema]:
    return {
        name: strawberry.Schema(query=Query, mutation=Mutation, execution_context_class=context)
        for name, context in (
            ("direct", LeafFieldsExecutionContext),
            ("general", StrawberryGraphQLCoreExecutionContext),
            ("counting", CountingContext),
        )
    }


QUERIES = [
    f"{{ atRiskEntries {{ {ENTRY_FIELDS} }} }}",
    "{ atRiskEntries(category: CAUSE, active: true) { id name } }",
    "{ atRiskEntries { __typename n: name name again: name category } }",
    "query($x: Boolean!) { atRiskEntries { name active @include(if: $x) id @skip(if: $x) } }",
    "{ atRiskEntries { ...Row } } fragment Row on AtRiskEntry { name ... on AtRiskEntry { id } }",
    '{ atRiskEntries { name } atRiskEntry(id: "nope") { id } __typename }',
]


@pytest.fixture
async def filled(db, company):
    for category in Category:
        for number in range(3):
            entry = await entries.add_entry(db, company.id, category, f"{category.label} {number}")
    await entries.update_entry(db, company.id, entry.id, active=False)
    return company


@pytest.mark.parametrize("query", QUERIES)
async def test_the_direct_path_answers_like_the_general_one(db, filled, query):
    context = context_for(db, filled)
    results = {
        name: await schema.execute(query, variable_values={"x": True}, context_value=context)
        for name, schema in schemas().items()
    }
    direct, general = results["direct"], results["general"]
    assert direct.errors is None
    assert general.errors is None
    assert direct.data == general.data
    assert direct.data


async def test_leaf_fields_of_listed_entries_are_not_resolved_one_by_one(db, filled):
    context = context_for(db, filled)
    CountingContext.resolved = []
    result = await schemas()["counting"].execute(QUERIES[0], context_value=context)
    assert result.data is not None
    assert len(result.data["atRiskEntries"]) == 12
    assert CountingContext.resolved == ["atRiskEntries"]


# --- a value that does not fit its type takes the general path, with its error -------------


@strawberry.type
class Thing:
    id: strawberry.ID
    count: int
    label: str | None


@strawberry.type
class Things:
    @strawberry.field
    def things(self) -> list[Thing]:
        return [
            Thing(id=strawberry.ID("a"), count=1, label="one"),
            Thing(id=strawberry.ID("b"), count="not a number", label=None),  # type: ignore[arg-type]
            Thing(id=strawberry.ID("c"), count=3, label=None),
        ]

    @strawberry.field
    def maybe_things(self) -> list[Thing | None]:
        return [Thing(id=strawberry.ID("a"), count=1, label="one"), None]

    @strawberry.field
    async def later_things(self) -> list[Thing]:
        return [Thing(id=strawberry.ID("a"), count=1, label=None)]


@pytest.mark.parametrize(
    "query",
    [
        "{ things { id count label } }",
        "{ things { id label } }",
        "{ maybeThings { id count } }",
        "{ laterThings { id count __typename } things { id } }",
    ],
)
async def test_nulls_and_bad_values_give_the_general_paths_answer(query):
    direct = strawberry.Schema(query=Things, execution_context_class=LeafFieldsExecutionContext)
    general = strawberry.Schema(query=Things)
    got, expected = await direct.execute(query), await general.execute(query)
    assert got.data == expected.data
    assert [(e.message, e.path) for e in got.errors or []] == [
        (e.message, e.path) for e in expected.errors or []
    ]
    if query.startswith("{ things { id count"):
        assert got.errors
        assert got.errors[0].path == ["things", 1, "count"]


# --- validation, limits included, is done once per document ---------------------------------


async def test_a_repeated_document_is_validated_once_with_the_limits_on(app, client):
    from strawberry.extensions.validation_cache import _get_validate_cache

    cache: Any = _get_validate_cache(256)  # an lru_cache
    # `me` makes it uncacheable, so that every request executes it.
    query = "{ me { role } atRiskEntries(category: CREDIT_REASON) { id name version } }"
    for _ in range(3):
        result = await client.post("/graphql", json={"query": query})
        assert "errors" not in result.json()
    before = cache.cache_info()
    for _ in range(3):
        await client.post("/graphql", json={"query": query})
    after = cache.cache_info()
    assert after.misses == before.misses
    assert after.hits >= before.hits + 3
