"""Expected failures of the service layer.

ServiceError
 ├── ValidationFailed   bad input: which field, and why
 ├── NotFound           no such thing in the caller's company (another company's id included)
 ├── VersionConflict    expectedVersion is stale; carries the current entry, customer or case
 ├── OpenCaseExists     the customer already has a case that is not closed; carries it
 └── EntryInUse         an entry that cases or credits use cannot simply be deleted
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from atrisk.models.cases import AtRiskCase


class ServiceError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(ServiceError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotFound(ServiceError):
    def __init__(self, entry_id: str, kind: str = "at-risk entry") -> None:
        super().__init__(f"No {kind} has the id {entry_id!r}.")
        self.entry_id = entry_id
        self.kind = kind


class VersionConflict(ServiceError):
    """`current` is the row as it is now (an entry, a customer or a case); `what` names it
    (an entry by its category's label)."""

    def __init__(self, current: Any, what: str | None = None) -> None:
        what = what or current.category.label
        super().__init__(
            f"This {what} was changed by someone else meanwhile. "
            "Review it as it is now, then try again."
        )
        self.current = current


class OpenCaseExists(ServiceError):
    def __init__(self, open_case: AtRiskCase) -> None:
        super().__init__(
            "This customer already has an open at-risk case; work that one, or close it first."
        )
        self.open_case = open_case


class EntryInUse(ServiceError):
    def __init__(self, label: str, usage_count: int) -> None:
        uses = (
            "1 case or credit uses" if usage_count == 1 else f"{usage_count} cases and credits use"
        )
        super().__init__(
            f"{uses} this {label}. Name another {label} to move them to (replaceWith), "
            "or deactivate it instead."
        )
        self.usage_count = usage_count
