"""The Starlette application: /graphql, the probes and the bundled web page."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Mount, Route

from atrisk.db import Database
from atrisk.graphql.read_cache import ReadCache
from atrisk.graphql.view import GraphQLView
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
    try:
        await asyncio.wait_for(db.ping(), READY_TIMEOUT_SECONDS)
    except Exception:
        logger.warning("readiness check failed: database unreachable", exc_info=True)
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ready", "database": "ok"})


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    db = Database(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await upgrade_async(settings)
        company, created = await ensure_demo_company(db, with_entries=settings.seed_demo)
        app.state.company_id = company.id
        if created:
            logger.info("created the demo company %r", company.name)
        base = f"http://{settings.host}:{settings.port}"
        logger.info("web page: %s/   GraphQL IDE: %s/graphql", base, base)
        try:
            yield
        finally:
            await db.dispose()

    routes: list[BaseRoute] = [
        Route(
            "/graphql",
            GraphQLView(
                db,
                graphql_ide=settings.graphql_ide,
                read_cache=ReadCache(settings.read_cache_mb * 2**20)
                if settings.read_cache_mb
                else None,
            ),
        ),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
    ]
    if FRONTEND.is_dir():
        routes.append(Mount("/", WebPage(directory=FRONTEND, html=True), name="frontend"))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.settings = settings
    app.state.db = db
    return app
