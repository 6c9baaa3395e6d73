"""The records behind a figure (drill-down), for the figures that no other list can filter
exactly (cases, permit rows, follow-ups, visits, referrals, survey answers): which list a figure
key opens, one page of it, its title and the owning feature's own list.

Each list uses the SAME predicate functions as the count in app.reports.counting, so the list
always holds exactly the counted records; the lists themselves (query, columns, rows and the
restriction rule on them) are in app.reports.drilldown_lists. Contacts drill down to the contact
list itself (interactions.list with its filter parameters).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.catalogues.models import ReferralPartner
from app.core import restriction
from app.core.pagination import Page, capped_count
from app.core.permissions import Perm
from app.extensions import db
from app.interactions.models import Referral
from app.reports import drilldown_companies as companies
from app.reports import drilldown_lists as lists
from app.reports import predicates as F
from app.reports.base import Scope
from app.reports.drilldown_lists import Column, Row


@dataclass(frozen=True)
class RecordList:
    title: str
    perm: Perm
    columns: list[Column]
    page: Page
    rows: list[Row]
    other_list_url: str | None = None  # the feature's own list, filtered as far as it can
    note: str = ""


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


SPECS: dict[str, _Spec] = {
    "cases.new": _Spec(
        _l("Nya lotsärenden"),
        Perm.VIEW_CASES,
        lists.cases(lambda s, n: F.cases_new_where(s)),
        lists.case_rows,
    ),
    "cases.closed": _Spec(
        _l("Avslutade lotsärenden"),
        Perm.VIEW_CASES,
        lists.cases(lambda s, n: F.cases_closed_where(s)),
        lists.case_rows,
    ),
    "cases.open": _Spec(
        _l("Öppna lotsärenden vid periodens slut"),
        Perm.VIEW_CASES,
        lists.cases(F.cases_open_where),
        lists.case_rows,
    ),
    "cases.over90": _Spec(
        _l("Lotsärenden öppna längre än %(days)s dagar", days=F.OPEN_CASE_ALERT_DAYS),
        Perm.VIEW_CASES,
        lists.cases(F.cases_long_open_where),
        lists.case_rows,
    ),
    "cases.large_new": _Spec(
        _l("Nya större etableringar"),
        Perm.VIEW_CASES,
        lists.cases(lambda s, n: F.cases_large_new_where(s)),
        lists.case_rows,
    ),
    "permits.passed": _Spec(
        _l("Passerade lagstadgade handläggningstider"),
        Perm.VIEW_CASES,
        lists.permits,
        lists.permit_rows,
        _permits_left_out,
        _HIDDEN_NOTE,
    ),
    "followups.on_time": _Spec(
        _l("Uppföljningar klara i tid"),
        Perm.VIEW_FOLLOWUPS,
        lists.followups(lambda s, n: F.followups_done_where(s, on_time=True)),
        lists.followup_rows,
    ),
    "followups.late": _Spec(
        _l("Uppföljningar klara för sent"),
        Perm.VIEW_FOLLOWUPS,
        lists.followups(lambda s, n: F.followups_done_where(s, on_time=False)),
        lists.followup_rows,
    ),
    "followups.overdue": _Spec(
        _l("Öppna och försenade uppföljningar vid periodens slut"),
        Perm.VIEW_FOLLOWUPS,
        lists.followups(F.followups_overdue_where),
        lists.followup_rows,
    ),
    "visits.done": _Spec(
        _l("Genomförda företagsbesök"), Perm.VIEW_VISITS, lists.visits(False), lists.visit_rows
    ),
    "visits.ledning": _Spec(
        _l("Företagsbesök med kommunledningen"), Perm.VIEW_VISITS, lists.visits(True), lists.visit_rows
    ),
    "referrals.total": _Spec(_l("Hänvisningar"), Perm.VIEW_CONTACTS, lists.referrals, lists.referral_rows),
    "referrals.partner": _Spec(
        _l("Hänvisningar till partner"),
        Perm.VIEW_CONTACTS,
        lists.referrals,
        lists.referral_rows,
        _referrals_left_out,
        _HIDDEN_NOTE,
    ),
    "survey.answers": _Spec(
        _l("Lotsärenden med enkätsvar"), Perm.VIEW_CASES, lists.survey, lists.survey_rows
    ),
    companies.KEY: _Spec(
        companies.TITLE,
        Perm.VIEW_CONTACTS,
        companies.companies,
        companies.company_rows,
        companies.unreadable_left_out,
        companies.NOTE,
    ),
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
        return lists.url_or_none("followups.list", **params)
    if figure_key.startswith("referrals.partner:"):
        return lists.url_or_none(
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
