"""Expected failures of the service layer.

ServiceError
 ├── ValidationFailed   bad input: which field, and why
 ├── NotFound           no such entry in the caller's company
 └── VersionConflict    expectedVersion is stale; carries the current entry
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from atrisk.models.picklists import AtRiskEntry


class ServiceError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(ServiceError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotFound(ServiceError):
    def __init__(self, entry_id: str) -> None:
        super().__init__(f"No at-risk entry has the id {entry_id!r}.")
        self.entry_id = entry_id


class VersionConflict(ServiceError):
    def __init__(self, current: AtRiskEntry) -> None:
        super().__init__(
            f"This {current.category.label} was changed by someone else meanwhile. "
            "Review it as it is now, then try again."
        )
        self.current = current
