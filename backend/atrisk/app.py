"""The Starlette application: /graphql, the probes and the bundled web page.

`create_app` is also the factory for running several uvicorn workers from an import string:
`uvicorn --factory atrisk.app:create_app` (settings come from the environment).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import exc as sa_exc
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from atrisk import auth
from atrisk.body_limit import BodySizeLimit
from atrisk.db import Database, describe
from atrisk.graphql import ide
from atrisk.graphql.errors import database_failure
from atrisk.graphql.schema import build_schema
from atrisk.graphql.view import GraphQLView
from atrisk.middleware import SameOriginWrites, SecurityHeaders
from atrisk.migrate import upgrade_async
from atrisk.request_log import RequestIdMiddleware
from atrisk.services.companies import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, ensure_demo_company
from atrisk.settings import Settings
from atrisk.webpage import WebPage

logger = logging.getLogger("atrisk")

FRONTEND = Path(__file__).resolve().parent.parent.parent / "frontend"
READY_TIMEOUT_SECONDS = 2.0


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    db: Database = request.app.state.db
    ping = asyncio.ensure_future(db.ping())
    # Answer at the deadline; a hung connection is cleaned up in the background.
    done, _ = await asyncio.wait({ping}, timeout=READY_TIMEOUT_SECONDS)
    if not done:
        ping.cancel()
        ping.add_done_callback(_consume)
        logger.warning("not ready: the database did not answer within %s s", READY_TIMEOUT_SECONDS)
        return _unavailable(f"no answer within {READY_TIMEOUT_SECONDS:g} s")
    if error := ping.exception():
        logger.warning("not ready: the database is unreachable (%s)", describe(error))
        return _unavailable("connection failed")
    return JSONResponse({"status": "ready", "database": "ok"})


def _consume(task: asyncio.Future[None]) -> None:
    if not task.cancelled():
        task.exception()


def _unavailable(reason: str) -> JSONResponse:
    body = {"status": "unavailable", "database": "unreachable", "reason": reason}
    return JSONResponse(body, status_code=503, headers={"Cache-Control": "no-store"})


DATABASE_FAILURES = (
    sa_exc.DBAPIError,
    sa_exc.TimeoutError,
    sa_exc.DisconnectionError,
    OSError,
    TimeoutError,
)


async def database_unavailable(request: Request, error: Exception) -> Response:
    """Outside GraphQL's own error handling (signing in, finding the caller), a database
    that is down or refuses writes gets a prompt 503 with a clear code; anything else is
    a plain 500, as before."""
    failure = database_failure(error)
    if failure is None:
        raise error
    code, message = failure
    logger.error("database failure: %s", describe(error))
    body: dict[str, object] = {"error": code, "message": message}
    if request.url.path == "/graphql":
        body = {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})


async def prepare_database(db: Database) -> None:
    """Wait for the database (bounded), migrate it, and in development seed the demo."""
    await db.wait_until_reachable()
    await upgrade_async(db.settings)
    if db.settings.seed_demo:
        company, created = await ensure_demo_company(db, with_entries=True)
        if created:
            logger.info("created the demo company %r", company.name)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    db = Database(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await prepare_database(db)
        base = f"http://{settings.host}:{settings.port}"
        logger.info("web page: %s/   GraphQL IDE: %s/graphql", base, base)
        if settings.seed_demo:
            logger.info(
                "development sign-in: %s with the password %s (development only)",
                DEMO_ADMIN_EMAIL,
                DEMO_ADMIN_PASSWORD,
            )
        try:
            yield
        finally:
            await db.dispose()

    routes: list[BaseRoute] = [
        Route("/graphql", GraphQLView(db, settings, graphql_schema=build_schema(settings))),
        *auth.routes,
        Route("/healthz", healthz),
        Route("/readyz", readyz),
    ]
    if settings.graphql_ide:
        routes.append(Mount(ide.ASSETS_URL, StaticFiles(directory=ide.ASSETS), name="ide"))
    if FRONTEND.is_dir():
        routes.append(Mount("/", WebPage(directory=FRONTEND, html=True), name="frontend"))
    # The request id is outermost: every later log line of the request carries it.
    middleware = [
        Middleware(RequestIdMiddleware, access_log=settings.access_log),
        Middleware(SecurityHeaders),
        Middleware(BodySizeLimit, max_bytes=settings.max_request_bytes),
    ]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type"],
                allow_credentials=False,
                max_age=600,
            )
        )
    middleware.append(Middleware(SameOriginWrites))
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers=dict.fromkeys(DATABASE_FAILURES, database_unavailable),
    )
    app.state.settings = settings
    app.state.db = db
    return app
