"""The baselines' server: the product app with the baseline routes added, served exactly
like `atrisk serve` in production (one worker, uvloop, httptools, no access log).

    python -m bench.server --port P --responses DIR [--no-history]

--no-history: the same app, except that changes write no audit events (the cases bench
measures what history costs a write); a bench variant only, never a product setting.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette
from starlette.routing import Mount

from atrisk.app import create_app
from atrisk.services import changes
from atrisk.settings import Settings
from bench.baselines import baseline_routes
from bench.cases_baselines import cases_routes


def build_app(settings: Settings, responses: dict[str, bytes]) -> Starlette:
    app = create_app(settings)
    routes = app.router.routes
    # After /graphql and before the web page's catch-all mount.
    at = next((i for i, route in enumerate(routes) if isinstance(route, Mount)), len(routes))
    routes[at:at] = [*baseline_routes(app.state.db, responses), *cases_routes(app.state.db)]
    return app


async def _notices_only(session: AsyncSession) -> None:
    """What the change recorder does before commit, but the audit events."""
    if session.get_bind().dialect.name == "postgresql":
        for payload in changes.notices(session.info.get(changes._PENDING, [])):
            await session.execute(select(func.pg_notify(changes.CHANNEL, payload)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--responses", type=Path, required=True)
    parser.add_argument("--no-history", action="store_true")
    args = parser.parse_args()
    if args.no_history:
        changes._write_events = _notices_only
    settings = Settings.from_env()
    responses = {path.stem: path.read_bytes() for path in args.responses.glob("*.json")}
    app = build_app(settings, responses)
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
        loop="uvloop",
        http="httptools",
        proxy_headers=False,
    )


if __name__ == "__main__":
    main()
