"""Database failures outside GraphQL's own error handling (signing in, finding the caller):
a database that is down or refuses writes gets a prompt 503 with a clear code."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from atrisk.db.failures import FAILURE_TYPES, database_failure, describe

logger = logging.getLogger("atrisk")


async def database_unavailable(request: Request, error: Exception) -> Response:
    """503 with the failure's code (GraphQL's error shape on /graphql); anything that is
    not a database failure is raised again, a plain 500 as before."""
    failure = database_failure(error)
    if failure is None:
        raise error
    code, message = failure
    logger.error("database failure: %s", describe(error))
    body: dict[str, object] = {"error": code, "message": message}
    if request.url.path == "/graphql":
        body = {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})


exception_handlers = dict.fromkeys(FAILURE_TYPES, database_unavailable)
