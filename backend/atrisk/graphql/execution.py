"""A shorter way through objects whose selected fields are all plain leaves.

graphql-core completes every field the same general way: resolve info, resolver call,
awaitable check, null check, completion; some forty Python calls per leaf, and as many
again per item of a list. When every field selected on an object is a leaf (scalar or
enum) that Strawberry reads with its default resolver (no resolver of ours, no
arguments, no resolve middleware), that comes down to reading the attribute and
coercing it, which this execution context does directly, for one object or for a whole
list of them. Anything else (@defer, @stream, awaitables, a wrong type) and any value
that is null, an error or fails to coerce takes graphql-core's own path for the whole
object or list, so results and errors are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graphql import (
    GraphQLObjectType,
    GraphQLOutputType,
    Undefined,
    get_nullable_type,
    is_leaf_type,
    is_object_type,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

# (response name, attribute to read or None for __typename, coercion)
Step = tuple[str, str | None, Callable[[Any], Any]]
Plan = tuple[Step, ...]


def _same(value: Any) -> Any:
    return value


def leaf_plan(parent_type: GraphQLObjectType, fields: Mapping[str, Any]) -> Plan | None:
    """How to complete `fields` on `parent_type` directly, or None if it cannot be done."""
    plan: list[Step] = []
    for response_name, details in fields.items():
        node = details[0].node
        name = node.name.value
        if name == "__typename":
            plan.append((response_name, None, _same))
            continue
        field = parent_type.fields.get(name)
        if field is None or field.args or node.arguments:
            return None
        leaf = get_nullable_type(field.type)
        definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if (
            not is_leaf_type(leaf)
            or not getattr(field.resolve, "_is_default", False)
            or not isinstance(definition, StrawberryField)
            or definition.base_resolver is not None
            or definition.default_resolver is not getattr
        ):
            return None
        plan.append((response_name, definition.python_name, leaf.coerce_output_value))
    return tuple(plan)


class LeafFieldsExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # graphql-core memoises the fields of a list's items, so one plan serves every
        # row; the field set is kept alive with its plan so that its id stays unique.
        self._plans: dict[tuple[str, int], tuple[object, Plan | None]] = {}
        middleware = self.middleware_manager
        self._direct = middleware is None or not middleware.middlewares

    def _plan(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> Plan | None:
        key = (parent_type.name, id(grouped_field_set))
        cached = self._plans.get(key)
        if cached is None:
            cached = (grouped_field_set, leaf_plan(parent_type, grouped_field_set))
            self._plans[key] = cached
        return cached[1]

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: Any,
        *rest: Any,
    ) -> Any:
        if self._direct and (plan := self._plan(parent_type, grouped_field_set)) is not None:
            results = _complete_directly(parent_type, source_value, plan)
            if results is not None:
                return results
        return super().execute_fields(parent_type, source_value, path, grouped_field_set, *rest)

    def complete_iterable_value(
        self,
        item_type: GraphQLOutputType,
        field_details_list: Any,
        info: Any,
        path: Any,
        items: Any,
        *rest: Any,
    ) -> Any:
        completed = self._complete_list_directly(item_type, field_details_list, info, path, items)
        if completed is not None:
            return completed
        return super().complete_iterable_value(
            item_type, field_details_list, info, path, items, *rest
        )

    def _complete_list_directly(
        self,
        item_type: GraphQLOutputType,
        field_details_list: Any,
        info: Any,
        path: Any,
        items: Any,
    ) -> list[dict[str, Any]] | None:
        object_type = get_nullable_type(item_type)
        if (
            not self._direct
            or not isinstance(items, list | tuple)
            or not is_object_type(object_type)
            or self.get_stream_usage(field_details_list, path)
        ):
            return None
        grouped_field_set, new_defer_usages, *_ = self.collect_subfields(
            object_type, field_details_list
        )
        plan = self._plan(object_type, grouped_field_set)
        if plan is None or new_defer_usages:
            return None
        is_awaitable = self.is_awaitable
        is_type_of = object_type.is_type_of
        completed = []
        for item in items:
            if is_awaitable(item) or (
                is_type_of is not None and is_type_of(item, info) is not True
            ):
                return None
            results = _complete_directly(object_type, item, plan)
            if results is None:
                return None
            completed.append(results)
        return completed


def _complete_directly(
    parent_type: GraphQLObjectType, source: Any, plan: Plan
) -> dict[str, Any] | None:
    results: dict[str, Any] = {}
    try:
        for response_name, attribute, coerce in plan:
            value = parent_type.name if attribute is None else getattr(source, attribute)
            if value is None or isinstance(value, Exception):
                return None
            coerced = coerce(value)
            if coerced is None or coerced is Undefined:
                return None
            results[response_name] = coerced
    except Exception:
        return None
    return results
