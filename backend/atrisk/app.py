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

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Mount, Route

from atrisk.db import Database, describe
from atrisk.graphql.view import GraphQLView
from atrisk.middleware import RequestIdMiddleware
from atrisk.migrate import upgrade_async
from atrisk.services.companies import ensure_demo_company
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


async def prepare_database(db: Database) -> tuple[str, bool]:
    """Wait for the database, migrate it and make sure the demo company exists.

    Returns the company's id and whether it was created now.
    """
    await db.wait_until_reachable()
    await upgrade_async(db.settings)
    company, created = await ensure_demo_company(db, with_entries=db.settings.seed_demo)
    if created:
        logger.info("created the demo company %r", company.name)
    return company.id, created


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    db = Database(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.company_id, _ = await prepare_database(db)
        base = f"http://{settings.host}:{settings.port}"
        logger.info("web page: %s/   GraphQL IDE: %s/graphql", base, base)
        try:
            yield
        finally:
            await db.dispose()

    routes: list[BaseRoute] = [
        Route("/graphql", GraphQLView(db, graphql_ide=settings.graphql_ide)),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
    ]
    if FRONTEND.is_dir():
        routes.append(Mount("/", WebPage(directory=FRONTEND, html=True), name="frontend"))
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(RequestIdMiddleware)])
    app.state.settings = settings
    app.state.db = db
    return app
