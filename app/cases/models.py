"""Lots cases (lotsärenden): the case, its history, permit rows, lotsmöten and the survey.

Design notes (see docs/ARCHITECTURE.md "Lotsärenden"):

* `LotsCase.status` follows app.cases.workflow; `outcome` and `closed_at` are set only while
  the case is closed (`CaseStatus.CLOSED`, "closed").
* `CaseEvent` rows are the case's history (created, status changes, notes, "what came back",
  permit rows, meetings, referrals). The company timeline shows them through the case.
* `CasePermit.expected_decision_on` and `apply_by` are *denormalised* from the permit
  catalogue's statutory time (app.cases.statutory) whenever the row, or the case's event date,
  changes: the "deadline near or passed" list filters on them with an index instead of
  computing weeks and calendar months in SQL on two databases. `expected_decision_on` is the
  deadline after the söndagsregel (the day warnings and the fee reduction count from); the
  counted day and the rule that started the clock are computed when shown. Saving a permit
  type recomputes the undecided rows of that type (catalogue hook in app.core.clock_hooks);
  `flask cases recompute-clocks` refreshes all of them by hand.
* `SurveyInvitation` never holds the token itself, only its SHA-256 (`token_hash`), written
  when the invitation is sent; it never holds the e-mail address either (that is read from the
  contact person at sending time). `SurveyResponse` has no e-mail column at all.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as pgettext  # lazy; this name is one pybabel extracts
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.cases.workflow import OUTCOME_LABELS, STATUS_LABELS, CaseStatus
from app.core.db import TimestampMixin, VersionedMixin
from app.core.time import utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.catalogues.models import PermitType
    from app.companies.models import Company, ContactPerson
    from app.strategy.models import FocusArea

PRIORITIES: dict[str, str] = {"high": _l("Hög"), "normal": _l("Normal"), "low": _l("Låg")}

INTAKE_CHANNELS: dict[str, str] = {
    "phone": _l("Telefon"),
    "email": _l("E-post"),
    "web_form": _l("Webbformulär"),
    "contact_centre": _l("Kontaktcenter"),
    "walk_in": pgettext("kanal", "Besök"),  # "Besök" alone: the company visits
    "company_visit": pgettext("kanal", "Företagsbesök"),
    "department": _l("Remiss från förvaltning"),
    "partner": _l("Remiss från partner"),
}

PERMIT_OUTCOMES: dict[str, str] = {
    "granted": _l("Beviljat"),
    "granted_conditional": _l("Beviljat med villkor"),
    "refused": _l("Avslag"),
    "dismissed": _l("Avvisat/avskrivet"),
    "withdrawn": _l("Återkallat av sökanden"),
}

# The Swedish codes stored before migration 0021 → today's code (bookmarked links, API input,
# old rows in the audit trail). The same renames are written out in the migration.
LEGACY_PRIORITIES: dict[str, str] = {"hog": "high", "lag": "low"}
LEGACY_INTAKE_CHANNELS: dict[str, str] = {
    "telefon": "phone",
    "epost": "email",
    "webbformular": "web_form",
    "kontaktcenter": "contact_centre",
    "besok": "walk_in",
    "foretagsbesok": "company_visit",
    "remiss": "department",
}
LEGACY_PERMIT_OUTCOMES: dict[str, str] = {
    "beviljat": "granted",
    "beviljat_villkor": "granted_conditional",
    "avslag": "refused",
    "avvisat": "dismissed",
    "aterkallat": "withdrawn",
}

EVENT_KINDS = {
    "created": _l("Ärendet registrerat"),
    "status": _l("Status ändrad"),
    "note": _l("Anteckning"),
    "returned": _l("Återkoppling"),
    "permit": _l("Tillstånd"),
    "meeting": _l("Lotsmöte"),
    "action": _l("Åtgärd"),
    "referral": _l("Hänvisning"),
    "contact": _l("Kontakt"),
    "survey": _l("Enkät"),
    "edited": _l("Uppgifter ändrade"),
}

lots_case_participants = sa.Table(
    "lots_case_participants",
    db.metadata,
    sa.Column("case_id", sa.ForeignKey("lots_cases.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True, index=True),
)

lots_meeting_users = sa.Table(
    "lots_meeting_users",
    db.metadata,
    sa.Column("meeting_id", sa.ForeignKey("lots_meetings.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True, index=True),
)


class CaseType(TimestampMixin, VersionedMixin, db.Model):
    """A case type (starta företag, evenemang, …). Seeded by the migration; admin adds more.
    Retired types stay on old cases but cannot be chosen for new ones."""

    __tablename__ = "case_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    # Cases of this type carry the event fields and "ansök senast" dates (evenemangslots).
    is_event: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Cases of this type are large establishments ("stor etablering"): the report figure
    # "Nya större etableringar" and the notable items count them (app.cases.report_queries).
    is_large_establishment: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    retired_at: Mapped[datetime | None]

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def __repr__(self) -> str:
        return f"<CaseType {self.code}>"


class LotsCase(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "lots_cases"
    __table_args__ = (
        # Lists: all open by status / waiting on a department, oldest intake first.
        sa.Index("ix_lots_cases_status_intake_on", "status", "intake_on"),
        # The open list (status <> 'closed') and "alla" in their order, one page at a time.
        sa.Index("ix_lots_cases_intake_on_id", "intake_on", "id"),
        # "Mina ärenden".
        sa.Index("ix_lots_cases_responsible_user_id_status", "responsible_user_id", "status"),
        # The company page, the company timeline and merge (leading column serves company_id).
        sa.Index("ix_lots_cases_company_id_intake_on", "company_id", "intake_on"),
        # The report figures: open cases at a moment and the cases closed in a period, index-only
        # over intake_on/closed_at with the focus-area and user columns the scopes filter on.
        sa.Index("ix_lots_cases_reports", "intake_on", "closed_at", "focus_area_id", "responsible_user_id"),
        sa.CheckConstraint("status <> 'closed' OR outcome IS NOT NULL", name="closed_has_outcome"),
        sa.CheckConstraint("expected_visitors IS NULL OR expected_visitors >= 0", name="expected_visitors"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id"))
    contact_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contact_persons.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    case_type_id: Mapped[int] = mapped_column(sa.ForeignKey("case_types.id"), index=True)
    focus_area_id: Mapped[int] = mapped_column(sa.ForeignKey("focus_areas.id"), index=True)
    priority: Mapped[str] = mapped_column(sa.String(10), default="normal", server_default="normal")
    responsible_user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    intake_channel: Mapped[str | None] = mapped_column(sa.String(20))
    intake_on: Mapped[date]
    diarienummer: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    status: Mapped[str] = mapped_column(
        sa.String(20), default=CaseStatus.RECEIVED.value, server_default=CaseStatus.RECEIVED.value
    )
    outcome: Mapped[str | None] = mapped_column(sa.String(20))
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    is_restricted: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Evenemang only.
    event_date: Mapped[date | None]
    event_place: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    organizer: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    expected_visitors: Mapped[int | None]

    company: Mapped[Company] = relationship("Company", lazy="raise")
    contact_person: Mapped[ContactPerson | None] = relationship("ContactPerson", lazy="raise")
    case_type: Mapped[CaseType] = relationship(lazy="raise")
    focus_area: Mapped[FocusArea] = relationship("FocusArea", lazy="raise")
    responsible: Mapped[User] = relationship("User", foreign_keys=[responsible_user_id], lazy="raise")
    participants: Mapped[list[User]] = relationship(
        "User", secondary=lots_case_participants, lazy="raise", order_by="User.name"
    )

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS.get(self.outcome or "", self.outcome or ""))

    @property
    def priority_label(self) -> str:
        return str(PRIORITIES.get(self.priority, self.priority))

    @property
    def intake_channel_label(self) -> str:
        return str(INTAKE_CHANNELS.get(self.intake_channel or "", self.intake_channel or ""))

    def age_days(self, today: date) -> int:
        """Days from intake to closing (closed) or to `today` (open)."""
        end = self.closed_at.date() if self.closed_at is not None else today
        return max(0, (end - self.intake_on).days)

    def __repr__(self) -> str:
        return f"<LotsCase {self.id} {self.status}>"


class CaseEvent(db.Model):
    """One entry in a case's history. Only ever inserted."""

    __tablename__ = "case_events"
    __table_args__ = (sa.Index("ix_case_events_case_id_at", "case_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("lots_cases.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(sa.String(20))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str | None] = mapped_column(sa.String(20))
    outcome: Mapped[str | None] = mapped_column(sa.String(20))
    text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    actor: Mapped[User | None] = relationship("User", lazy="raise")

    @property
    def kind_label(self) -> str:
        return str(EVENT_KINDS.get(self.kind, self.kind))

    @property
    def title(self) -> str:
        if self.kind == "status" and self.to_status:
            label = str(STATUS_LABELS.get(self.to_status, self.to_status))
            if self.outcome:
                outcome = str(OUTCOME_LABELS.get(self.outcome, self.outcome)).lower()
                return _("Status: %(status)s (%(outcome)s)", status=label, outcome=outcome)
            return _("Status: %(status)s", status=label)
        return self.kind_label


class CasePermit(TimestampMixin, VersionedMixin, db.Model):
    """One permit or authority area on a case, tracked against its statutory clock."""

    __tablename__ = "case_permits"
    __table_args__ = (
        # "Deadline near or passed": undecided rows by expected decision date / apply-by date,
        # with the case, so that counting the deadline list's cases reads no permit row (0028).
        sa.Index(
            "ix_case_permits_decision_on_expected_case", "decision_on", "expected_decision_on", "case_id"
        ),
        sa.Index("ix_case_permits_submitted_on_apply_by_case", "submitted_on", "apply_by", "case_id"),
        sa.CheckConstraint(
            "complete_on IS NULL OR submitted_on IS NULL OR complete_on >= submitted_on",
            name="complete_after_submitted",
        ),
        sa.CheckConstraint(
            "completion_requested_on IS NULL OR submitted_on IS NULL OR completion_requested_on >= submitted_on",
            name="request_after_submitted",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("lots_cases.id"), index=True)
    permit_type_id: Mapped[int] = mapped_column(sa.ForeignKey("permit_types.id"), index=True)
    authority: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    submitted_on: Mapped[date | None]
    complete_on: Mapped[date | None]
    # PBL's three-week rule (catalogue flag pbl_three_week_rule): the föreläggande om
    # komplettering, and the days the applicant added material on their own initiative (ISO
    # dates, ascending; read them through own_initiative_dates).
    completion_requested_on: Mapped[date | None]
    own_initiative_on: Mapped[list[str] | None] = mapped_column(sa.JSON)
    # Registered before the three-week rule (migration 0012): the föreläggande date was never
    # asked for, so complete_on is trusted as before until someone records it.
    request_date_unknown: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    extended: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    decision_on: Mapped[date | None]
    outcome: Mapped[str | None] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Denormalised from the catalogue (see module docstring).
    expected_decision_on: Mapped[date | None]
    apply_by: Mapped[date | None]

    permit_type: Mapped[PermitType] = relationship("PermitType", lazy="raise")

    @property
    def outcome_label(self) -> str:
        return str(PERMIT_OUTCOMES.get(self.outcome or "", self.outcome or ""))

    @property
    def own_initiative_dates(self) -> tuple[date, ...]:
        return tuple(sorted(date.fromisoformat(d) for d in self.own_initiative_on or ()))


class LotsMeeting(TimestampMixin, VersionedMixin, db.Model):
    """A lotsmöte / etableringsmöte on a case. `sequence` is the iCalendar SEQUENCE."""

    __tablename__ = "lots_meetings"
    __table_args__ = (
        sa.Index("ix_lots_meetings_case_id_starts_at", "case_id", "starts_at"),
        # The participants' calendar feeds: upcoming meetings.
        sa.Index("ix_lots_meetings_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("lots_cases.id"))
    uid: Mapped[str] = mapped_column(sa.String(200), unique=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    agenda: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    minutes: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    cancelled_at: Mapped[datetime | None]
    invited_at: Mapped[datetime | None]
    invited_sequence: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    internal_participants: Mapped[list[User]] = relationship(
        "User", secondary=lots_meeting_users, lazy="raise", order_by="User.name"
    )
    guests: Mapped[list[LotsMeetingGuest]] = relationship(
        back_populates="meeting", lazy="raise", cascade="all, delete-orphan", order_by="LotsMeetingGuest.id"
    )

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def invitation_outdated(self) -> bool:
        """The meeting changed after the last invitation was sent."""
        return self.invited_sequence is not None and self.invited_sequence != self.sequence


class LotsMeetingGuest(db.Model):
    """An external participant of a lotsmöte: a contact person or a name with an address."""

    __tablename__ = "lots_meeting_guests"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("lots_meetings.id", ondelete="CASCADE"), index=True)
    contact_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contact_persons.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")

    meeting: Mapped[LotsMeeting] = relationship(back_populates="guests", lazy="raise")


class SurveyInvitation(db.Model):
    """The satisfaction survey of one closed case (at most one per case)."""

    __tablename__ = "survey_invitations"
    __table_args__ = (
        # The sending job: unsent, not withdrawn, due.
        sa.Index("ix_survey_invitations_sent_at_send_after", "sent_at", "send_after"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("lots_cases.id"), unique=True)
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    send_after: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]


class SurveyResponse(db.Model):
    """One answer. Pseudonymised: the case id stays (results per case type), no e-mail address.

    The three NKI questions are required (1–10); the six service factors may be left
    unanswered ("vet inte / ej aktuellt").
    """

    __tablename__ = "survey_responses"
    __table_args__ = (
        # Results per case type and period.
        sa.Index("ix_survey_responses_case_type_id_answered_at", "case_type_id", "answered_at"),
        sa.Index("ix_survey_responses_answered_at", "answered_at"),
        *(
            sa.CheckConstraint(f"{col} IS NULL OR ({col} BETWEEN 1 AND 10)", name=f"{col}_range")
            for col in (
                "q_overall",
                "q_expectations",
                "q_ideal",
                "f_information",
                "f_tillganglighet",
                "f_bemotande",
                "f_kompetens",
                "f_rattssakerhet",
                "f_effektivitet",
            )
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("lots_cases.id"), index=True)
    case_type_id: Mapped[int] = mapped_column(sa.ForeignKey("case_types.id"))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    q_overall: Mapped[int]
    q_expectations: Mapped[int]
    q_ideal: Mapped[int]
    f_information: Mapped[int | None]
    f_tillganglighet: Mapped[int | None]
    f_bemotande: Mapped[int | None]
    f_kompetens: Mapped[int | None]
    f_rattssakerhet: Mapped[int | None]
    f_effektivitet: Mapped[int | None]
    free_text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    @property
    def nki(self) -> float:
        from app.cases.survey import nki_of

        return nki_of(self.q_overall, self.q_expectations, self.q_ideal)


# A case can be marked restricted: the one rule (app.core.restriction) decides who reads it.
from app.core.restriction import register_root  # noqa: E402

register_root(
    "case",
    LotsCase,
    owner="responsible_user_id",
    participants=lots_case_participants,
    record_column="case_id",
    entity_type="lots_cases",
)
