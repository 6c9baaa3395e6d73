"""THE figures: one query module feeds the monthly summary e-mail, the dashboard and the exports,
so they never disagree.

Every figure is computed for a `Scope` (a period, optionally one focus area and/or one user) by
an aggregate query and carries its value for the same period a year earlier and a `Drill` – the
list of the records behind the number. The pieces:

* app.reports.specs – the figures declared: key, label, section, permission, drill-down.
* app.reports.counting – their values (one dict per scope), from the predicates below.
* app/<feature>/report_queries.py – each feature's record predicates (what counts as a new
  case, an overdue follow-up, …) and its grouped counts; app.reports.predicates puts together
  the ones that cross features. Counts and drill-down lists both use them, so a drill-down
  always shows exactly the counted records. The definitions are in those modules' docstrings
  (and docs/ARCHITECTURE.md "Rapporter").
* app.reports.notable – the "att uppmärksamma" lists.

This module renders the specifications into a `Report` with one loop, and flattens a report for
the exports.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.cases.report_queries import OPEN_CASE_ALERT_DAYS
from app.catalogues.models import ReferralPartner
from app.core.pagination import Page
from app.core.permissions import Perm
from app.core.time import utcnow
from app.extensions import db
from app.interactions.models import KIND_LABELS
from app.interactions.report_queries import (
    companies_reached,
    contacts_and_companies,
    contacts_by_kind,
    contacts_total,
    focus_counts,
)
from app.reports import counting, specs
from app.reports.base import Drill, Figure, Scope
from app.reports.counting import count as _count
from app.reports.counting import median, percentile
from app.reports.notable import NotableCase, NotableFollowUp, NotablePermit, notable_for, notable_items
from app.reports.predicates import contact_filter
from app.strategy.models import FocusArea

# What this module has always offered (dashboard, API, CLI, summary, tests), wherever it now lives.
__all__ = [
    "EXPORT_HEADERS",
    "OPEN_CASE_ALERT_DAYS",
    "Drill",
    "Figure",
    "FocusRow",
    "Report",
    "Scope",
    "UserRow",
    "_count",
    "build_report",
    "companies_reached",
    "contact_filter",
    "contacts_and_companies",
    "contacts_by_kind",
    "contacts_total",
    "export_headers",
    "export_rows",
    "focus_counts",
    "median",
    "notable_for",
    "percentile",
]


@dataclass(frozen=True)
class FocusRow:
    focus_area: FocusArea
    contacts: Figure
    companies: Figure
    cases_new: Figure
    cases_closed: Figure
    visits: Figure


@dataclass(frozen=True)
class UserRow:
    user: User
    figures: dict[str, Figure]


@dataclass
class Report:
    scope: Scope
    previous_scope: Scope
    generated_at: datetime
    headline: list[Figure] = field(default_factory=list)
    contacts_by_kind: list[Figure] = field(default_factory=list)
    contacts_by_focus: list[Figure] = field(default_factory=list)
    visits: list[Figure] = field(default_factory=list)
    cases: list[Figure] = field(default_factory=list)
    followups: list[Figure] = field(default_factory=list)
    referrals: list[Figure] = field(default_factory=list)
    survey: list[Figure] = field(default_factory=list)
    focus_rows: list[FocusRow] = field(default_factory=list)
    user_rows: list[UserRow] = field(default_factory=list)
    large_establishments: list[NotableCase] = field(default_factory=list)
    long_open_cases: list[NotableCase] = field(default_factory=list)
    long_open_total: int = 0
    passed_permits: list[NotablePermit] = field(default_factory=list)
    overdue_followups: list[NotableFollowUp] = field(default_factory=list)
    # build_report(user_page=N): `user_rows` is that page of the users with a figure, `user_page`
    # its pager (total = users with a figure) and `user_rows_idle` the active lots users without.
    user_page: Page[UserRow] | None = None
    user_rows_idle: int = 0

    def sections(self) -> list[tuple[str, list[Figure]]]:
        """Every figure, by section (dashboard tables and exports)."""
        return [(title, getattr(self, attr)) for attr, title in specs.SECTIONS]

    def figure(self, key: str) -> Figure:
        for _section, figures in self.sections():
            for fig in figures:
                if fig.key == key:
                    return fig
        raise KeyError(key)


# =========================================================================== drill-downs


def _records_drill(key: str, scope: Scope, perm: Perm) -> Drill:
    return Drill("reports.records", {"figure": key, **scope.args()}, perm)


def _contacts_drill(scope: Scope, **extra: Any) -> Drill:
    return Drill("interactions.list", contact_filter(scope, **extra).as_args(), Perm.VIEW_CONTACTS)


def _drill(spec: specs.FigureSpec, scope: Scope, member: Any) -> Drill:
    """The drill-down of `spec` (of one `member` of a family) in `scope`."""
    family = spec.per
    if family and family.narrows:
        scope = replace(scope, **{family.narrows: member})
    if spec.drill == specs.CONTACT_LIST:
        extra = {family.contact_arg: member} if family and family.contact_arg else dict(spec.contact_filter)
        return _contacts_drill(scope, **extra)
    records = spec.drill or spec.key
    if family and family.records_arg:
        records = f"{records}:{member}"
    return _records_drill(records, scope, spec.perm)


# =========================================================================== the report


@dataclass(frozen=True)
class _Member:
    """One member of a family: its id (value key, figure-key suffix), label, and the object a
    row is about (focus area, user)."""

    id: Any
    label: str
    of: Any = None


def _members(
    scope: Scope, cur: dict[str, Any], prev: dict[str, Any], per_user: bool, users: list[User] | None = None
) -> dict[specs.Family, list[_Member]]:
    areas = db.session.scalars(
        sa.select(FocusArea).order_by(FocusArea.retired_at.is_not(None), FocusArea.position, FocusArea.id)
    ).all()
    # A retired area is shown while it has contacts in either year.
    shown = [
        a
        for a in areas
        if a.retired_at is None or cur["contacts.focus"].get(a.id) or prev["contacts.focus"].get(a.id)
    ]
    if scope.focus_area_id:
        shown = [a for a in shown if a.id == scope.focus_area_id] or shown
    partner_ids = set(cur["referrals.partner"]) | set(prev["referrals.partner"])
    partners = (
        db.session.scalars(
            sa.select(ReferralPartner)
            .where(ReferralPartner.id.in_(partner_ids))
            .order_by(ReferralPartner.position, ReferralPartner.name)
        ).all()
        if partner_ids
        else []
    )
    members = {
        specs.KIND: [_Member(kind.value, str(label)) for kind, label in KIND_LABELS.items()],
        specs.FOCUS_AREA: [_Member(a.id, a.label, a) for a in shown],
        specs.PARTNER: [_Member(p.id, p.name) for p in partners],
        specs.USER: [],
    }
    if users is not None:
        members[specs.USER] = [_Member(u.id, u.name, u) for u in users]
    elif per_user:
        # One row per user with any figure in either year, plus every active lots user.
        ids = {
            uid for key in _USER_KEYS for values in (cur[key], prev[key]) for uid in values if uid is not None
        }
        users = db.session.scalars(
            sa.select(User)
            .where(sa.or_(User.id.in_(ids), sa.and_(User.is_active.is_(True), User.role == "lots")))
            .order_by(User.name)
        ).all()
        members[specs.USER] = [_Member(u.id, u.name, u) for u in users]
    return members


_USER_KEYS = [spec.key for spec in specs.FIGURES if spec.per == specs.USER]


def _user_page(cur: dict[str, Any], prev: dict[str, Any], page: int, per_page: int) -> tuple[Page[User], int]:
    """One page (by name) of the users with a non-zero per-user figure in either year, and the
    number of active lots users without one. Only the page's users are loaded and get figures:
    a chef's table at 1 000 users would otherwise be 7 000 linked cells on every dashboard."""
    active = {uid for key in _USER_KEYS for values in (cur[key], prev[key]) for uid, n in values.items() if n}
    # Every user's id in name order, with whether it is an active lots user: a thousand short
    # rows, but no statement with the active set as a thousand bound parameters (20 ms each on
    # PostgreSQL).
    everyone = db.session.execute(
        sa.select(User.id, sa.and_(User.is_active.is_(True), User.role == "lots")).order_by(
            User.name, User.id
        )
    ).all()
    ids = [uid for uid, _lots in everyone if uid in active]
    idle = sum(1 for uid, lots in everyone if lots and uid not in active)
    page = max(1, page)
    chosen = ids[(page - 1) * per_page : page * per_page]
    by_id = (
        {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(chosen)))} if chosen else {}
    )
    users = [by_id[uid] for uid in chosen]
    return Page(users, page, per_page, len(ids) > page * per_page, len(ids)), idle


def _values(scope: Scope, now: datetime, per_user: bool) -> dict[str, Any]:
    values = counting.values(scope, now)
    if per_user:
        values.update(counting.user_values(scope, now))
    return values


def build_report(
    scope: Scope,
    *,
    now: datetime | None = None,
    per_user: bool = False,
    notable_limit: int = 20,
    user_page: int | None = None,
    users_per_page: int = 25,
) -> Report:
    """All figures of `scope` with the same period a year earlier, drill-downs, the per-focus-area
    rows, notable items and (per_user=True, for chef) one row per user – every user (exports), or
    with `user_page` one page of `users_per_page` users with a figure (the dashboard; see
    `Report.user_page`).

    About 25 aggregate queries per scope (twice: this year and last), independent of the
    number of records.
    """
    now = now or utcnow()
    prev_scope = scope.year_earlier()
    cur, prev = _values(scope, now, per_user), _values(prev_scope, now, per_user)
    report = Report(scope=scope, previous_scope=prev_scope, generated_at=now)
    paged_users = None
    if per_user and user_page is not None:
        page, report.user_rows_idle = _user_page(cur, prev, user_page, users_per_page)
        paged_users = list(page.items)
    members = _members(scope, cur, prev, per_user, paged_users)
    rows: dict[str, dict[Any, dict[str, Figure]]] = {
        specs.FOCUS_ROWS: defaultdict(dict),
        specs.USER_ROWS: defaultdict(dict),
    }
    for spec in specs.FIGURES:
        if spec.per == specs.USER and not per_user:
            continue
        for member in members[spec.per] if spec.per else [None]:
            if member is None:
                key, label, value, previous = spec.key, spec.label, cur[spec.key], prev[spec.key]
            else:
                key = spec.per.key.format(key=spec.key, id=member.id)
                label = spec.label if spec.per.own_label else member.label
                value, previous = cur[spec.key].get(member.id, 0), prev[spec.key].get(member.id, 0)
            note = spec.note_if_none if value is None else ""
            fig = Figure(
                key, label, value, previous, _drill(spec, scope, member and member.id), spec.unit, note
            )
            if spec.section in rows:
                rows[spec.section][member.id][spec.column or spec.key] = fig
            else:
                getattr(report, spec.section).append(fig)
    report.focus_rows = [FocusRow(m.of, **rows[specs.FOCUS_ROWS][m.id]) for m in members[specs.FOCUS_AREA]]
    report.user_rows = [UserRow(m.of, rows[specs.USER_ROWS][m.id]) for m in members[specs.USER]]
    if paged_users is not None:
        report.user_page = replace(page, items=report.user_rows)
    notable = notable_items(scope, now, notable_limit)
    report.large_establishments = notable.large_establishments
    report.long_open_cases = notable.long_open_cases
    report.long_open_total = report.figure("cases.over90").value or 0
    report.passed_permits = notable.passed_permits
    report.overdue_followups = notable.overdue_followups
    return report


# =========================================================================== exports

# Lazy: a request turns them into text in its language (`str` before they reach CSV/XLSX).
EXPORT_HEADERS = [
    _l("Avsnitt"),
    _l("Nyckeltal"),
    _l("Värde"),
    _l("Samma period året innan"),
    _l("Förändring"),
]
_FOCUS_COLUMNS = [(spec.label, spec.column) for spec in specs.FIGURES if spec.section == specs.FOCUS_ROWS]


def export_rows(report: Report) -> list[list[Any]]:
    """Flat rows for CSV/XLSX: section, figure, value, a year earlier, change – the texts in
    the request's language, as plain strings (the writers take no lazy strings)."""
    rows: list[list[Any]] = []
    for section, figures in report.sections():
        for f in figures:
            rows.append([str(section), str(f.label), f.value, f.previous, f.change])
    for row in report.focus_rows:
        name = row.focus_area.name
        for label, column in _FOCUS_COLUMNS:
            f = getattr(row, column)
            rows.append([_("Fokusområde: %(name)s", name=name), str(label), f.value, f.previous, f.change])
    for urow in report.user_rows:
        for f in urow.figures.values():
            rows.append(
                [_("Användare: %(name)s", name=urow.user.name), str(f.label), f.value, f.previous, f.change]
            )
    return rows


def export_headers() -> list[str]:
    """EXPORT_HEADERS in the request's language, as plain strings."""
    return [str(header) for header in EXPORT_HEADERS]
