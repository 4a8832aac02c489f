"""The probes: /healthz (the process runs) and /readyz (the database answers, promptly)."""

from __future__ import annotations

import asyncio
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from atrisk.db.database import Database
from atrisk.db.failures import describe

logger = logging.getLogger("atrisk")

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


routes = [Route("/healthz", healthz), Route("/readyz", readyz)]
