"""The Starlette application: /graphql, the probes and the bundled web page."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from atrisk import auth
from atrisk.body_limit import BodySizeLimit
from atrisk.db import Database
from atrisk.graphql import ide
from atrisk.graphql.schema import build_schema
from atrisk.graphql.view import GraphQLView
from atrisk.middleware import SameOriginWrites, SecurityHeaders
from atrisk.migrate import upgrade_async
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
        if settings.seed_demo:
            company, created = await ensure_demo_company(db, with_entries=True)
            if created:
                logger.info("created the demo company %r", company.name)
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
    middleware = [
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
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.settings = settings
    app.state.db = db
    return app
