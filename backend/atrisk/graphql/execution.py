"""A shorter way through objects whose selected fields are all plain leaves.

graphql-core completes every field the same general way: resolve info, resolver call,
awaitable check, null check, completion; some forty Python calls per leaf. When every
field selected on an object is a leaf (scalar or enum) that Strawberry reads with its
default resolver (no resolver of ours, no arguments, no resolve middleware), that comes
down to reading the attribute and coercing it, which this execution context does
directly. Anything else, and any value that is null, an error or fails to coerce, takes
graphql-core's own path for the whole object, so results and errors are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graphql import GraphQLObjectType, Undefined, get_nullable_type, is_leaf_type
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

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: Any,
        *rest: Any,
    ) -> Any:
        if self._direct:
            key = (parent_type.name, id(grouped_field_set))
            cached = self._plans.get(key)
            if cached is None:
                cached = (grouped_field_set, leaf_plan(parent_type, grouped_field_set))
                self._plans[key] = cached
            plan = cached[1]
            if plan is not None:
                results = self._complete_directly(parent_type, source_value, plan)
                if results is not None:
                    return results
        return super().execute_fields(parent_type, source_value, path, grouped_field_set, *rest)

    @staticmethod
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
