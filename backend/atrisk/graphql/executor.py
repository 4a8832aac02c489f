"""The executor: Strawberry's (graphql-core's), with a shorter way for plain leaf fields;
and `lean_resolvers`, which lets graphql-core call our plain resolvers directly.

Most of a list's fields are plain attributes of scalar or enum type: a case's `id`,
`status`, `rmrAtRisk`. graphql-core runs each through the same steps as a field with a
resolver: it builds a resolve info, calls Strawberry's basic resolver, checks whether the
value is awaitable and walks `complete_value` down to the leaf's serializer. For such a
field the answer is `coerce_output_value(getattr(source, attribute))`, so this executor
computes that directly. Everything else, and every value that would be an error (a null
in a non-null field, a value the scalar refuses, a missing attribute), takes the usual
way, which then reports it as it always does.

A field is plain when Strawberry resolves it with its basic resolver (no resolver of
ours, no field extensions, no permission classes), it has no arguments, the schema's
default resolver is `getattr` and its type, under any non-null, is a scalar or an enum.

An object value (a page's node, a case's customer) is completed in one step too: for an
object type that checks no `is_type_of` (every type but the error members of the result
unions), with nothing deferred, graphql-core's five steps from `complete_value` to
`execute_fields` come to `execute_fields` of the object's collected subfields.

And the executor makes no reference cycle. graphql-core's keeps bound methods of its own
(the resolvers' `info.async_helpers`), so that the executor, and with it the request's
context, loaders, rows and answer, could be freed only by the garbage collector: at 16
connections its collections took a quarter of the server's time on the customer list.
Here the helpers hold the executor weakly, and a request's objects go when it is done.
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, cast

import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLResolveInfoHelpers,
    GraphQLSchema,
    Undefined,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types import Info
from strawberry.types.field import StrawberryField

# Values that are never awaitable and that every scalar and enum coerces as it would on
# the usual way; anything else is checked for being awaitable first.
_PLAIN_TYPES = frozenset({str, int, float, bool})


# What `Leaf.answer` gives when the field has to take the usual way.
USUAL = object()


@dataclass(frozen=True, slots=True)
class Leaf:
    """How to answer one plain field: the source's attribute, coerced by the field's type."""

    attribute: str
    coerce: Callable[[Any], Any]
    non_null: bool

    def answer(self, source: Any, is_awaitable: Callable[[Any], bool]) -> Any:
        try:
            value = getattr(source, self.attribute)
            if value is None:
                return USUAL if self.non_null else None
            if type(value) not in _PLAIN_TYPES and (
                isinstance(value, BaseException) or is_awaitable(value)
            ):
                return USUAL
            coerced = self.coerce(value)
        except Exception:  # the usual way reports it
            return USUAL
        return USUAL if coerced is None or coerced is Undefined else coerced


@dataclass(frozen=True, slots=True)
class Typename:
    """`__typename` of an object type: its name."""

    name: str

    def answer(self, source: Any, is_awaitable: Callable[[Any], bool]) -> Any:
        return self.name


def plain_leaf(
    schema: GraphQLSchema, parent_type: GraphQLObjectType, name: str
) -> Leaf | Typename | None:
    """The shorter way for `parent_type.name`, or None when the field takes the usual way."""
    if name == "__typename":
        return Typename(parent_type.name)
    field_def = schema.get_field(parent_type, name)
    if field_def is None or field_def.args or field_def.resolve is None:
        return None
    if not getattr(field_def.resolve, "_is_default", False):
        return None
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(definition, StrawberryField) or not definition.is_basic_field:
        return None
    if definition.default_resolver is not getattr:
        return None
    leaf_type = get_nullable_type(field_def.type)
    if not is_leaf_type(leaf_type):
        return None
    coerce = (
        _enum_names(leaf_type).__getitem__
        if isinstance(leaf_type, GraphQLEnumType)
        else leaf_type.coerce_output_value
    )
    return Leaf(definition.python_name, coerce, is_non_null_type(field_def.type))


def _enum_names(enum_type: GraphQLEnumType) -> dict[Any, str]:
    """An enum's names by value and, for a Strawberry enum, by member too: what its
    `coerce_output_value` answers, found with one lookup where Strawberry's compares the
    member with each value in turn. A value not found takes the usual way (an error)."""
    names: dict[Any, str] = {}
    for name, value in enum_type.values.items():
        names.setdefault(value.value, name)
    members = getattr(enum_type, "wrapped_cls", None)
    if isinstance(members, type) and issubclass(members, Enum):
        for member in members:
            if member.value in names:
                names[member] = names[member.value]
    return names


@dataclass(frozen=True, slots=True)
class Plan:
    """A selection set of one object type: its plain leaves, the rest (the usual way) and
    the order of every answer."""

    leaves: tuple[tuple[str, Leaf | Typename], ...]
    rest: GroupedFieldSet
    order: tuple[str, ...]


def plain_object(return_type: GraphQLOutputType) -> GraphQLObjectType | None:
    """The object type of a value of `return_type` (T or T!) that is completed in one step,
    or None when it takes the usual way (lists, leaves, unions, types with `is_type_of`)."""
    inner = get_nullable_type(return_type)
    if isinstance(inner, GraphQLObjectType) and inner.is_type_of is None:
        return inner
    return None


# Per schema: output type (types compare by identity) -> what plain_object says of it.
_OBJECTS: weakref.WeakKeyDictionary[
    GraphQLSchema, dict[GraphQLOutputType, GraphQLObjectType | None]
] = weakref.WeakKeyDictionary()
# Per schema: (type name, field name) -> the field's Leaf, or None for the usual way.
_LEAVES: weakref.WeakKeyDictionary[GraphQLSchema, dict[tuple[str, str], Leaf | Typename | None]] = (
    weakref.WeakKeyDictionary()
)


def weakly(method: Callable[..., Any]) -> Callable[..., Any]:
    """`method` of an object, without keeping the object alive."""
    held = weakref.WeakMethod(method)

    def call(*args: Any) -> Any:
        bound = held()
        if bound is None:
            raise RuntimeError("the execution has ended")
        return bound(*args)

    return call


class AtRiskExecutor(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Whatever calls these runs within the execution, which holds the executor anyway
        # (see the module's doc).
        self.async_helpers = GraphQLResolveInfoHelpers(
            gather=weakly(self.gather_async_work), track=weakly(self.track_async_work)
        )
        self._leaves = _LEAVES.setdefault(self.schema, {})
        self._objects = _OBJECTS.setdefault(self.schema, {})
        # graphql-core hands the same selection set to every object of a list.
        self._plans: dict[tuple[str, int], tuple[GroupedFieldSet, Plan | None]] = {}
        # An extension that wraps every resolver wants to see these fields too.
        manager = self.middleware_manager
        self._shortcut = manager is None or not manager.middlewares

    def _leaf(
        self, parent_type: GraphQLObjectType, details: FieldDetailsList
    ) -> Leaf | Typename | None:
        # A plain field has no arguments, so validation has let none through to its node.
        key = (parent_type.name, details[0].node.name.value)
        try:
            return self._leaves[key]
        except KeyError:
            leaf = self._leaves[key] = plain_leaf(self.schema, parent_type, key[1])
            return leaf

    def _plan(self, parent_type: GraphQLObjectType, fields: GroupedFieldSet) -> Plan | None:
        key = (parent_type.name, id(fields))
        held = self._plans.get(key)
        if held is not None and held[0] is fields:
            return held[1]
        leaves: list[tuple[str, Leaf | Typename]] = []
        rest: GroupedFieldSet = {}
        for name, details in fields.items():
            leaf = self._leaf(parent_type, details)
            if leaf is None:
                rest[name] = details
            else:
                leaves.append((name, leaf))
        plan = Plan(tuple(leaves), rest, tuple(fields)) if leaves else None
        # The selection set is kept with its plan, so that its id is not reused meanwhile.
        self._plans[key] = (fields, plan)
        return plan

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        if (
            self._shortcut
            and position_context is None
            and result is not None
            and result is not Undefined
            and not isinstance(result, Exception)
        ):
            try:
                object_type = self._objects[return_type]
            except KeyError:
                object_type = self._objects[return_type] = plain_object(return_type)
            if object_type is not None:
                fields, deferred, _ = self.collect_subfields(object_type, field_details_list)
                if not deferred:
                    # Never null (a dict, or an awaitable of one): T! holds as it would.
                    return self.execute_fields(object_type, result, path, fields, None)
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        plan = self._plan(parent_type, grouped_field_set) if self._shortcut else None
        if plan is None:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        is_awaitable = self.is_awaitable
        answers: dict[str, Any] = {}
        for name, leaf in plan.leaves:
            answer = leaf.answer(source_value, is_awaitable)
            if answer is USUAL:  # an error to report: the whole object the usual way
                return super().execute_fields(
                    parent_type, source_value, path, grouped_field_set, position_context
                )
            answers[name] = answer
        if not plan.rest:
            return answers
        rest = super().execute_fields(parent_type, source_value, path, plan.rest, position_context)
        if is_awaitable(rest):
            return _merged_later(plan.order, answers, rest)
        return _merged(plan.order, answers, cast("dict[str, Any]", rest))


def _merged(
    order: tuple[str, ...], answers: dict[str, Any], rest: dict[str, Any]
) -> dict[str, Any]:
    """Both parts in the order of the selection set (a field left out stays out)."""
    return {
        name: answers[name] if name in answers else rest[name]
        for name in order
        if name in answers or name in rest
    }


async def _merged_later(
    order: tuple[str, ...], answers: dict[str, Any], rest: Awaitable[dict[str, Any]]
) -> dict[str, Any]:
    return _merged(order, answers, await rest)


def lean_resolvers(schema: strawberry.Schema) -> int:
    """Let graphql-core call our plain resolvers directly; returns how many it now does.

    A resolver of ours with no arguments (a case's `customer`, an entry's `usageCount`)
    goes through Strawberry's general wrapper on every call: it converts the (no)
    arguments, chains the (no) field extensions and only then calls the function with the
    source and an `Info`. For a field with no arguments, no field extensions (no
    permission classes) and no exception handlers in the schema, that comes to exactly
    `function(source, info=Info(...))`, which is what its resolver becomes here. Any other
    field keeps Strawberry's; so does every field if the schema has exception handlers.
    """
    converter = schema.schema_converter
    if getattr(converter, "_exception_handler_specs", None) != ():
        return 0
    info_class = schema.config.info_class
    count = 0
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field_def in graphql_type.fields.values():
            definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if field_def.args or not isinstance(definition, StrawberryField):
                continue
            resolve = _lean(definition, info_class)
            if resolve is not None:
                field_def.resolve = resolve
                count += 1
    return count


class LeanResolver:
    """`function(source, info=Info(...))`: what Strawberry's wrapper comes to for a field
    with no arguments, no field extensions and no exception handlers."""

    __slots__ = ("_definition", "_function", "_info_class", "_info_name", "_takes_self")

    def __init__(self, definition: StrawberryField, info_class: type[Info]) -> None:
        resolver = definition.base_resolver
        assert resolver is not None
        self._definition = definition
        self._function = cast("Callable[..., Any]", resolver.wrapped_func)
        self._info_class = info_class
        self._takes_self = resolver.self_parameter is not None
        info = resolver.info_parameter
        self._info_name = info.name if info is not None else None

    def __call__(self, source: Any, info: GraphQLResolveInfo[Any], **_: Any) -> Any:
        kwargs = {}
        if self._info_name is not None:
            kwargs[self._info_name] = self._info_class(_raw_info=info, _field=self._definition)
        return self._function(source, **kwargs) if self._takes_self else self._function(**kwargs)


def _lean(definition: StrawberryField, info_class: type[Info]) -> LeanResolver | None:
    resolver = definition.base_resolver
    if (
        resolver is None
        or definition.extensions
        or definition.is_subscription
        or definition.arguments
        or resolver.root_parameter is not None
        or resolver.parent_parameter is not None
        or not callable(resolver.wrapped_func)
    ):
        return None
    return LeanResolver(definition, info_class)
