"""The records behind a figure (drill-down), for the figures that no other list can filter
exactly (cases, permit rows, follow-ups, visits, referrals, survey answers).

Each list uses the SAME predicate functions as the count in app.reports.counting, so the list
always holds exactly the counted records. Contacts drill down to the contact list itself
(interactions.list with its filter parameters). Columns are chosen for a list: no notes, no
free text. What hangs on a restricted contact or case is shown by the one rule
(app.core.restriction): a reader who may not read it sees the neutral wording (no title, permit
type, partner or outcome), a reader who may read it sees it and the read is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from werkzeug.routing import BuildError

from app.auth.models import User
from app.cases.models import CasePermit, CaseType, LotsCase, SurveyResponse
from app.catalogues.models import PermitType, ReferralPartner
from app.companies.models import Company
from app.core import restriction
from app.core.pagination import Page, capped_count
from app.core.permissions import Perm
from app.core.time import local_today
from app.extensions import db
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


@dataclass(frozen=True)
class RecordList:
    title: str
    perm: Perm
    columns: list[Column]
    page: Page
    rows: list[Row]
    other_list_url: str | None = None  # the feature's own list, filtered as far as it can
    note: str = ""


def _url(endpoint: str, **values: Any) -> str | None:
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


@dataclass(frozen=True)
class _Spec:
    title: str
    perm: Perm
    build: Callable[[Scope, datetime, str], tuple[sa.Select, list[Column]]]
    rows: Callable[[list[Any], User], list[Row]]
    # A list chosen by what restricted records hold (a permit's deadline, a partner) must not
    # list a restricted record the viewer may not read: the extra condition, if any.
    unreadable_left_out: Callable[[User, str], sa.ColumnElement[bool] | None] | None = None
    note: str = ""


_HIDDEN_NOTE = _l(
    "Poster i kontakter och lotsärenden med begränsad åtkomst som du inte får läsa visas inte här "
    "(men räknas i rapporten)."
)


def _permits_left_out(viewer: User, _arg: str) -> sa.ColumnElement[bool]:
    return restriction.readable_clause(viewer, "case")


def _referrals_left_out(viewer: User, arg: str) -> sa.ColumnElement[bool] | None:
    if not arg:
        return None  # all referrals: each shown, a restricted one without its partner
    return restriction.inherited_clause(viewer, interaction=Referral.interaction_id, case=Referral.case_id)


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


def _case_rows(rows: list[Any], viewer: User) -> list[Row]:
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
                _url("cases.detail", case_id=cid),
                restricted,
            )
        )
    return out


def _cases(where: Callable[[Scope, datetime], list[sa.ColumnElement[bool]]]) -> Callable:
    return lambda scope, now, _arg: (_case_select(where(scope, now)), _case_columns())


# -- permits ----------------------------------------------------------------------------------


def _permits(scope: Scope, now: datetime, _arg: str) -> tuple[sa.Select, list[Column]]:
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


def _permit_rows(rows: list[Any], viewer: User) -> list[Row]:
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
        out.append(Row(cells, _url("cases.detail", case_id=cid), restricted))
    return out


# -- follow-ups -------------------------------------------------------------------------------


def _followups(where: Callable[[Scope, datetime], list[sa.ColumnElement[bool]]]) -> Callable:
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


def _followup_rows(rows: list[Any], viewer: User) -> list[Row]:
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
                _url("followups.edit", followup_id=fid),
                restricted,
            )
        )
    return out


# -- visits -----------------------------------------------------------------------------------


def _visits(with_ledning: bool) -> Callable:
    def build(scope: Scope, now: datetime, _arg: str) -> tuple[sa.Select, list[Column]]:
        stmt = (
            sa.select(CompanyVisit.id, Company.name, CompanyVisit.starts_at, CompanyVisit.place)
            .join(Company, Company.id == CompanyVisit.company_id)
            .where(*F.visits_where(scope, with_ledning=with_ledning))
            .order_by(CompanyVisit.starts_at, CompanyVisit.id)
        )
        return stmt, [Column(_("Företag")), Column(_("Datum")), Column(_("Plats"))]

    return build


def _visit_rows(rows: list[Any], viewer: User) -> list[Row]:
    return [
        Row([company, starts_at, place], _url("visits.detail", visit_id=vid))
        for vid, company, starts_at, place in rows
    ]


# -- referrals --------------------------------------------------------------------------------


def _referrals(scope: Scope, now: datetime, arg: str) -> tuple[sa.Select, list[Column]]:
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


def _referral_rows(rows: list[Any], viewer: User) -> list[Row]:
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
            _url("interactions.detail", interaction_id=iid)
            if iid
            else (_url("cases.detail", case_id=cid) if cid else None)
        )
        out.append(Row(cells, url, restricted))
    return out


# -- survey -----------------------------------------------------------------------------------


def _survey(scope: Scope, now: datetime, _arg: str) -> tuple[sa.Select, list[Column]]:
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


def _survey_rows(rows: list[Any], viewer: User) -> list[Row]:
    return [
        Row(
            [f"{row[0]}: {row[1] if show else restriction.neutral('case')}", row[3], row[4]],
            _url("cases.detail", case_id=row[0]),
            restricted,
        )
        for row, restricted, show in _judged(viewer, rows, case=lambda r: r[0])
    ]


SPECS: dict[str, _Spec] = {
    "cases.new": _Spec(
        _l("Nya lotsärenden"), Perm.VIEW_CASES, _cases(lambda s, n: F.cases_new_where(s)), _case_rows
    ),
    "cases.closed": _Spec(
        _l("Avslutade lotsärenden"), Perm.VIEW_CASES, _cases(lambda s, n: F.cases_closed_where(s)), _case_rows
    ),
    "cases.open": _Spec(
        _l("Öppna lotsärenden vid periodens slut"), Perm.VIEW_CASES, _cases(F.cases_open_where), _case_rows
    ),
    "cases.over90": _Spec(
        _l("Lotsärenden öppna längre än %(days)s dagar", days=F.OPEN_CASE_ALERT_DAYS),
        Perm.VIEW_CASES,
        _cases(F.cases_long_open_where),
        _case_rows,
    ),
    "cases.large_new": _Spec(
        _l("Nya större etableringar"),
        Perm.VIEW_CASES,
        _cases(lambda s, n: F.cases_large_new_where(s)),
        _case_rows,
    ),
    "permits.passed": _Spec(
        _l("Passerade lagstadgade handläggningstider"),
        Perm.VIEW_CASES,
        _permits,
        _permit_rows,
        _permits_left_out,
        _HIDDEN_NOTE,
    ),
    "followups.on_time": _Spec(
        _l("Uppföljningar klara i tid"),
        Perm.VIEW_FOLLOWUPS,
        _followups(lambda s, n: F.followups_done_where(s, on_time=True)),
        _followup_rows,
    ),
    "followups.late": _Spec(
        _l("Uppföljningar klara för sent"),
        Perm.VIEW_FOLLOWUPS,
        _followups(lambda s, n: F.followups_done_where(s, on_time=False)),
        _followup_rows,
    ),
    "followups.overdue": _Spec(
        _l("Öppna och försenade uppföljningar vid periodens slut"),
        Perm.VIEW_FOLLOWUPS,
        _followups(F.followups_overdue_where),
        _followup_rows,
    ),
    "visits.done": _Spec(_l("Genomförda företagsbesök"), Perm.VIEW_VISITS, _visits(False), _visit_rows),
    "visits.ledning": _Spec(
        _l("Företagsbesök med kommunledningen"), Perm.VIEW_VISITS, _visits(True), _visit_rows
    ),
    "referrals.total": _Spec(_l("Hänvisningar"), Perm.VIEW_CONTACTS, _referrals, _referral_rows),
    "referrals.partner": _Spec(
        _l("Hänvisningar till partner"),
        Perm.VIEW_CONTACTS,
        _referrals,
        _referral_rows,
        _referrals_left_out,
        _HIDDEN_NOTE,
    ),
    "survey.answers": _Spec(_l("Lotsärenden med enkätsvar"), Perm.VIEW_CASES, _survey, _survey_rows),
}


def spec_for(figure_key: str) -> tuple[_Spec, str] | None:
    """The drill-down of a figure key ("referrals.partner:3" → spec and argument "3")."""
    name, _sep, arg = figure_key.partition(":")
    spec = SPECS.get(name)
    return (spec, arg) if spec else None


def other_list_url(figure_key: str, scope: Scope) -> str | None:
    """The owning feature's list, filtered as closely as its parameters allow (may show more)."""
    if figure_key.startswith("followups."):
        params: dict[str, Any] = {"status": "all" if figure_key != "followups.overdue" else "open"}
        if figure_key == "followups.overdue":
            params["period"] = "overdue"
        params["assignee"] = scope.user_id or "all"
        return _url("followups.list", **params)
    if figure_key.startswith("referrals.partner:"):
        return _url(
            "interactions.list", **F.contact_filter(scope, partner_id=int(figure_key.split(":")[1])).as_args()
        )
    return None


def record_list(
    figure_key: str, scope: Scope, *, viewer: User, page: int, per_page: int, now: datetime
) -> RecordList | None:
    """One page of the records behind `figure_key` in `scope`; None for an unknown key.

    The caller checks `result.perm` against the viewer before showing it.
    """
    found = spec_for(figure_key)
    if found is None:
        return None
    spec, arg = found
    stmt, columns = spec.build(scope, now, arg)
    extra = spec.unreadable_left_out(viewer, arg) if spec.unreadable_left_out else None
    if extra is not None:
        stmt = stmt.where(extra)
    # paginate() returns scalars; the lists select several columns, so page by hand.
    rows = db.session.execute(stmt.limit(per_page + 1).offset((page - 1) * per_page)).all()
    has_next = len(rows) > per_page
    total, capped = capped_count(stmt)
    page_obj = Page(rows[:per_page], page, per_page, has_next, total, capped)
    title = spec.title
    if figure_key.startswith("referrals.partner:") and arg.isdigit():
        partner = db.session.get(ReferralPartner, int(arg))
        title = _("Hänvisningar till %(partner)s", partner=partner.name) if partner else title
    return RecordList(
        title,
        spec.perm,
        columns,
        page_obj,
        spec.rows(list(page_obj.items), viewer),
        other_list_url(figure_key, scope),
        spec.note,
    )
