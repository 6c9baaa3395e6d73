"""Logging, editing and deleting contacts; permit guidance; referrals; who may read what.

Rules kept here (not in forms or views):
* one primary focus area is required; a retired one cannot be chosen for a NEW contact, but an
  old contact keeps it (editing it without changing the focus area is fine);
* a tillståndsvägledning contact names at least one permit type;
* edit: the author or any företagslots; delete is soft and audited;
* Company.last_contact_at = max(occurred_at) of the company's non-deleted contacts, kept in the
  same transaction (plain UPDATE, no version bump, like next_followup_on);
* a restricted contact ("kan innehålla uppgifter som omfattas av sekretess") shows its subject
  and notes only to its participants (author and kommun participants) and to roles with
  Perm.VIEW_RESTRICTED; every such read is audited (action "view"). Everyone else with
  Perm.VIEW_CONTACTS sees it summarised as "Kontakt med begränsad åtkomst".
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.audit import services as audit
from app.auth.models import User
from app.catalogues.models import PermitType, ReferralPartner
from app.catalogues.services import ensure_partner_selectable
from app.companies.models import Company, ContactPerson
from app.core import restriction
from app.core.codes import swedish
from app.core.db import check_version
from app.core.errors import NotFound, PermissionDenied, ValidationError
from app.core.permissions import Perm, Role, can, require
from app.core.time import local_today, utcnow
from app.extensions import db
from app.followups import services as followups
from app.interactions import validation
from app.interactions.follow_up import follow_up_due
from app.interactions.inputs import ContactInput, FollowUpRequest, PermitGuidanceInput, ReferralInput
from app.interactions.models import (
    Interaction,
    InteractionKind,
    PermitGuidance,
    Referral,
)
from app.strategy.models import FocusArea

RESTRICTED_TITLE = restriction.neutral("interaction")


def _swedish_kind(interaction: Interaction) -> str:
    """The kind of contact in Swedish, for the audit trail (a record, written in Swedish
    whatever language the user reads Lotsbok in)."""
    return swedish(lambda: interaction.kind_label)


# ---------------------------------------------------------------------------------------------
# Who may do what


def can_read(actor: User | None, interaction: Interaction) -> bool:
    """May `actor` open the contact and see its content? VIEW_CONTACTS, and the one rule for
    restricted records (app.core.restriction). Listing a contact needs only VIEW_CONTACTS."""
    return can(actor, Perm.VIEW_CONTACTS) and restriction.may_read(actor, "interaction", interaction)


def can_edit(actor: User | None, interaction: Interaction) -> bool:
    """The author (if still allowed to edit contacts) or any active företagslots."""
    if not can(actor, Perm.EDIT_CONTACTS) or interaction.deleted_at is not None:
        return False
    return actor.role == Role.LOTS.value or actor.id == interaction.author_id


def read_contact(interaction: Interaction, *, actor: User, now: datetime | None = None) -> bool:
    """Open a contact for `actor`: True if the full content may be shown, False for the summary.

    Reading a restricted contact in full is recorded in the audit trail (action "view") in the
    caller's transaction (the caller commits). Raises PermissionDenied without VIEW_CONTACTS,
    NotFound for a deleted contact.
    """
    require(actor, Perm.VIEW_CONTACTS)
    if interaction.deleted_at is not None:
        raise NotFound(_("Kontakten är borttagen."))
    if not can_read(actor, interaction):
        return False
    if interaction.is_restricted:
        restriction.record_read(actor, "interaction", interaction.id, where="kontaktens sida")
        db.session.flush()
    return True


def _apply(
    interaction: Interaction,
    data: ContactInput,
    *,
    kind: InteractionKind,
    company: Company,
    focus: tuple[FocusArea, list[FocusArea]],
    participants: list[User],
    persons: list[ContactPerson],
    permit_rows: list[tuple[PermitType, PermitGuidanceInput]],
) -> None:
    interaction.kind = kind
    interaction.occurred_at = data.occurred_at
    interaction.duration_minutes = data.duration_minutes
    interaction.company_id = company.id
    interaction.inbound_channel = validation.inbound_channel(data.inbound_channel)
    interaction.subject = data.subject.strip()
    interaction.notes = data.notes.strip()
    interaction.focus_area_id = focus[0].id
    interaction.other_focus_areas = focus[1]
    interaction.participants = participants
    interaction.contact_persons = persons
    interaction.case_id = data.case_id
    interaction.is_restricted = data.is_restricted
    by_type = {g.permit_type_id: g for g in interaction.permit_guidance}
    rows: list[PermitGuidance] = []
    for permit, row in permit_rows:
        guidance = by_type.get(permit.id) or PermitGuidance(permit_type_id=permit.id)
        guidance.guidance_given = row.guidance_given.strip()
        guidance.handed_to = row.handed_to.strip()
        rows.append(guidance)
    interaction.permit_guidance = rows


def _list_changes(interaction: Interaction) -> dict[str, list[list[int]]]:
    """Changes of the many-to-many lists since load, for the audit diff."""
    changes: dict[str, list[list[int]]] = {}
    state = sa.inspect(interaction)
    for key in ("other_focus_areas", "participants", "contact_persons", "permit_guidance"):
        hist = state.attrs[key].history
        if hist.added or hist.deleted:
            attr = "permit_type_id" if key == "permit_guidance" else "id"
            old = sorted(getattr(o, attr) for o in (*hist.unchanged, *hist.deleted))
            new = sorted(getattr(o, attr) for o in (*hist.unchanged, *hist.added))
            if old != new:
                changes[key] = [old, new]
    return changes


# ---------------------------------------------------------------------------------------------
# Company.last_contact_at


def refresh_company_last_contact(company_id: int | None) -> datetime | None:
    """Set Company.last_contact_at to the latest non-deleted contact (or NULL). Flushes first.

    A plain UPDATE that does not bump the company's version (a colleague editing the company
    form must not get a stale-edit error because a call was logged).
    """
    if company_id is None:
        return None
    db.session.flush()
    latest = db.session.scalar(
        sa.select(sa.func.max(Interaction.occurred_at)).where(
            Interaction.company_id == company_id, Interaction.deleted_at.is_(None)
        )
    )
    db.session.execute(
        sa.update(Company).where(Company.id == company_id).values(last_contact_at=latest),
        execution_options={"synchronize_session": "evaluate"},
    )
    return latest


# ---------------------------------------------------------------------------------------------
# Contacts


def contact_for_form_token(token: str) -> Interaction | None:
    """The contact a form with this one-time token already logged, if any."""
    if not token:
        return None
    return db.session.scalar(sa.select(Interaction).where(Interaction.form_token == token[:64]))


def log_contact(
    data: ContactInput,
    *,
    actor: User,
    form_token: str = "",
    follow_up: FollowUpRequest | None = None,
    now: datetime | None = None,
    authorised_by: Perm = Perm.EDIT_CONTACTS,
) -> Interaction:
    """Log a contact with a company.

    `form_token` (the form's one-time token) makes a repeated POST return the contact the first
    one logged. `follow_up` creates a follow-up for the actor through the follow-up feature.
    Keeps Company.last_contact_at and the key-company cadence (followups.on_contact_logged) up
    to date. `authorised_by` is the permission that allows this call: another feature's
    service may log a contact as part of its own operation (recording a company visit needs
    only visits.edit). Raises PermissionDenied, ValidationError. Flushes; the caller commits.
    """
    require(actor, authorised_by)
    now = now or utcnow()
    already = contact_for_form_token(form_token)
    if already is not None:
        return already
    kind = validation.contact_kind(data.kind)
    validation.validate_common(data, now)
    company = validation.live_company(data.company_id)
    focus = validation.focus_areas(data, None)
    participants = validation.participants(data.participant_ids, None)
    persons = validation.contact_persons(data.contact_person_ids, company, None)
    permit_rows = validation.permit_rows(data, kind, None)
    due = follow_up_due(follow_up, now) if follow_up is not None else None

    interaction = Interaction(author_id=actor.id, form_token=form_token[:64] or None)
    _apply(
        interaction,
        data,
        kind=kind,
        company=company,
        focus=focus,
        participants=participants,
        persons=persons,
        permit_rows=permit_rows,
    )
    db.session.add(interaction)
    previous_latest = company.last_contact_at
    audit.record_create(actor, interaction, summary=f"{_swedish_kind(interaction)} med {company.name} loggad")

    if previous_latest is None or interaction.occurred_at >= previous_latest:
        # Only the company's newest contact restarts the key-company cadence; a contact
        # back-filled from last year must not.
        followups.on_contact_logged(company, interaction.occurred_at, actor)
    refresh_company_last_contact(company.id)

    if due is not None:
        followup_title = f"Följ upp: {interaction.subject}"  # untranslated: stored as the title
        followups.create_followup(
            followups.FollowUpInput(
                title=followup_title[:200],
                due_on=due,
                company_id=company.id,
                interaction_id=interaction.id,
                source="contact",
            ),
            actor=actor,
            now=now,
        )
    return interaction


def update_contact(
    interaction: Interaction,
    data: ContactInput,
    *,
    actor: User,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Interaction:
    """Edit a contact (author or any företagslots).

    An old contact keeps a focus area or permit type that has since been retired. Keeps
    last_contact_at of the old and the new company right. Raises PermissionDenied, NotFound
    (deleted), StaleEdit, ValidationError. Flushes.
    """
    require(actor, Perm.EDIT_CONTACTS)
    if interaction.deleted_at is not None:
        raise NotFound(_("Kontakten är borttagen."))
    if not can_edit(actor, interaction):
        raise PermissionDenied(_("Bara den som loggade kontakten eller en företagslots kan ändra den."))
    check_version(interaction, expected_version)
    now = now or utcnow()
    _load_lists(interaction)
    kind = validation.contact_kind(data.kind)
    validation.validate_common(data, now)
    company = (
        db.session.get(Company, interaction.company_id)
        if data.company_id == interaction.company_id
        else validation.live_company(data.company_id)
    )
    focus = validation.focus_areas(data, interaction)
    participants = validation.participants(data.participant_ids, interaction)
    persons = validation.contact_persons(data.contact_person_ids, company, interaction)
    permit_rows = validation.permit_rows(data, kind, interaction)

    old_company_id = interaction.company_id
    _apply(
        interaction,
        data,
        kind=kind,
        company=company,
        focus=focus,
        participants=participants,
        persons=persons,
        permit_rows=permit_rows,
    )
    list_changes = _list_changes(interaction)
    changes = audit.pending_changes(interaction)
    if changes or list_changes:
        audit.record(
            actor,
            "update",
            "interactions",
            interaction.id,
            summary=f"{_swedish_kind(interaction)} med {company.name} ändrad",  # untranslated: audit trail
            changes={**changes, **list_changes},
        )
        if list_changes and not changes:
            # Only lists changed: bump the version so a concurrent editor notices.
            interaction.updated_at = now
    db.session.flush()
    refresh_company_last_contact(interaction.company_id)
    if old_company_id != interaction.company_id:
        refresh_company_last_contact(old_company_id)
    return interaction


def delete_contact(
    interaction: Interaction,
    *,
    actor: User,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Interaction:
    """Soft-delete a contact (author or any företagslots): it leaves lists, the timeline and
    last_contact_at; the audit trail keeps its values. Raises PermissionDenied, StaleEdit,
    NotFound (already deleted). Flushes."""
    require(actor, Perm.EDIT_CONTACTS)
    if interaction.deleted_at is not None:
        raise NotFound(_("Kontakten är redan borttagen."))
    if not can_edit(actor, interaction):
        raise PermissionDenied(_("Bara den som loggade kontakten eller en företagslots kan ta bort den."))
    check_version(interaction, expected_version)
    interaction.deleted_at = now or utcnow()
    interaction.deleted_by_id = actor.id
    audit.record_delete(
        actor,
        interaction,
        summary=f"{_swedish_kind(interaction)} {interaction.occurred_at:%Y-%m-%d} borttagen",
    )
    db.session.flush()
    refresh_company_last_contact(interaction.company_id)
    return interaction


def _load_lists(interaction: Interaction) -> None:
    """Load the many-to-many lists once (they are lazy="raise" to keep lists free of N+1)."""
    db.session.execute(
        sa.select(Interaction)
        .where(Interaction.id == interaction.id)
        .options(
            selectinload(Interaction.other_focus_areas),
            selectinload(Interaction.participants),
            selectinload(Interaction.contact_persons),
            selectinload(Interaction.permit_guidance),
        )
        .execution_options(populate_existing=False)
    ).all()


# ---------------------------------------------------------------------------------------------
# Referrals


def add_referral(data: ReferralInput, *, actor: User, now: datetime | None = None) -> Referral:
    """Record that a company was referred to a partner (from a contact, a case, or directly).

    With `interaction_id` the company is the contact's. Raises PermissionDenied,
    ValidationError, NotFound. Flushes.
    """
    require(actor, Perm.EDIT_CASES if data.case_id and not data.interaction_id else Perm.EDIT_CONTACTS)
    interaction = None
    company_id = data.company_id
    if data.interaction_id is not None:
        interaction = db.session.get(Interaction, data.interaction_id)
        if interaction is None or interaction.deleted_at is not None:
            raise NotFound(_("Kontakten finns inte."))
        if company_id is not None and company_id != interaction.company_id:
            raise ValidationError(_("Hänvisningen måste gälla kontaktens företag."), field="company_id")
        company_id = interaction.company_id
    company = validation.live_company(company_id)
    partner = ensure_partner_selectable(
        db.session.get(ReferralPartner, data.partner_id) if data.partner_id else None
    )
    if not data.reason.strip():
        raise ValidationError(_("Skriv varför företaget hänvisades."), field="reason")
    today = local_today(now)
    referred_on = data.referred_on or today
    if referred_on > today:
        raise ValidationError(_("Datumet kan inte ligga i framtiden."), field="referred_on")
    referral = Referral(
        interaction_id=interaction.id if interaction else None,
        case_id=data.case_id,
        company_id=company.id,
        partner_id=partner.id,
        reason=data.reason.strip(),
        referred_on=referred_on,
        created_by_id=actor.id,
    )
    db.session.add(referral)
    summary = f"{company.name} hänvisat till {partner.name}"  # untranslated: audit trail
    audit.record_create(actor, referral, summary=summary)
    return referral


def record_referral_outcome(
    referral: Referral,
    outcome: str,
    *,
    actor: User,
    outcome_on: date | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Referral:
    """Fill in (or correct) what came of a referral. Raises PermissionDenied, StaleEdit,
    ValidationError. Flushes."""
    require(
        actor, Perm.EDIT_CASES if referral.case_id and not referral.interaction_id else Perm.EDIT_CONTACTS
    )
    check_version(referral, expected_version)
    if not outcome.strip():
        raise ValidationError(_("Skriv vad hänvisningen ledde till."), field="outcome")
    today = local_today(now)
    outcome_on = outcome_on or today
    if outcome_on > today:
        raise ValidationError(_("Datumet kan inte ligga i framtiden."), field="outcome_on")
    if outcome_on < referral.referred_on:
        raise ValidationError(_("Utfallet kan inte vara före hänvisningen."), field="outcome_on")
    referral.outcome = outcome.strip()
    referral.outcome_on = outcome_on
    summary = "Utfall av hänvisning registrerat"  # untranslated: audit trail
    audit.record_update(actor, referral, summary=summary)
    db.session.flush()
    return referral


def get_referral(referral_id: int) -> Referral:
    referral = db.session.get(Referral, referral_id)
    if referral is None:
        raise NotFound(_("Hänvisningen finns inte."))
    return referral


# ---------------------------------------------------------------------------------------------
# Company merge


def move_contacts_on_merge(source: Company, target: Company, actor: User | None) -> int:
    """Merge handler: the source company's contacts and referrals move to the surviving one.

    Plain UPDATEs (no version bump); the merge service recomputes last_contact_at itself.
    """
    moved = db.session.execute(
        sa.update(Interaction).where(Interaction.company_id == source.id).values(company_id=target.id),
        execution_options={"synchronize_session": "evaluate"},
    ).rowcount
    moved += db.session.execute(
        sa.update(Referral).where(Referral.company_id == source.id).values(company_id=target.id),
        execution_options={"synchronize_session": "evaluate"},
    ).rowcount
    return moved or 0
