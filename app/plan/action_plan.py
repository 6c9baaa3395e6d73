"""The handlingsplan: activities per focus area that carry out the strategy (§2.1).

Each activity names the nämnd, bolag or function responsible, has a status and a due date,
and is linked to the contacts (interactions) and lots cases that carry it out. Links live in
one table with a nullable column per kind of record (exactly one is set), so a new kind of
link is a column, not a table. Lots and admin maintain activities (Perm.EDIT_ACTION_PLAN);
everyone who sees reports sees them (Perm.VIEW_REPORTS). Linking a record requires seeing
that kind of record (VIEW_CONTACTS / VIEW_CASES).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit import services as audit
from app.cases.models import LotsCase
from app.companies.models import Company
from app.core import restriction
from app.core.db import TimestampMixin, VersionedMixin, check_version
from app.core.errors import Conflict, NotFound, ValidationError
from app.core.pagination import Page
from app.core.permissions import Perm, can, require
from app.extensions import db
from app.interactions.models import KIND_LABELS, Interaction, InteractionKind
from app.strategy.models import FocusArea

if TYPE_CHECKING:
    from app.auth.models import User


class ActivityStatus(enum.StrEnum):
    PLANNED = "planned"
    ONGOING = "ongoing"
    DONE = "done"
    PAUSED = "paused"
    CANCELLED = "cancelled"


STATUS_LABELS = {
    ActivityStatus.PLANNED: _l("Planerad"),
    ActivityStatus.ONGOING: _l("Pågår"),
    ActivityStatus.DONE: _l("Klar"),
    ActivityStatus.PAUSED: _l("Pausad"),
    ActivityStatus.CANCELLED: _l("Struken"),
}
CLOSED_STATUSES = {ActivityStatus.DONE, ActivityStatus.CANCELLED}

RESPONSIBLE_KINDS = {"committee": _l("Nämnd"), "company": _l("Bolag"), "function": _l("Funktion")}

# The Swedish codes stored before migration 0021 → today's code (bookmarked links, old rows in
# the audit trail). The same renames are written out in the migration.
LEGACY_STATUSES: dict[str, ActivityStatus] = {
    "planerad": ActivityStatus.PLANNED,
    "pagar": ActivityStatus.ONGOING,
    "klar": ActivityStatus.DONE,
    "pausad": ActivityStatus.PAUSED,
    "struken": ActivityStatus.CANCELLED,
}
LEGACY_RESPONSIBLE_KINDS: dict[str, str] = {"namnd": "committee", "bolag": "company", "funktion": "function"}


class ActionPlanActivity(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "action_plan_activities"
    __table_args__ = (
        # The plan per focus area (dashboard, list), open ones by due date.
        sa.Index(
            "ix_action_plan_activities_focus_area_id_status_due_on", "focus_area_id", "status", "due_on"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    focus_area_id: Mapped[int] = mapped_column(sa.ForeignKey("focus_areas.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    responsible_kind: Mapped[str] = mapped_column(
        sa.String(20), default="function", server_default="function"
    )
    responsible_name: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(
        sa.String(20), default=ActivityStatus.PLANNED, server_default=ActivityStatus.PLANNED.value
    )
    due_on: Mapped[date | None] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    focus_area: Mapped[FocusArea] = relationship("FocusArea", lazy="raise")
    links: Mapped[list[ActionPlanLink]] = relationship(
        back_populates="activity", lazy="raise", cascade="all, delete-orphan", order_by="ActionPlanLink.id"
    )

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(ActivityStatus(self.status), self.status))

    @property
    def responsible_label(self) -> str:
        return f"{RESPONSIBLE_KINDS.get(self.responsible_kind, '')}: {self.responsible_name}".strip(": ")

    def is_overdue(self, today: date) -> bool:
        return self.due_on is not None and self.due_on < today and self.status not in CLOSED_STATUSES


class ActionPlanLink(db.Model):
    """One contact or one case that carries out an activity (exactly one of the two is set).

    interaction_id / case_id reference interactions.id / lots_cases.id.
    """

    __tablename__ = "action_plan_links"
    __table_args__ = (
        sa.CheckConstraint(
            "(interaction_id IS NOT NULL AND case_id IS NULL) OR (interaction_id IS NULL AND case_id IS NOT NULL)",
            name="one_target",
        ),
        sa.UniqueConstraint("activity_id", "interaction_id"),
        sa.UniqueConstraint("activity_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("action_plan_activities.id", ondelete="CASCADE"), index=True
    )
    interaction_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("interactions.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lots_cases.id", ondelete="CASCADE"), index=True
    )

    activity: Mapped[ActionPlanActivity] = relationship(back_populates="links", lazy="raise")


# --------------------------------------------------------------------------- reading


def list_activities(
    focus_area_id: int | None = None, *, include_closed: bool = True
) -> list[ActionPlanActivity]:
    """Activities by focus area position, then due date (no date last). The plan is short
    (tens of rows), so no pagination."""
    stmt = (
        sa.select(ActionPlanActivity)
        .join(ActionPlanActivity.focus_area)
        .options(sa.orm.contains_eager(ActionPlanActivity.focus_area))
        .order_by(
            FocusArea.position,
            ActionPlanActivity.due_on.is_(None),
            ActionPlanActivity.due_on,
            ActionPlanActivity.id,
        )
    )
    if focus_area_id is not None:
        stmt = stmt.where(ActionPlanActivity.focus_area_id == focus_area_id)
    if not include_closed:
        stmt = stmt.where(ActionPlanActivity.status.not_in([s.value for s in CLOSED_STATUSES]))
    return list(db.session.scalars(stmt))


def link_counts(activity_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{activity_id: (contacts, cases)} in one GROUP BY."""
    if not activity_ids:
        return {}
    rows = db.session.execute(
        sa.select(
            ActionPlanLink.activity_id,
            sa.func.count(ActionPlanLink.interaction_id),
            sa.func.count(ActionPlanLink.case_id),
        )
        .where(ActionPlanLink.activity_id.in_(activity_ids))
        .group_by(ActionPlanLink.activity_id)
    )
    return {activity_id: (contacts, cases) for activity_id, contacts, cases in rows}


def status_counts_by_focus_area() -> dict[int, dict[str, int]]:
    """{focus_area_id: {status: n}} for the dashboard's handlingsplan table."""
    result: dict[int, dict[str, int]] = {}
    rows = db.session.execute(
        sa.select(ActionPlanActivity.focus_area_id, ActionPlanActivity.status, sa.func.count()).group_by(
            ActionPlanActivity.focus_area_id, ActionPlanActivity.status
        )
    )
    for area_id, status, n in rows:
        result.setdefault(area_id, {})[status] = n
    return result


def get_activity_or_404(activity_id: int, *, with_links: bool = True) -> ActionPlanActivity:
    """The activity with its focus area, and all its links unless `with_links` is False (the
    activity page reads its links a page at a time: `linked_records_page`)."""
    stmt = sa.select(ActionPlanActivity).options(sa.orm.joinedload(ActionPlanActivity.focus_area))
    if with_links:
        stmt = stmt.options(sa.orm.selectinload(ActionPlanActivity.links))
    activity = db.session.scalar(stmt.where(ActionPlanActivity.id == activity_id))
    if activity is None:
        raise NotFound(_("Aktiviteten finns inte."))
    return activity


@dataclass(frozen=True)
class LinkedRecord:
    link_id: int
    kind: str  # "interaction" or "case"
    record_id: int
    when: Any
    title: str
    company_name: str
    restricted: bool


def linked_records(activity: ActionPlanActivity, *, viewer: User) -> list[LinkedRecord]:
    """The contacts and cases linked to an activity (its `links` loaded), for display.

    A link inherits the restriction of its record (app.core.restriction): a restricted contact
    or case the viewer may not read shows as "Kontakt/Lotsärende med begränsad åtkomst"; for a
    viewer who may read it, showing its subject or title is an audited read. Notes are never
    shown here.
    """
    interaction_links = {link.interaction_id: link.id for link in activity.links if link.interaction_id}
    case_links = {link.case_id: link.id for link in activity.links if link.case_id}
    return _records(interaction_links, case_links, viewer)


def _shown_links(activity_id: int, viewer: User) -> sa.Select:
    """The activity's links the viewer's page lists: contacts first (newest first, deleted
    ones left out), then cases (newest first); a kind the viewer may not see is left out."""
    kinds = []
    if can(viewer, Perm.VIEW_CONTACTS):
        kinds.append(sa.and_(ActionPlanLink.interaction_id.is_not(None), Interaction.deleted_at.is_(None)))
    if can(viewer, Perm.VIEW_CASES):
        kinds.append(ActionPlanLink.case_id.is_not(None))
    return (
        sa.select(ActionPlanLink.id, ActionPlanLink.interaction_id, ActionPlanLink.case_id)
        .outerjoin(Interaction, Interaction.id == ActionPlanLink.interaction_id)
        .outerjoin(LotsCase, LotsCase.id == ActionPlanLink.case_id)
        .where(ActionPlanLink.activity_id == activity_id, sa.or_(sa.false(), *kinds))
        .order_by(
            ActionPlanLink.interaction_id.is_(None),
            Interaction.occurred_at.desc(),
            LotsCase.intake_on.desc(),
            ActionPlanLink.id.desc(),
        )
    )


def linked_records_page(
    activity: ActionPlanActivity, *, viewer: User, page: int, per_page: int
) -> Page[LinkedRecord]:
    """One page of the activity's linked contacts and cases (as `linked_records`), in three
    statements whatever the number of links: the page's links, its contacts, its cases."""
    page = max(1, page)
    rows = db.session.execute(
        _shown_links(activity.id, viewer).limit(per_page + 1).offset((page - 1) * per_page)
    ).all()
    chosen = rows[:per_page]
    interaction_links = {iid: link_id for link_id, iid, _cid in chosen if iid}
    case_links = {cid: link_id for link_id, _iid, cid in chosen if cid}
    position = {link_id: n for n, (link_id, _iid, _cid) in enumerate(chosen)}
    records = sorted(_records(interaction_links, case_links, viewer), key=lambda r: position[r.link_id])
    return Page(records, page, per_page, len(rows) > per_page)


def _records(
    interaction_links: dict[int, int], case_links: dict[int, int], viewer: User
) -> list[LinkedRecord]:
    """LinkedRecords of these {record id: link id}: contacts newest first, then cases."""
    records: list[LinkedRecord] = []
    if interaction_links and can(viewer, Perm.VIEW_CONTACTS):
        rows = db.session.execute(
            sa.select(Interaction.id, Interaction.occurred_at, Interaction.kind, Interaction.subject,
                      Interaction.is_restricted, Company.name)
            .join(Company, Company.id == Interaction.company_id)
            .where(Interaction.id.in_(interaction_links), Interaction.deleted_at.is_(None))
            .order_by(Interaction.occurred_at.desc())
        ).all()  # fmt: skip
        verdicts = restriction.judge(viewer, rows, interaction=lambda r: r[0])
        for verdict, (iid, occurred_at, kind, subject, restricted, company_name) in zip(
            verdicts, rows, strict=True
        ):
            label = KIND_LABELS[InteractionKind(kind)]
            shown = subject if restriction.reveal(viewer, verdict) else restriction.neutral("interaction")
            title = f"{label}: {shown}" if shown else label
            records.append(
                LinkedRecord(
                    interaction_links[iid], "interaction", iid, occurred_at, title, company_name, restricted
                )
            )
    if case_links and can(viewer, Perm.VIEW_CASES):
        case_rows = db.session.execute(
            sa.select(LotsCase.id, LotsCase.intake_on, LotsCase.title, LotsCase.is_restricted, Company.name)
            .join(Company, Company.id == LotsCase.company_id)
            .where(LotsCase.id.in_(case_links))
            .order_by(LotsCase.intake_on.desc())
        ).all()
        verdicts = restriction.judge(viewer, case_rows, case=lambda r: r[0])
        for verdict, (cid, intake_on, title, restricted, company_name) in zip(
            verdicts, case_rows, strict=True
        ):
            shown = title if restriction.reveal(viewer, verdict) else restriction.neutral("case")
            records.append(
                LinkedRecord(case_links[cid], "case", cid, intake_on, shown, company_name, restricted)
            )
    return records


# --------------------------------------------------------------------------- maintaining


@dataclass(frozen=True)
class ActivityInput:
    focus_area_id: int
    title: str
    responsible_name: str
    responsible_kind: str = "function"
    description: str = ""
    status: str = ActivityStatus.PLANNED
    due_on: date | None = None


def _validate(data: ActivityInput) -> FocusArea:
    if not data.title.strip():
        raise ValidationError(_("Ange vad aktiviteten går ut på."), field="title")
    if not data.responsible_name.strip():
        raise ValidationError(_("Ange vilken nämnd, vilket bolag eller vilken funktion som ansvarar."),
                              field="responsible_name")  # fmt: skip
    if data.responsible_kind not in RESPONSIBLE_KINDS:
        raise ValidationError(_("Välj nämnd, bolag eller funktion."), field="responsible_kind")
    if data.status not in {s.value for s in ActivityStatus}:
        raise ValidationError(_("Välj en status."), field="status")
    area = db.session.get(FocusArea, data.focus_area_id)
    if area is None:
        raise ValidationError(_("Välj ett fokusområde."), field="focus_area_id")
    return area


def _apply(activity: ActionPlanActivity, data: ActivityInput) -> None:
    activity.focus_area_id = data.focus_area_id
    activity.title = data.title.strip()
    activity.description = data.description.strip()
    activity.responsible_kind = data.responsible_kind
    activity.responsible_name = data.responsible_name.strip()
    activity.status = data.status
    activity.due_on = data.due_on


def create_activity(data: ActivityInput, *, actor: User) -> ActionPlanActivity:
    """Add an activity to the handlingsplan. A retired focus area cannot take new activities."""
    require(actor, Perm.EDIT_ACTION_PLAN)
    area = _validate(data)
    if area.retired_at is not None:
        raise ValidationError(
            _("Fokusområdet ”%(name)s” är avslutat.", name=area.name), field="focus_area_id"
        )
    activity = ActionPlanActivity(created_by_id=actor.id)
    _apply(activity, data)
    db.session.add(activity)
    audit.record_create(actor, activity, summary=f"Handlingsplan: {activity.title}")
    return activity


def update_activity(
    activity: ActionPlanActivity, data: ActivityInput, *, actor: User, expected_version: int | None = None
) -> ActionPlanActivity:
    """Change an activity (status, due date, responsible …)."""
    require(actor, Perm.EDIT_ACTION_PLAN)
    check_version(activity, expected_version)
    _validate(data)
    _apply(activity, data)
    audit.record_update(actor, activity)
    db.session.flush()
    return activity


def delete_activity(activity: ActionPlanActivity, *, actor: User) -> None:
    """Remove an activity and its links (the linked contacts and cases stay)."""
    require(actor, Perm.EDIT_ACTION_PLAN)
    audit.record_delete(actor, activity, summary=f"Handlingsplan: {activity.title} borttagen")
    db.session.delete(activity)
    db.session.flush()


def _record_exists(table_name: str, record_id: int) -> bool:
    table = db.metadata.tables[table_name]
    stmt = sa.select(table.c.id).where(table.c.id == record_id)
    if "deleted_at" in table.c:
        stmt = stmt.where(table.c.deleted_at.is_(None))
    return db.session.scalar(stmt) is not None


def link_record(activity: ActionPlanActivity, *, kind: str, record_id: int, actor: User) -> ActionPlanLink:
    """Link a contact ("interaction") or a lots case ("case") to the activity."""
    require(actor, Perm.EDIT_ACTION_PLAN)
    # `what` names the record in the audit trail (Swedish); the messages are whole sentences per
    # kind (Swedish gender differs: "ingen kontakt", "inget lotsärende").
    if kind == "interaction":
        require(actor, Perm.VIEW_CONTACTS)
        column, table, what = ActionPlanLink.interaction_id, "interactions", "kontakt"
        missing = _("Det finns ingen kontakt med nummer %(number)s.", number=record_id)
        linked = _("Den kontakten är redan kopplad till aktiviteten.")
    elif kind == "case":
        require(actor, Perm.VIEW_CASES)
        column, table, what = ActionPlanLink.case_id, "lots_cases", "lotsärende"  # untranslated: audit trail
        missing = _("Det finns inget lotsärende med nummer %(number)s.", number=record_id)
        linked = _("Det lotsärendet är redan kopplat till aktiviteten.")
    else:
        raise ValidationError(_("Välj kontakt eller lotsärende."), field="kind")
    if table not in db.metadata.tables or not _record_exists(table, record_id):
        raise ValidationError(missing, field="record_id")
    clash = db.session.scalar(
        sa.select(ActionPlanLink.id).where(ActionPlanLink.activity_id == activity.id, column == record_id)
    )
    if clash is not None:
        raise Conflict(linked, field="record_id")
    link = ActionPlanLink(activity_id=activity.id, **{column.key: record_id})
    db.session.add(link)
    audit.record_create(
        actor, link, summary=f"Handlingsplan: {what} {record_id} kopplad till {activity.title}"
    )
    return link


def unlink_record(activity: ActionPlanActivity, link_id: int, *, actor: User) -> None:
    """Remove one link (the contact or case itself stays)."""
    require(actor, Perm.EDIT_ACTION_PLAN)
    link = db.session.get(ActionPlanLink, link_id)
    if link is None or link.activity_id != activity.id:
        raise NotFound(_("Kopplingen finns inte."))
    audit.record_delete(
        actor,
        link,
        summary=f"Handlingsplan: koppling borttagen från {activity.title}",  # untranslated: audit trail
    )
    db.session.delete(link)
    db.session.flush()
