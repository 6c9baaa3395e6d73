"""app.api.boundary.write: the one place an API resource commits or rolls back."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.api.boundary import audited_read, write
from app.core.errors import ValidationError
from app.visits.models import VisitTarget


def _years(db, *, rollback: bool = True) -> list[int]:
    """The stored years: after a rollback only what was committed; without one what the
    session holds."""
    if rollback:
        db.session.rollback()
    return list(db.session.scalars(sa.select(VisitTarget.year).order_by(VisitTarget.year)))


def _add(db, year: int, count: int = 10, *, flush: bool = True) -> VisitTarget:
    target = VisitTarget(year=year, target_count=count)
    db.session.add(target)
    if flush:
        db.session.flush()
    return target


def test_a_successful_call_is_committed_and_its_result_returned(db):
    target = write(lambda: _add(db, 2031))
    assert target.year == 2031
    assert _years(db) == [2031]  # survives a rollback: it was committed


def test_a_refused_call_is_rolled_back_and_its_error_raised_on(db):
    def refused():
        _add(db, 2032)
        raise ValidationError("Nej.", field="year")

    with pytest.raises(ValidationError):
        write(refused)
    assert _years(db, rollback=False) == []


def test_a_create_that_lost_a_race_answers_with_the_record_the_first_request_stored(db):
    first = write(lambda: _add(db, 2033, 5))
    first_id = first.id

    def found():
        return db.session.scalar(sa.select(VisitTarget).where(VisitTarget.year == 2033))

    # The other request committed between this one's check and its commit: the INSERT fails
    # when the commit flushes it.
    again = write(lambda: _add(db, 2033, 7, flush=False), already_saved=found)
    assert again.id == first_id
    assert again.target_count == 5
    # … or at the service's flush, when the other request committed while this one waited.
    assert write(lambda: _add(db, 2033, 9), already_saved=found).id == first_id
    assert _years(db) == [2033]


def test_a_failed_commit_with_nothing_saved_before_is_raised(db):
    write(lambda: _add(db, 2034))
    with pytest.raises(IntegrityError):
        write(lambda: _add(db, 2034, flush=False), already_saved=lambda: None)
    with pytest.raises(IntegrityError):
        write(lambda: _add(db, 2034, flush=False))
    with pytest.raises(IntegrityError):
        write(lambda: _add(db, 2034))


def test_an_audited_read_is_committed_with_its_answer(db):
    _add(db, 2035)
    body = {"ok": True}
    assert audited_read(body) is body
    assert _years(db) == [2035]
