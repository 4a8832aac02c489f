"""The public contract of part two (tests/graphql/contract_part2.graphql, the SDL the web app
and other clients code against): every type, field, argument, enum value and union member
it names exists in the schema, spelled as written.

What later work will add is listed in PENDING; an entry there that exists already fails the
test too, so the list only ever shrinks.
"""

from __future__ import annotations

from pathlib import Path

from graphql import (
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    UnionTypeDefinitionNode,
    parse,
)

from atrisk.graphql.schema import schema

CONTRACT = Path(__file__).with_name("contract_part2.graphql")

# Names the contract has and the schema does not have yet, by the work that brings them.
PENDING = frozenset(
    {
        # Live updates
        "Change",
        "Subscription",
        "Subscription.companyChanges",
    }
)


def contract_names() -> set[str]:
    """Every name the contract defines: types, Type.field, Type.field(arg), Enum.VALUE,
    Union|Member."""
    names: set[str] = set()
    for node in parse(CONTRACT.read_text(encoding="utf-8")).definitions:
        name = getattr(getattr(node, "name", None), "value", None)
        if name is None:
            continue
        if isinstance(node, ScalarTypeDefinitionNode | UnionTypeDefinitionNode):
            names.add(name)
        if isinstance(node, UnionTypeDefinitionNode):
            names |= {f"{name}|{member.name.value}" for member in node.types or ()}
        if isinstance(node, EnumTypeDefinitionNode | EnumTypeExtensionNode):
            if isinstance(node, EnumTypeDefinitionNode):
                names.add(name)
            names |= {f"{name}.{value.name.value}" for value in node.values or ()}
        if isinstance(
            node,
            ObjectTypeDefinitionNode
            | ObjectTypeExtensionNode
            | InputObjectTypeDefinitionNode
            | InterfaceTypeDefinitionNode,
        ):
            if not isinstance(node, ObjectTypeExtensionNode):
                names.add(name)
            for field in node.fields or ():
                names.add(f"{name}.{field.name.value}")
                names |= {
                    f"{name}.{field.name.value}({arg.name.value})"
                    for arg in getattr(field, "arguments", None) or ()
                }
    return names


def present(name: str) -> bool:
    types = schema._schema.type_map
    if "|" in name:
        union, member = name.split("|")
        found = types.get(union)
        return isinstance(found, GraphQLUnionType) and member in {t.name for t in found.types}
    type_name, _, rest = name.partition(".")
    found = types.get(type_name)
    if found is None:
        return False
    if not rest:
        return True
    field_name, _, argument = rest.partition("(")
    if isinstance(found, GraphQLEnumType):
        return field_name in found.values
    if isinstance(found, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
        field = found.fields.get(field_name)
        if field is None:
            return False
        return not argument or argument.rstrip(")") in getattr(field, "args", {})
    return False


def test_every_contract_name_is_in_the_schema_or_pending() -> None:
    names = contract_names()
    missing = sorted(name for name in names if not present(name) and not _pending(name))
    assert not missing, f"the schema lacks these names of the contract: {missing}"


def test_nothing_is_pending_that_exists() -> None:
    landed = sorted(name for name in PENDING if present(name))
    assert not landed, f"these exist now; take them out of PENDING: {landed}"


def _pending(name: str) -> bool:
    base = name.split("(")[0].split("|")[0]
    type_name = base.split(".")[0]
    return base in PENDING or type_name in PENDING or name.split("|")[0] in PENDING
