"""The per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from atrisk.db.database import Database
from atrisk.domain.accounts import Caller, Refusal
from atrisk.graphql.loaders import Loaders

if TYPE_CHECKING:
    from atrisk.graphql.live import Credential, Live


@dataclass(slots=True)
class Context:
    request: Request | WebSocket
    response: Response | WebSocket
    db: Database
    caller: Caller | None
    refusal: Refusal | None = None  # why there is no caller
    # A WebSocket's: what connection_init sent, this process's sockets, the credential.
    connection_params: dict[str, Any] | None = None
    live: Live | None = None
    credential: Credential | None = None
    _loaders: Loaders | None = field(default=None, repr=False)

    @property
    def company_id(self) -> str:
        """The caller's company; root fields are guarded, so there always is one."""
        return self.signed_in.company_id

    @property
    def signed_in(self) -> Caller:
        """The caller; root fields are guarded, so there always is one."""
        if self.caller is None:
            raise RuntimeError("an unguarded root field asked for the caller")
        return self.caller

    @property
    def loaders(self) -> Loaders:
        """This request's DataLoaders, made when first needed."""
        if self._loaders is None:
            self._loaders = Loaders(self.db, self.company_id)
        return self._loaders


Info = strawberry.Info[Context, None]
