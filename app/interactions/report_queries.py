"""The report figures' queries on contacts and referrals (app.reports counts with them and its
drill-downs list with them, so a drill-down always shows exactly the counted records).

Contacts: non-deleted interactions with occurred_at in the period (Stockholm days). Focus area
and user filters have the contact list's meaning (app.interactions.queries.contact_select):
primary OR additional focus area; author OR participant. So "per focus area" rows may add up to
more than the total (a contact tagged with two areas counts twice). Restricted contacts are
counted; their notes are never read here. Companies reached: distinct companies of those
contacts. Referrals: referred_on in the period, per partner.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from app.core.report_scope import ReportScope
from app.extensions import db
from app.interactions.models import (
    Interaction,
    InteractionKind,
    Referral,
    interaction_focus_areas,
    interaction_participants,
)
from app.interactions.queries import COUNTING, ContactFilter, contact_select


def contact_filter(scope: ReportScope, **extra: Any) -> ContactFilter:
    """The contact list filter of a scope (the contact list's own semantics)."""
    return ContactFilter(
        date_from=scope.period.start,
        date_to=scope.period.last_day,
        focus_area_id=scope.focus_area_id,
        user_id=scope.user_id,
        **extra,
    )


def counted_contacts(scope: ReportScope, **extra: Any) -> sa.Select:
    """The SELECT of the contacts a figure counts (every contact: numbers only; nothing of a
    restricted one is shown)."""
    if not scope.user_id:
        return contact_select(contact_filter(scope, **extra), reader=COUNTING).order_by(None)
    # The user filter (author OR participant) as a set of ids from the two user indexes: the
    # contact list's OR EXISTS makes both databases read every contact of the period.
    p, uid = scope.period, scope.user_id
    in_period = (Interaction.occurred_at >= p.start_utc, Interaction.occurred_at < p.end_utc)
    mine = sa.union(
        sa.select(Interaction.id).where(Interaction.author_id == uid, *in_period),
        sa.select(interaction_participants.c.interaction_id).where(interaction_participants.c.user_id == uid),
    )
    stmt = contact_select(contact_filter(replace(scope, user_id=None), **extra), reader=COUNTING)
    return stmt.where(Interaction.id.in_(mine)).order_by(None)


def contact_rows(scope: ReportScope) -> sa.CTE:
    """The counted contacts as a MATERIALIZED CTE (id, kind, focus area, company, author).

    Materialising makes both databases read the period's rows once through the covering index
    ix_interactions_reports (app.interactions.models) before grouping; without it SQLite picks
    the (kind, occurred_at) index for GROUP BY kind and visits every row of the table."""
    return (
        counted_contacts(scope)
        .with_only_columns(
            Interaction.id.label("iid"),
            Interaction.kind.label("kind"),
            Interaction.focus_area_id.label("fa"),
            Interaction.company_id.label("company_id"),
            Interaction.author_id.label("uid"),
        )
        .cte("counted_contacts")
        .prefix_with("MATERIALIZED")
    )


def contacts_and_companies(scope: ReportScope) -> tuple[int, int]:
    """(contacts, distinct companies reached) in one pass."""
    rows = contact_rows(scope)
    total, companies = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(sa.distinct(rows.c.company_id)))
    ).one()
    return total or 0, companies or 0


def contacts_total(scope: ReportScope) -> int:
    return contacts_and_companies(scope)[0]


def companies_reached(scope: ReportScope) -> int:
    return contacts_and_companies(scope)[1]


def contacts_by_kind(scope: ReportScope) -> dict[str, int]:
    rows = contact_rows(scope)
    result = db.session.execute(sa.select(rows.c.kind, sa.func.count()).group_by(rows.c.kind))
    return {str(InteractionKind(kind).value): n for kind, n in result}


def contacts_concerning_permits(scope: ReportScope) -> int:
    """Counted contacts that concerned permits (have permit guidance rows), whatever their kind:
    since issue 15 a phone call about a permit is kind phone_call with permit rows, so "per kind"
    alone no longer shows the permit guidance given."""
    ids = counted_contacts(scope, concerns_permits=True).with_only_columns(Interaction.id).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(ids)) or 0


def _contact_focus_pairs(scope: ReportScope) -> sa.Subquery:
    """(contact id, company id, focus area id) for every focus area of every counted contact:
    the primary one and the additional ones (looked up by primary key per contact)."""
    rows = contact_rows(scope)
    extra = (
        sa.select(rows.c.iid, rows.c.company_id, interaction_focus_areas.c.focus_area_id.label("fa"))
        .select_from(rows)
        .join(interaction_focus_areas, interaction_focus_areas.c.interaction_id == rows.c.iid)
    )
    return sa.union(sa.select(rows.c.iid, rows.c.company_id, rows.c.fa), extra).subquery()


def focus_counts(scope: ReportScope) -> tuple[dict[int, int], dict[int, int]]:
    """({focus area: contacts}, {focus area: distinct companies}) in one pass."""
    pairs = _contact_focus_pairs(scope)
    stmt = sa.select(pairs.c.fa, sa.func.count(), sa.func.count(sa.distinct(pairs.c.company_id))).group_by(
        pairs.c.fa
    )
    contacts: dict[int, int] = {}
    companies: dict[int, int] = {}
    for fa, n, n_companies in db.session.execute(stmt):
        contacts[fa], companies[fa] = n, n_companies
    return contacts, companies


def contacts_by_focus(scope: ReportScope) -> dict[int, int]:
    return focus_counts(scope)[0]


def companies_by_focus(scope: ReportScope) -> dict[int, int]:
    return focus_counts(scope)[1]


def contacts_by_user(scope: ReportScope) -> dict[int, int]:
    """{user: counted contacts as author or participant}, from the rows."""
    rows = contact_rows(scope)
    authors = sa.select(rows.c.iid, rows.c.uid)
    parts = (
        sa.select(rows.c.iid, interaction_participants.c.user_id.label("uid"))
        .select_from(rows)
        .join(interaction_participants, interaction_participants.c.interaction_id == rows.c.iid)
    )
    pairs = sa.union(authors, parts).subquery()
    return dict(db.session.execute(sa.select(pairs.c.uid, sa.func.count()).group_by(pairs.c.uid)).all())


def ids_in_focus_area(focus_area_id: int) -> sa.Select:
    """The ids of the contacts in a focus area (primary OR additional), for what hangs on them."""
    return sa.select(Interaction.id).where(
        sa.or_(
            Interaction.focus_area_id == focus_area_id,
            Interaction.id.in_(
                sa.select(interaction_focus_areas.c.interaction_id).where(
                    interaction_focus_areas.c.focus_area_id == focus_area_id
                )
            ),
        )
    )


def referrals_where(
    scope: ReportScope, partner_id: int | None = None, *, case_ids_in_focus_area: sa.Select | None = None
) -> list[sa.ColumnElement[bool]]:
    """Referrals in the period (of one partner). Under a focus-area filter: those made from a
    contact whose primary focus area it is, or from a case among `case_ids_in_focus_area` (the
    cases' own query, app.cases.report_queries.ids_in_focus_area: cases sit above contacts)."""
    p = scope.period
    conds: list[sa.ColumnElement[bool]] = [Referral.referred_on >= p.start, Referral.referred_on < p.end]
    if partner_id is not None:
        conds.append(Referral.partner_id == partner_id)
    if scope.focus_area_id:
        if case_ids_in_focus_area is None:
            raise ValueError("referrals_where needs case_ids_in_focus_area under a focus-area filter")
        fa = scope.focus_area_id
        conds.append(
            sa.or_(
                Referral.interaction_id.in_(sa.select(Interaction.id).where(Interaction.focus_area_id == fa)),
                Referral.case_id.in_(case_ids_in_focus_area),
            )
        )
    if scope.user_id:
        conds.append(Referral.created_by_id == scope.user_id)
    return conds
