"""The record lists behind the drill-down figures (app.reports.drilldown), one family at a time:
cases, permit rows, follow-ups, visits, referrals and survey answers. For each, the query on the
SAME predicate functions as the count in app.reports.counting (app.reports.predicates), with its
columns, and its rows as the reader sees them. Columns are chosen for a list: no notes, no
free text. What hangs on a restricted contact or case is shown by the one rule
(app.core.restriction): a reader who may not read it sees the neutral wording (no title, permit
type, partner or outcome), a reader who may read it sees it and the read is logged.

Per family: a build function (scope, now, figure argument) → (query, columns), or a factory of
one, and a rows function (rows, viewer) → [Row]; app.reports.drilldown.SPECS pairs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from werkzeug.routing import BuildError

from app.auth.models import User
from app.cases.models import CasePermit, CaseType, LotsCase, SurveyResponse
from app.catalogues.models import PermitType, ReferralPartner
from app.companies.models import Company
from app.core import restriction
from app.core.time import local_today
from app.followups.models import STATUS_LABELS as FOLLOWUP_STATUS
from app.followups.models import FollowUp
from app.interactions.models import Referral
from app.reports import predicates as F
from app.reports.base import Scope
from app.visits.models import CompanyVisit


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Row:
    cells: list[Any]
    url: str | None  # the record's own page, when there is one
    restricted: bool = False


def url_or_none(endpoint: str, **values: Any) -> str | None:
    """url_for(endpoint, **values), or None when the endpoint is not registered or not buildable."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _judged(
    viewer: User, rows: list[Any], **parents: Callable[[Any], int | None]
) -> list[tuple[Any, bool, bool]]:
    """(row, restricted, may show) per row: the one rule (app.core.restriction) for the records
    the rows hang on; showing restricted content is an audited read."""
    verdicts = restriction.judge(viewer, rows, **parents)
    return [(row, v.restricted, restriction.reveal(viewer, v)) for v, row in zip(verdicts, rows, strict=True)]


# -- cases ------------------------------------------------------------------------------------


def _case_select(conds: list[sa.ColumnElement[bool]]) -> sa.Select:
    return (
        sa.select(
            LotsCase.id,
            LotsCase.title,
            Company.name,
            CaseType.name,
            LotsCase.intake_on,
            LotsCase.closed_at,
            LotsCase.status,
            LotsCase.is_restricted,
            User.name,
        )
        .join(Company, Company.id == LotsCase.company_id)
        .join(CaseType, CaseType.id == LotsCase.case_type_id)
        .join(User, User.id == LotsCase.responsible_user_id)
        .where(*conds)
        .order_by(LotsCase.intake_on, LotsCase.id)
    )


def _case_columns() -> list[Column]:
    return [
        Column(_("Ärende")),
        Column(_("Företag")),
        Column(_("Ärendetyp")),
        Column(_("Inkom")),
        Column(pgettext("ärende", "Avslutat")),
        Column(_("Dagar"), numeric=True),
        Column(_("Ansvarig")),
    ]


def case_rows(rows: list[Any], viewer: User) -> list[Row]:
    from app.cases.workflow import STATUS_LABELS
    from app.core.time import to_local

    today = local_today()
    out = []
    for row, restricted, show in _judged(viewer, rows, case=lambda r: r[0]):
        cid, title, company, ctype, intake_on, closed_at, status, _restricted, responsible = row
        end = to_local(closed_at).date() if closed_at else today
        out.append(
            Row(
                [
                    f"{cid}: {title if show else restriction.neutral('case')}",
                    company,
                    ctype,
                    intake_on,
                    to_local(closed_at).date() if closed_at else STATUS_LABELS.get(status, status),
                    max(0, (end - intake_on).days),
                    responsible,
                ],
                url_or_none("cases.detail", case_id=cid),
                restricted,
            )
        )
    return out


def cases(where: Callable[[Scope, datetime], list[sa.ColumnElement[bool]]]) -> Callable:
    return lambda scope, now, _arg: (_case_select(where(scope, now)), _case_columns())


# -- permits ----------------------------------------------------------------------------------


def permits(scope: Scope, now: datetime, _arg: str) -> tuple[sa.Select, list[Column]]:
    stmt = (
        sa.select(
            LotsCase.id,
            LotsCase.title,
            LotsCase.is_restricted,
            Company.name,
            PermitType.name,
            CasePermit.authority,
            CasePermit.expected_decision_on,
            CasePermit.decision_on,
        )
        .select_from(CasePermit)
        .join(LotsCase, LotsCase.id == CasePermit.case_id)
        .join(Company, Company.id == LotsCase.company_id)
        .join(PermitType, PermitType.id == CasePermit.permit_type_id)
        .where(*F.permits_passed_where(scope, now))
        .order_by(CasePermit.expected_decision_on, CasePermit.id)
    )
    cols = [
        Column(_("Ärende")),
        Column(_("Företag")),
        Column(_("Tillstånd")),
        Column(_("Myndighet")),
        Column(_("Beslut senast")),
        Column(_("Beslutat")),
    ]
    return stmt, cols


def permit_rows(rows: list[Any], viewer: User) -> list[Row]:
    # A permit row inherits its case's restriction: nothing of it for a reader who may not read.
    hidden = restriction.NOT_SHOWN
    out = []
    for row, restricted, show in _judged(viewer, rows, case=lambda r: r[0]):
        cid, title, _restricted, company, ptype, authority, expected, decided = row
        cells = (
            [f"{cid}: {title}", company, ptype, authority, expected, decided or _("Nej")]
            if show
            else [f"{cid}: {restriction.neutral('case')}", company, hidden, hidden, hidden, hidden]
        )
        out.append(Row(cells, url_or_none("cases.detail", case_id=cid), restricted))
    return out


# -- follow-ups -------------------------------------------------------------------------------


def followups(where: Callable[[Scope, datetime], list[sa.ColumnElement[bool]]]) -> Callable:
    def build(scope: Scope, now: datetime, _arg: str) -> tuple[sa.Select, list[Column]]:
        stmt = (
            sa.select(
                FollowUp.id,
                FollowUp.title,
                Company.name,
                FollowUp.due_on,
                FollowUp.done_on,
                FollowUp.status,
                User.name,
                FollowUp.interaction_id,
                FollowUp.case_id,
            )
            .join(User, User.id == FollowUp.assignee_id)
            .outerjoin(Company, Company.id == FollowUp.company_id)
            .where(*where(scope, now))
            .order_by(FollowUp.due_on, FollowUp.id)
        )
        cols = [
            Column(_("Uppföljning")),
            Column(_("Företag")),
            Column(_("Förfallodag")),
            Column(_("Klar")),
            Column(_("Status")),
            Column(_("Ansvarig")),
        ]
        return stmt, cols

    return build


def followup_rows(rows: list[Any], viewer: User) -> list[Row]:
    # A follow-up inherits the restriction of its contact and case.
    out = []
    for row, restricted, show in _judged(viewer, rows, interaction=lambda r: r[7], case=lambda r: r[8]):
        fid, title, company, due_on, done_on, status, assignee, _iid, _cid = row
        out.append(
            Row(
                [
                    title if show else restriction.neutral("followup"),
                    company or "",
                    due_on,
                    done_on or "",
                    FOLLOWUP_STATUS.get(status, status),
                    assignee,
                ],
                url_or_none("followups.edit", followup_id=fid),
                restricted,
            )
        )
    return out


# -- visits -----------------------------------------------------------------------------------


def visits(with_ledning: bool) -> Callable:
    def build(scope: Scope, now: datetime, _arg: str) -> tuple[sa.Select, list[Column]]:
        stmt = (
            sa.select(CompanyVisit.id, Company.name, CompanyVisit.starts_at, CompanyVisit.place)
            .join(Company, Company.id == CompanyVisit.company_id)
            .where(*F.visits_where(scope, with_ledning=with_ledning))
            .order_by(CompanyVisit.starts_at, CompanyVisit.id)
        )
        return stmt, [Column(_("Företag")), Column(_("Datum")), Column(_("Plats"))]

    return build


def visit_rows(rows: list[Any], viewer: User) -> list[Row]:
    return [
        Row([company, starts_at, place], url_or_none("visits.detail", visit_id=vid))
        for vid, company, starts_at, place in rows
    ]


# -- referrals --------------------------------------------------------------------------------


def referrals(scope: Scope, now: datetime, arg: str) -> tuple[sa.Select, list[Column]]:
    partner_id = int(arg) if arg.isdigit() else None
    stmt = (
        sa.select(
            Referral.id,
            Referral.interaction_id,
            Company.name,
            ReferralPartner.name,
            Referral.referred_on,
            Referral.outcome.is_not(None),
            Referral.case_id,
        )
        .join(Company, Company.id == Referral.company_id)
        .join(ReferralPartner, ReferralPartner.id == Referral.partner_id)
        .where(*F.referrals_where(scope, partner_id))
        .order_by(Referral.referred_on, Referral.id)
    )
    return stmt, [
        Column(_("Företag")),
        Column(_("Partner")),
        Column(_("Datum")),
        Column(_("Utfall registrerat")),
    ]


def referral_rows(rows: list[Any], viewer: User) -> list[Row]:
    # A referral inherits the restriction of its contact and case: no partner or outcome of one
    # the reader may not read.
    out = []
    for row, restricted, show in _judged(viewer, rows, interaction=lambda r: r[1], case=lambda r: r[6]):
        _rid, iid, company, partner, on, has_outcome, cid = row
        cells = (
            [company, partner, on, _("Ja") if has_outcome else _("Nej")]
            if show
            else [company, restriction.neutral("referral"), on, restriction.NOT_SHOWN]
        )
        url = (
            url_or_none("interactions.detail", interaction_id=iid)
            if iid
            else (url_or_none("cases.detail", case_id=cid) if cid else None)
        )
        out.append(Row(cells, url, restricted))
    return out


# -- survey -----------------------------------------------------------------------------------


def survey(scope: Scope, now: datetime, _arg: str) -> tuple[sa.Select, list[Column]]:
    # The answers are pseudonymised: the list names the cases that answered, never the scores.
    stmt = (
        sa.select(
            LotsCase.id,
            LotsCase.title,
            LotsCase.is_restricted,
            CaseType.name,
            sa.func.date(SurveyResponse.answered_at),
        )
        .join(LotsCase, LotsCase.id == SurveyResponse.case_id)
        .join(CaseType, CaseType.id == SurveyResponse.case_type_id)
        .where(*F.survey_where(scope))
        .order_by(SurveyResponse.answered_at, SurveyResponse.id)
    )
    return stmt, [Column(_("Ärende")), Column(_("Ärendetyp")), Column(_("Besvarad"))]


def survey_rows(rows: list[Any], viewer: User) -> list[Row]:
    return [
        Row(
            [f"{row[0]}: {row[1] if show else restriction.neutral('case')}", row[3], row[4]],
            url_or_none("cases.detail", case_id=row[0]),
            restricted,
        )
        for row, restricted, show in _judged(viewer, rows, case=lambda r: r[0])
    ]
