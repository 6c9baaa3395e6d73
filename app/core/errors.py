"""Domain errors raised by services and mapped by each adapter (HTML, CLI, jobs)."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a business rule refused the operation. `message` is shown to the user."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(DomainError):
    """Input broke a business rule; `field` names the form field when there is one."""

    status_code = 400


class PermissionDenied(DomainError):
    """The actor's role does not allow the operation."""

    status_code = 403


class NotFound(DomainError):
    """The record does not exist (or is hidden from the actor)."""

    status_code = 404


class Conflict(DomainError):
    """The operation clashes with the current state (duplicate, already done, wrong status)."""

    status_code = 409


class StaleEdit(Conflict):
    """Someone else saved the record after the form was opened."""
