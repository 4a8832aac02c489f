"""GraphiQL, served with its assets from this package so that it works offline, opening on
an example document of this API.

Strawberry's GraphiQL page loads React, GraphiQL and the explorer plugin from a CDN.
The same files, byte for byte (the page's `integrity` hashes still check them), are
vendored under `static/graphiql/` with their versions in their names. Its welcome text is
replaced by `example_document`: the picker's query and a mutation asking for every member
of its result, headed by how to sign in when the visitor is signed out.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "static" / "graphiql"
ASSETS_URL = "/graphql-ide"

_CDN = "https://unpkg.com/"
VENDORED = {
    "react@18.2.0/umd/react.production.min.js": "react-18.2.0.production.min.js",
    "react-dom@18.2.0/umd/react-dom.production.min.js": "react-dom-18.2.0.production.min.js",
    "js-cookie@3.0.5/dist/js.cookie.min.js": "js-cookie-3.0.5.min.js",
    "graphiql@3.8.3/graphiql.min.css": "graphiql-3.8.3.min.css",
    "graphiql@3.8.3/graphiql.min.js": "graphiql-3.8.3.min.js",
    "@graphiql/plugin-explorer@1.0.2/dist/style.css": "graphiql-plugin-explorer-1.0.2.css",
    "@graphiql/plugin-explorer@1.0.2/dist/index.umd.js": "graphiql-plugin-explorer-1.0.2.umd.js",
}

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_WELCOME = re.compile(r"const EXAMPLE_QUERY = `.*?`;", re.DOTALL)

SIGNED_IN = """\
# atrisk: your company's at-risk picklists.
# You are signed in (this browser's session).
# Run an operation with the ▶ button (it asks which
# one), or Ctrl-Enter with the cursor inside it.
# The Docs panel on the left has the whole schema.
"""

SIGNED_OUT = """\
# atrisk: your company's at-risk picklists.
# You are SIGNED OUT: every field answers
# UNAUTHENTICATED until you sign in, either way:
# 1. Sign in on the web page at / in this browser,
#    then open /graphql again.
# 2. Or send an API token (from `atrisk create-token`):
#    open Headers below and enter
#    {"Authorization": "Bearer atr_…"}
"""

OPERATIONS = """
# The active Reasons, to fill a picker
# (what a mobile app asks with its token).
query Picker {
  atRiskEntries(category: REASON, active: true) {
    id
    name
  }
}

# Add a Cause (admins only). Expected failures
# are data: ask for each member you handle.
mutation AddCause {
  addAtRiskEntry(input: {
    category: CAUSE
    name: "Competitor offer"
  }) {
    __typename
    ... on AtRiskEntry {
      id name active position version
    }
    ... on ValidationError { field message }
    ... on NotFoundError { id message }
    ... on VersionConflictError {
      message
      current { name version }
    }
  }
}
"""


def example_document(signed_in: bool) -> str:
    return (SIGNED_IN if signed_in else SIGNED_OUT) + OPERATIONS


def with_example(html: str, document: str) -> str:
    """The IDE page opening on `document` instead of GraphiQL's welcome text."""
    if not _WELCOME.search(html):
        raise UnvendoredAsset("GraphiQL's page has no EXAMPLE_QUERY to replace")
    script = f"const EXAMPLE_QUERY = {json.dumps(document)};"
    return _WELCOME.sub(lambda _: script, html, count=1)


class UnvendoredAsset(RuntimeError):
    """The IDE page asks for a CDN file that is not vendored (Strawberry was upgraded)."""


def offline_html(html: str) -> str:
    """The IDE page with every CDN address replaced by its vendored copy."""
    for path, name in VENDORED.items():
        html = html.replace(_CDN + path, f"{ASSETS_URL}/{name}")
    if _CDN in html:
        missing = sorted(set(re.findall(re.escape(_CDN) + r'[^"\']+', html)))
        raise UnvendoredAsset(f"GraphiQL needs assets that are not vendored: {missing}")
    return html


def csp(html: str) -> str:
    """The IDE page's own policy: its own assets and exactly its own inline script."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'self'; script-src 'self' {hashes}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; object-src 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )
