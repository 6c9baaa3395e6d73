"""Permit rows of a lots case: the permits and authority areas the company needs, with their
statutory clocks (app.cases.statutory) and deadlines (app.cases.deadlines).

* A row keeps its expected decision date and "ansök senast" denormalised (see
  app.cases.models): they are recomputed whenever the row, the case's event date or the permit
  type's statutory time changes (catalogue hook in app.core.clock_hooks), and by hand with
  `flask cases recompute-clocks`.
* PBL's three-week rule: the completion request and material added on the applicant's own
  initiative are recorded only for the permit types it governs.

Every function takes `actor` (and `now` where time matters), checks permissions, flushes and
never commits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app.audit import services as audit
from app.auth.models import User
from app.cases import workflow
from app.cases.deadlines import DEFAULT_NEAR_DAYS, apply_by
from app.cases.models import PERMIT_OUTCOMES, CasePermit, LotsCase
from app.cases.rules import case_of, past_or_today, record_event, require_edit, require_open
from app.cases.statutory import PermitDates, StatutoryTime, clock_start, expected_decision_on
from app.catalogues.models import PermitType
from app.catalogues.services import ensure_permit_type_selectable
from app.core.clock_hooks import ClockImpact
from app.core.codes import swedish
from app.core.db import check_version
from app.core.errors import ValidationError
from app.core.time import local_today, utcnow
from app.extensions import db


def near_days() -> int:
    """How many days before a deadline it counts as near (LOTSBOK_STATUTORY_NEAR_DAYS)."""
    return int(current_app.config.get("LOTSBOK_STATUTORY_NEAR_DAYS", DEFAULT_NEAR_DAYS))


@dataclass(frozen=True)
class PermitInput:
    """A permit row. `completion_requested_on` (föreläggande om komplettering) and
    `own_initiative_on` only for permit types under PBL's three-week rule.
    `request_date_unknown` None keeps the row's stored mark (see CasePermit)."""

    permit_type_id: int | None
    authority: str = ""
    submitted_on: date | None = None
    complete_on: date | None = None
    completion_requested_on: date | None = None
    own_initiative_on: tuple[date, ...] = ()
    request_date_unknown: bool | None = None
    extended: bool = False
    decision_on: date | None = None
    outcome: str | None = None
    note: str = ""


def _permit_rows(case_id: int) -> list[CasePermit]:
    return list(db.session.scalars(sa.select(CasePermit).where(CasePermit.case_id == case_id)))


def _clock_dates(row: CasePermit, case: LotsCase, permit_type: PermitType) -> tuple[date | None, date | None]:
    """The (expected decision date, "ansök senast") a row should have with this catalogue row."""
    expected = expected_decision_on(
        StatutoryTime.from_permit_type(permit_type),
        submitted_on=row.submitted_on,
        complete_on=row.complete_on,
        extended=row.extended,
        completion_requested_on=row.completion_requested_on,
        own_initiative_on=row.own_initiative_dates,
        request_date_unknown=row.request_date_unknown,
    )
    return expected, apply_by(case.event_date, permit_type.lead_time_weeks)


def _refresh_clock(row: CasePermit, case: LotsCase, permit_type: PermitType | None = None) -> None:
    """Recompute the denormalised expected decision date and "ansök senast" of a row."""
    permit_type = permit_type or db.session.get(PermitType, row.permit_type_id)
    row.expected_decision_on, row.apply_by = _clock_dates(row, case, permit_type)


def refresh_case_clocks(case: LotsCase) -> None:
    """Recompute the dates of every row of `case` (its event date moves "ansök senast"). Flushes."""
    for row in _permit_rows(case.id):
        _refresh_clock(row, case)
    db.session.flush()


def _validate_permit(
    data: PermitInput, permit_type: PermitType, today: date, *, request_date_unknown: bool = False
) -> None:
    for value, name, message in (
        (data.submitted_on, "submitted_on", _("Inlämningsdatumet kan inte ligga i framtiden.")),
        (
            data.completion_requested_on,
            "completion_requested_on",
            _("Datumet för föreläggandet kan inte ligga i framtiden."),
        ),
        (data.complete_on, "complete_on", _("Datumet för komplett ansökan kan inte ligga i framtiden.")),
        (data.decision_on, "decision_on", _("Beslutsdatumet kan inte ligga i framtiden.")),
        (
            max(data.own_initiative_on, default=None),
            "own_initiative_on",
            _("Ett datum för underlag kan inte ligga i framtiden."),
        ),
    ):
        past_or_today(value, today, name, message)
    if (data.complete_on or data.completion_requested_on or data.own_initiative_on) and not data.submitted_on:
        raise ValidationError(_("Ange när ansökan lämnades in."), field="submitted_on")
    if data.complete_on and data.submitted_on and data.complete_on < data.submitted_on:
        raise ValidationError(_("Ansökan kan inte ha blivit komplett före inlämningen."), field="complete_on")
    if data.decision_on and data.submitted_on and data.decision_on < data.submitted_on:
        raise ValidationError(_("Beslutet kan inte vara före inlämningen."), field="decision_on")
    if data.outcome and data.outcome not in PERMIT_OUTCOMES:
        raise ValidationError(_("Välj ett giltigt beslut."), field="outcome")
    if data.outcome and not data.decision_on:
        raise ValidationError(_("Ange beslutsdatum."), field="decision_on")
    if data.decision_on and not data.outcome:
        raise ValidationError(_("Ange vad beslutet blev."), field="outcome")
    if data.extended and not permit_type.extension_value:
        raise ValidationError(
            _("Handläggningstiden för %(name)s kan inte förlängas.", name=permit_type.name), field="extended"
        )
    if len(data.authority.strip()) > 200:
        raise ValidationError(_("Högst 200 tecken."), field="authority")
    _validate_three_week_dates(data, permit_type, request_date_unknown)
    if data.extended:
        time = StatutoryTime.from_permit_type(permit_type)
        dates = PermitDates(
            data.submitted_on,
            data.complete_on,
            data.completion_requested_on,
            data.own_initiative_on,
            request_date_unknown=request_date_unknown,
        )
        if time is not None and clock_start(time, dates).on is None:
            raise ValidationError(_("Tiden kan förlängas först när den har börjat räknas."), field="extended")


def _validate_three_week_dates(
    data: PermitInput, permit_type: PermitType, request_date_unknown: bool
) -> None:
    """The dates of PBL's three-week rule (statutory.py): only for the types it governs, in an
    order that can have happened."""
    if not permit_type.pbl_three_week_rule:
        if data.completion_requested_on or data.own_initiative_on:
            field = "completion_requested_on" if data.completion_requested_on else "own_initiative_on"
            raise ValidationError(
                _(
                    "Föreläggande och underlag på eget initiativ registreras bara för typer där PBL:s "
                    "treveckorsregel gäller, inte för %(name)s.",
                    name=permit_type.name,
                ),
                field=field,
            )
        return
    submitted, requested, completed = data.submitted_on, data.completion_requested_on, data.complete_on
    if requested and submitted and requested < submitted:
        raise ValidationError(
            _("Föreläggandet om komplettering kan inte vara före inlämningen."),
            field="completion_requested_on",
        )
    if requested and completed and completed < requested:
        raise ValidationError(
            _("Kompletteringen kan inte ha kommit in före föreläggandet om komplettering."),
            field="complete_on",
        )
    if completed and submitted and completed > submitted and not requested and not request_date_unknown:
        raise ValidationError(
            _(
                "Ange när nämnden förelade om komplettering: för %(name)s räknas tiden från "
                "kompletteringen bara efter ett föreläggande inom tre veckor (PBL 9 kap. 22 och 27 §§). "
                "Kom underlaget på sökandens eget initiativ, ange det under underlag på eget initiativ.",
                name=permit_type.name,
            ),
            field="completion_requested_on",
        )
    for added in data.own_initiative_on:
        if submitted and added < submitted:
            raise ValidationError(
                _("Underlaget %(date)s kan inte ha kommit före inlämningen.", date=added.isoformat()),
                field="own_initiative_on",
            )
        if data.decision_on and added > data.decision_on:
            raise ValidationError(
                _("Underlaget %(date)s kan inte ha kommit efter beslutet.", date=added.isoformat()),
                field="own_initiative_on",
            )


def _apply_permit_dates(row: CasePermit, data: PermitInput) -> None:
    row.submitted_on = data.submitted_on
    row.complete_on = data.complete_on
    row.completion_requested_on = data.completion_requested_on
    row.own_initiative_on = [d.isoformat() for d in sorted(set(data.own_initiative_on))] or None
    if data.request_date_unknown is not None:
        row.request_date_unknown = data.request_date_unknown
    if row.completion_requested_on is not None:
        row.request_date_unknown = False  # the date is known now
    row.extended = data.extended
    row.decision_on = data.decision_on
    row.outcome = data.outcome or None


def add_permit(case: LotsCase, data: PermitInput, *, actor: User, now: datetime | None = None) -> CasePermit:
    """Add a permit or authority-area row from the catalogue. The department defaults to the
    catalogue's deciding body. Raises PermissionDenied, ValidationError, Conflict. Flushes."""
    require_edit(actor, case)
    require_open(case)
    now = now or utcnow()
    permit_type = ensure_permit_type_selectable(
        db.session.get(PermitType, data.permit_type_id) if data.permit_type_id else None
    )
    _validate_permit(data, permit_type, local_today(now))
    row = CasePermit(
        case_id=case.id,
        permit_type_id=permit_type.id,
        authority=data.authority.strip() or permit_type.deciding_body[:200],
        note=data.note.strip(),
        request_date_unknown=False,
    )
    _apply_permit_dates(row, replace(data, request_date_unknown=False))
    _refresh_clock(row, case, permit_type)
    db.session.add(row)
    summary = f"{permit_type.name} tillagt i lotsärende {case.id}"  # untranslated: audit trail
    audit.record_create(actor, row, summary=summary)
    record_event(case, "permit", actor=actor, now=now, text=f"{permit_type.name} ({row.authority})".strip())
    db.session.flush()
    return row


def update_permit(
    row: CasePermit,
    data: PermitInput,
    *,
    actor: User,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CasePermit:
    """Record dates, extension, decision and outcome of a permit row (the type stays).

    Raises PermissionDenied, StaleEdit, ValidationError. Flushes.
    """
    case = case_of(row.case_id)
    require_edit(actor, case)
    check_version(row, expected_version)
    now = now or utcnow()
    permit_type = db.session.get(PermitType, row.permit_type_id)
    unknown = row.request_date_unknown if data.request_date_unknown is None else data.request_date_unknown
    _validate_permit(data, permit_type, local_today(now), request_date_unknown=unknown)
    was_decided = row.decision_on is not None
    row.authority = data.authority.strip() or row.authority
    _apply_permit_dates(row, data)
    row.note = data.note.strip()
    _refresh_clock(row, case, permit_type)
    summary = f"{permit_type.name} i lotsärende {case.id} ändrat"  # untranslated: audit trail
    changes = audit.record_update(actor, row, summary=summary)
    if changes:
        if row.decision_on and not was_decided:
            outcome = swedish(lambda: row.outcome_label).lower()  # stored in the case history
            text = f"{permit_type.name}: {outcome} {row.decision_on.isoformat()}"
        else:
            text = f"{permit_type.name}: uppgifter ändrade"  # untranslated: stored as a case event
        record_event(case, "permit", actor=actor, now=now, text=text)
    db.session.flush()
    return row


def remove_permit(row: CasePermit, *, actor: User, now: datetime | None = None) -> None:
    """Remove a permit row entered by mistake (audited with its values). Flushes."""
    case = case_of(row.case_id)
    require_edit(actor, case)
    now = now or utcnow()
    permit_type = db.session.get(PermitType, row.permit_type_id)
    summary = f"{permit_type.name} borttaget ur lotsärende {case.id}"  # untranslated: audit trail
    audit.record_delete(actor, row, summary=summary)
    record_event(case, "permit", actor=actor, now=now, text=f"{permit_type.name} borttaget")
    db.session.delete(row)
    db.session.flush()


def _rows_to_recompute(permit_type_id: int | None, include_decided: bool):
    """(row, case) pairs, streamed, with the case joined (no query per row)."""
    stmt = sa.select(CasePermit, LotsCase).join(LotsCase, LotsCase.id == CasePermit.case_id)
    if not include_decided:
        stmt = stmt.where(CasePermit.decision_on.is_(None))
    if permit_type_id is not None:
        stmt = stmt.where(CasePermit.permit_type_id == permit_type_id)
    return db.session.execute(stmt.order_by(CasePermit.id).execution_options(yield_per=500))


def recompute_clocks(*, include_decided: bool = False) -> int:
    """Refresh every undecided permit row's dates from the catalogue (a permit-type edit does
    this by itself for its own rows). `include_decided` also rewrites the deadline of decided
    rows, which the reports compare decisions against. Returns how many rows changed. Flushes."""
    changed = 0
    types: dict[int, PermitType] = {}
    for row, case in _rows_to_recompute(None, include_decided):
        permit_type = types.get(row.permit_type_id) or types.setdefault(
            row.permit_type_id, db.session.get(PermitType, row.permit_type_id)
        )
        before = (row.expected_decision_on, row.apply_by)
        _refresh_clock(row, case, permit_type)
        if (row.expected_decision_on, row.apply_by) != before:
            changed += 1
    db.session.flush()
    return changed


def permit_type_clock_impact(permit_type: PermitType) -> ClockImpact:
    """How many undecided rows of `permit_type` (and open cases) would get other dates if the
    type were saved as it now stands in the session. Writes nothing."""
    rows, open_cases = 0, set()
    with db.session.no_autoflush:
        for row, case in _rows_to_recompute(permit_type.id, False):
            if _clock_dates(row, case, permit_type) != (row.expected_decision_on, row.apply_by):
                rows += 1
                if case.status != workflow.CaseStatus.CLOSED:
                    open_cases.add(case.id)
    return ClockImpact(rows, len(open_cases))


def recompute_permit_type_clocks(permit_type: PermitType) -> int:
    """Refresh the undecided rows of one permit type after it was saved. Flushes."""
    changed = 0
    for row, case in _rows_to_recompute(permit_type.id, False):
        before = (row.expected_decision_on, row.apply_by)
        _refresh_clock(row, case, permit_type)
        changed += (row.expected_decision_on, row.apply_by) != before
    db.session.flush()
    return changed
