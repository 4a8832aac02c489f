"""The baselines' server: the product app with the baseline routes added, served exactly
like `atrisk serve` in production (one worker, uvloop, httptools, no access log).

    python -m bench.server --port P --responses DIR
"""

from __future__ import annotations

import argparse
import gc
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount

from atrisk.app import create_app
from atrisk.settings import Settings
from bench.baselines import baseline_routes


def build_app(settings: Settings, responses: dict[str, bytes]) -> Starlette:
    app = create_app(settings)
    routes = app.router.routes
    # After /graphql and before the web page's catch-all mount.
    at = next((i for i, route in enumerate(routes) if isinstance(route, Mount)), len(routes))
    routes[at:at] = baseline_routes(app.state.db, responses)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--responses", type=Path, required=True)
    args = parser.parse_args()
    settings = Settings.from_env()
    responses = {path.stem: path.read_bytes() for path in args.responses.glob("*.json")}
    app = build_app(settings, responses)
    gc.freeze()  # as `atrisk serve` does
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
