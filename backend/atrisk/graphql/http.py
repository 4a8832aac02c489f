"""GraphQL over HTTP (the GraphQL Foundation's spec): the response's media type, its status
code, and how a request without valid credentials is answered (RFC 6750).

    Accept                                   media type                            request error
    application/graphql-response+json (q≥)   application/graphql-response+json     400, no `data`
    anything else, or none                   application/json                      200

A document that does not parse or validate, and variables that do not fit, are request
errors: nothing ran. Whatever the media type, an UNAUTHENTICATED error answers 401 with a
`WWW-Authenticate: Bearer` challenge; `error="invalid_token"` when the request's bearer token
is unknown or revoked.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from graphql import GraphQLError

from atrisk.domain.accounts import Refusal
from atrisk.graphql.permissions import UNAUTHENTICATED

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
REALM = "atrisk"


def _quality(parameters: Sequence[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value.strip())
            except ValueError:
                return 0.0
    return 1.0


@functools.lru_cache(maxsize=64)
def response_media_type(accept: str | None) -> str:
    """application/graphql-response+json when the client takes it at least as gladly as
    application/json; application/json otherwise (also without an Accept header)."""
    graphql_response, json = 0.0, 0.0
    for item in (accept or "").split(","):
        media_type, *parameters = item.split(";")
        media_type = media_type.strip().lower()
        quality = _quality(parameters)
        if media_type == GRAPHQL_RESPONSE:
            graphql_response = max(graphql_response, quality)
        elif media_type in (JSON, "application/*", "*/*"):
            json = max(json, quality)
    return GRAPHQL_RESPONSE if graphql_response > 0 and graphql_response >= json else JSON


def is_request_error(data: object, errors: Sequence[GraphQLError]) -> bool:
    """Nothing ran: the document did not parse or validate, or the variables did not fit."""
    return data is None and bool(errors) and all(error.path is None for error in errors)


def is_unauthenticated(errors: Sequence[GraphQLError]) -> bool:
    return any((error.extensions or {}).get("code") == UNAUTHENTICATED for error in errors)


def challenge(refusal: Refusal | None, sent_bearer_token: bool) -> str:
    """The WWW-Authenticate header of a 401 (RFC 6750, section 3)."""
    if sent_bearer_token and refusal in (Refusal.INVALID, Refusal.REVOKED):
        description = "The token was revoked" if refusal is Refusal.REVOKED else "Unknown token"
        return f'Bearer realm="{REALM}", error="invalid_token", error_description="{description}"'
    return f'Bearer realm="{REALM}"'
