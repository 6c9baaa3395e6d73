"""The request boundary of the JSON API: one place decides commit or rollback for every
resource that writes (the API's counterpart of `app.core.web.submit`).

    row = write(lambda: services.update_permit(row, data, actor=actor(), expected_version=version))

- On success the transaction is committed and the service's result returned; the resource
  then reads what it answers with (the ETag is the committed version).
- On a `DomainError` the transaction is rolled back and the error raised on: the error handler
  of app.core.web answers it with problem details (app.api.problems.respond: 403, 404, 409 for
  a stale If-Match, 422 with the field …) and logs a refusal, exactly as for any other error
  under /api/.
- A create sent twice with one Idempotency-Key carries one form token, unique in its table: if
  the other request committed first, the save fails (at the service's flush or at the commit)
  and `already_saved()` finds the record it stored, which is returned instead (the client gets
  the one record, not an error).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from app.core.errors import DomainError
from app.extensions import db

T = TypeVar("T")


def write(call: Callable[[], T], *, already_saved: Callable[[], T | None] | None = None) -> T:
    """Call the service, commit, and return its result (see the module docstring)."""
    try:
        result = call()
        db.session.commit()
    except DomainError:
        db.session.rollback()
        raise
    except IntegrityError:
        # Under concurrency the unique form token fails at the service's flush (the other
        # request committed while this one waited for the row lock) or at the commit.
        db.session.rollback()
        if already_saved is None or (first := already_saved()) is None:
            raise
        return first
    return result


def audited_read(body: T) -> T:
    """Commit after building an answer from an audited read (a restricted record shown in full,
    app.core.restriction): the audit row is stored once the answer exists. Returns `body`."""
    db.session.commit()
    return body
