"""The Starlette application: /graphql, sign-in, the probes and the bundled web app.

`create_app` is also the factory for running several uvicorn workers from an import string:
`uvicorn --factory atrisk.app:create_app` (settings come from the environment).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from atrisk.collector import settle_after_startup
from atrisk.db.database import Database
from atrisk.db.migrate import upgrade_async
from atrisk.graphql import ide
from atrisk.graphql.live import Live
from atrisk.graphql.schema import build_schema
from atrisk.graphql.view import GraphQLView
from atrisk.services.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, ensure_demo_company
from atrisk.services.feed import Feed
from atrisk.settings import Settings
from atrisk.web import files, probes, signin
from atrisk.web.failures import exception_handlers
from atrisk.web.middleware.allowed_hosts import AllowedHosts
from atrisk.web.middleware.body_limit import BodySizeLimit
from atrisk.web.middleware.header_limit import HeaderSizeLimit
from atrisk.web.middleware.request_id import RequestIdMiddleware
from atrisk.web.middleware.same_origin import SameOriginWrites
from atrisk.web.middleware.security_headers import SecurityHeaders
from atrisk.web.static import WebPage

logger = logging.getLogger("atrisk")

FRONTEND = Path(__file__).resolve().parent.parent.parent / "frontend"


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
    feed = Feed(db)

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
        settle_after_startup()
        feed.start()
        try:
            yield
        finally:
            await feed.stop()
            await db.dispose()

    view = GraphQLView(
        db, settings, graphql_schema=build_schema(settings), live=Live(feed, settings)
    )
    routes: list[BaseRoute] = [
        Route("/graphql", view),
        WebSocketRoute("/graphql", view),
        *signin.routes,
        *probes.routes,
        *files.routes,
    ]
    if settings.graphql_ide:
        routes.append(Mount(ide.ASSETS_URL, StaticFiles(directory=ide.ASSETS), name="ide"))
    if FRONTEND.is_dir():
        routes.append(Mount("/", WebPage(directory=FRONTEND, html=True), name="frontend"))
    # The header limit is outermost: nothing reads a header of an oversized request.
    # Then the request id: every later log line of the request carries it.
    middleware = [
        Middleware(HeaderSizeLimit, max_bytes=settings.max_header_bytes),
        Middleware(RequestIdMiddleware, access_log=settings.access_log),
        Middleware(SecurityHeaders),
        Middleware(AllowedHosts, allowed_hosts=settings.allowed_hosts),
        Middleware(
            BodySizeLimit,
            max_bytes=settings.max_request_bytes,
            limits={"/auth/": signin.LOGIN_BODY_LIMIT, "/customers/import": files.IMPORT_MAX_BYTES},
        ),
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
        exception_handlers=exception_handlers,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.feed = feed
    return app
