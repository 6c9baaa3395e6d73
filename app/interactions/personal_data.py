"""Personal data in the contact log, for app.privacy: contacts and referrals that name a person,
anonymisation of their free text, and the retention target "Kontakter"."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.personal_data import (
    PLACEHOLDER,
    FoundRecord,
    RetentionTarget,
    Subject,
    contains_any,
    replace_in_columns,
)
from app.extensions import db
from app.interactions.models import (
    Interaction,
    PermitGuidance,
    Referral,
    interaction_contact_persons,
    interaction_participants,
)

GALLRAD = "[gallrad]"


def _contact_ids(subject: Subject, values: list[str]) -> set[int]:
    ids: set[int] = set()
    if subject.contact_person_ids:
        ids.update(
            db.session.scalars(
                sa.select(interaction_contact_persons.c.interaction_id).where(
                    interaction_contact_persons.c.contact_person_id.in_(subject.contact_person_ids)
                )
            )
        )
    if subject.user_ids:
        ids.update(
            db.session.scalars(
                sa.select(interaction_participants.c.interaction_id).where(
                    interaction_participants.c.user_id.in_(subject.user_ids)
                )
            )
        )
        ids.update(
            db.session.scalars(sa.select(Interaction.id).where(Interaction.author_id.in_(subject.user_ids)))
        )
    if subject.company_ids:
        ids.update(
            db.session.scalars(
                sa.select(Interaction.id).where(Interaction.company_id.in_(subject.company_ids))
            )
        )
    if values:
        ids.update(
            db.session.scalars(
                sa.select(Interaction.id).where(
                    sa.or_(contains_any(Interaction.subject, values), contains_any(Interaction.notes, values))
                )
            )
        )
    return ids


def find(subject: Subject, values: list[str]) -> list[FoundRecord]:
    """Contacts the subject took part in, logged, or is named in (deleted ones too), and
    referrals of those contacts or of the subject's own firm."""
    ids = _contact_ids(subject, values)
    found: list[FoundRecord] = []
    if ids:
        named_persons = {
            row.interaction_id
            for row in db.session.execute(
                sa.select(interaction_contact_persons.c.interaction_id).where(
                    interaction_contact_persons.c.contact_person_id.in_(subject.contact_person_ids or {0})
                )
            )
        }
        for contact in db.session.scalars(
            sa.select(Interaction).where(Interaction.id.in_(ids)).order_by(Interaction.occurred_at)
        ):
            roles = []
            if contact.id in named_persons:
                roles.append("deltog för företaget")  # untranslated: registerutdrag (document in Swedish)
            if contact.author_id in subject.user_ids:
                roles.append("registrerade kontakten")
            if contact.company_id in subject.company_ids:
                roles.append("kontakt med den egna firman")
            if not roles:
                roles.append("nämns i texten")  # untranslated: registerutdrag (document in Swedish)
            fields = {
                "Typ": str(contact.kind_label),
                "Ämne": contact.subject,  # untranslated: registerutdrag (document in Swedish)
                "Anteckningar": contact.notes,
                "Roll": ", ".join(roles),
            }
            note = ""
            if contact.deleted_at:
                note = f"Borttagen (mjukt) {contact.deleted_at.date().isoformat()}"  # untranslated: registerutdrag
            found.append(
                FoundRecord(
                    "Kontakt",
                    "interactions",
                    contact.id,
                    contact.subject or str(contact.kind_label),
                    contact.occurred_at,
                    {k: v for k, v in fields.items() if v},
                    restricted=contact.is_restricted,
                    note=note,
                )
            )
    referral_where = []
    if ids:
        referral_where.append(Referral.interaction_id.in_(ids))
    if subject.company_ids:
        referral_where.append(Referral.company_id.in_(subject.company_ids))
    if values:
        referral_where.append(
            sa.or_(contains_any(Referral.reason, values), contains_any(Referral.outcome, values))
        )
    if referral_where:
        for referral in db.session.scalars(
            sa.select(Referral).where(sa.or_(*referral_where)).order_by(Referral.referred_on)
        ):
            fields = {
                "Skäl": referral.reason,  # untranslated: registerutdrag (document in Swedish)
                "Utfall": referral.outcome or "",
            }
            found.append(
                FoundRecord(
                    "Hänvisning",  # untranslated: registerutdrag (document in Swedish)
                    "referrals",
                    referral.id,
                    f"Hänvisning till partner {referral.partner_id}",  # untranslated: registerutdrag (document in Swedish)
                    referral.referred_on,
                    {k: v for k, v in fields.items() if v},
                )
            )
    return found


def case_ids_of(subject: Subject, values: list[str]) -> set[int]:
    """Lots cases that the subject's contacts belong to."""
    ids = _contact_ids(subject, values)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(Interaction.case_id).where(Interaction.id.in_(ids), Interaction.case_id.is_not(None))
        )
    )


def anonymise(subject: Subject, values: list[str], now: datetime) -> int:
    """Replace the subject's identifying values in contact texts, permit guidance and referrals."""
    changed = replace_in_columns(Interaction, ["subject", "notes"], values)
    changed += replace_in_columns(PermitGuidance, ["guidance_given", "handed_to"], values)
    changed += replace_in_columns(Referral, ["reason", "outcome"], values)
    return changed


# ------------------------------------------------------------------ retention


def _due(cutoff: datetime):
    return sa.and_(Interaction.occurred_at < cutoff, Interaction.subject != GALLRAD)


def _count_due(cutoff: datetime, action: str = "anonymise") -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Interaction).where(_due(cutoff))) or 0


def _apply(cutoff: datetime, action: str, now: datetime) -> int:
    """Gallra a contact's content: subject, notes, permit-guidance texts and the named contact
    persons go; kind, date, company, focus areas and people from the kommun stay, so every
    report figure is unchanged. Contacts are never deleted (visits, referrals, the
    handlingsplan and cases point at them)."""
    ids = list(db.session.scalars(sa.select(Interaction.id).where(_due(cutoff))))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        db.session.execute(
            sa.update(Interaction)
            .where(Interaction.id.in_(chunk))
            .values(subject=GALLRAD, notes="")
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            sa.update(PermitGuidance)
            .where(PermitGuidance.interaction_id.in_(chunk))
            .values(guidance_given="", handed_to="")
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            sa.delete(interaction_contact_persons).where(
                interaction_contact_persons.c.interaction_id.in_(chunk)
            )
        )
    return len(ids)


RETENTION_TARGETS = [
    RetentionTarget(
        "interactions",
        _l("Kontakter (kontaktloggen)"),
        _l("år efter kontakten"),
        ("anonymise",),
        _count_due,
        _apply,
    ),
]

__all__ = ["PLACEHOLDER", "RETENTION_TARGETS", "anonymise", "case_ids_of", "find"]
