"""The bundled web app: the files of `frontend/` with explicit types and cache headers, and
`index.html` for each of the app's own paths (its pages), so that a page's address can be
reloaded, bookmarked and shared. Any other path is a file or a 404.

There is no build step, so file names carry no content hash: every file is served
with a validator (ETag, Last-Modified) and the browser must revalidate before reuse,
which costs a 304 and never mixes an old module with a new page.
"""

from __future__ import annotations

import os
import re
from pathlib import PurePath

from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

# The app's pages (ROUTES and ALIASES in frontend/app.js; a test keeps them equal). A segment
# written ":name" stands for any one id-like segment ("/customers/:id").
APP_PATHS = frozenset(
    {
        "/",
        "/cases",
        "/customers",
        "/customers/:id",
        "/settings/at-risk-entries",
        "/reports",
        "/settings/history",
        "/settings/users",
        "/settings/tokens",
        "/settings/company",
        "/account",
    }
)
_PARAMETER = "[A-Za-z0-9_-]{1,64}"


def _pattern(path: str) -> re.Pattern[str]:
    segments = (_PARAMETER if part.startswith(":") else re.escape(part) for part in path.split("/"))
    return re.compile("/".join(segments))


_APP_PATTERNS = tuple(_pattern(path) for path in sorted(APP_PATHS))


def is_app_path(path: str) -> bool:
    """Whether `path` is one of the app's pages (answered with index.html)."""
    return any(pattern.fullmatch(path) for pattern in _APP_PATTERNS)


MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
}

PAGE_CACHE_CONTROL = "no-cache"
ASSET_CACHE_CONTROL = "public, max-age=0, must-revalidate"


def media_type_for(path: str | os.PathLike[str]) -> str:
    """The content type of a file of the page; unknown kinds are served as opaque bytes."""
    return MEDIA_TYPES.get(PurePath(path).suffix.lower(), "application/octet-stream")


def cache_control_for(path: str | os.PathLike[str]) -> str:
    return PAGE_CACHE_CONTROL if PurePath(path).suffix.lower() == ".html" else ASSET_CACHE_CONTROL


class WebPage(StaticFiles):
    """StaticFiles with a fixed type table (not the host's mime.types), revalidation, and
    index.html for the app's paths."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        if is_app_path(scope["path"]):
            path = "index.html"
        return await super().get_response(path, scope)

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = FileResponse(
            full_path,
            status_code=status_code,
            stat_result=stat_result,
            media_type=media_type_for(full_path),
            headers={
                "Cache-Control": cache_control_for(full_path),
                "X-Content-Type-Options": "nosniff",
            },
        )
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            return NotModifiedResponse(response.headers)
        return response
