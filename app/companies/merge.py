"""Merging two company records into one.

The user picks, field by field, whether the surviving company (`target`) keeps its own value
or takes the other one's (`source`). Then every registered merge handler
(app.core.merge.register_merge_handler) moves its records from source to target – contact
persons are moved by `move_contact_persons`, registered by this package – and the source is
marked `merged_into_id = target.id`. The source row stays, so old links and the audit trail
still work and its page says where it went.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit import services as audit
from app.auth.models import User
from app.companies import services, tags
from app.companies.models import Company, ContactPerson, ContactPersonMove, company_tags
from app.core.db import check_version
from app.core.errors import Conflict, ValidationError
from app.core.merge import merge_handlers
from app.core.permissions import Perm, require
from app.core.time import utcnow
from app.extensions import db

#: Fields the user chooses between: key → (label, model attributes copied together).
MERGE_FIELDS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "name": (_l("Namn"), ("name", "name_norm", "sort_name")),
    "orgnr": (_l("Organisationsnummer"), ("orgnr", "orgnr_kind")),
    "legal_form": (_l("Juridisk form"), ("legal_form",)),
    "sni": (_l("SNI-kod"), ("sni_code", "sni_version")),
    "size_class": (_l("Storleksklass"), ("size_class",)),
    "visiting_address": (_l("Besöksadress"), ("visiting_address",)),
    "postal_address": (_l("Postadress"), ("postal_address",)),
    "postcode": (_l("Postnummer och ort"), ("postcode", "city")),
    "area_id": (_l("Område"), ("area_id",)),
    "website": (_l("Webbplats"), ("website",)),
    "phone": (_l("Telefon"), ("phone",)),
    "email": (_l("E-post"), ("email",)),
    "status": (_l("Status"), ("status",)),
    "responsible_user_id": (_l("Ansvarig lots"), ("responsible_user_id",)),
    "key_company": (_l("Nyckelföretag"), ("is_key_company", "contact_cadence_months")),
    "notes": (_l("Anteckningar"), ("notes",)),
}


def move_contact_persons(source: Company, target: Company, actor: Any) -> int:
    """Merge handler: contact persons (current and former) and their move history."""
    moved = db.session.execute(
        sa.update(ContactPerson).where(ContactPerson.company_id == source.id).values(company_id=target.id)
    ).rowcount
    for column in (ContactPersonMove.from_company_id, ContactPersonMove.to_company_id):
        db.session.execute(
            sa.update(ContactPersonMove).where(column == source.id).values({column.key: target.id})
        )
    # A move between the two merged companies is now a move within one company: drop it.
    db.session.execute(
        sa.delete(ContactPersonMove).where(
            ContactPersonMove.from_company_id == ContactPersonMove.to_company_id
        )
    )
    return moved or 0


def merge_companies(
    source: Company,
    target: Company,
    choices: dict[str, str],
    *,
    actor: User,
    source_version: int | None = None,
    target_version: int | None = None,
    now: datetime | None = None,
) -> Company:
    """Merge `source` into `target`. `choices[field]` is "source" or "target" (default target).

    Tags are united; last_contact_at takes the later, next_followup_on the earlier value.
    Raises StaleEdit if either company changed since the merge screen was shown, Conflict if
    either is already merged or deleted, ValidationError for a merge with itself.
    """
    require(actor, Perm.EDIT_COMPANIES)
    now = now or utcnow()
    if source.id == target.id:
        raise ValidationError(_("Välj två olika företag att slå samman."))
    for company in (source, target):
        if not company.is_live:
            raise Conflict(_("%(name)s är redan sammanslaget eller borttaget.", name=company.name))
    check_version(source, source_version)
    check_version(target, target_version)
    for key, choice in choices.items():
        if key not in MERGE_FIELDS or choice not in ("source", "target"):
            raise ValidationError(_("Ogiltigt val i sammanslagningen."))

    taken: dict[str, Any] = {}
    for key, (_label, attrs) in MERGE_FIELDS.items():
        if choices.get(key) == "source":
            for attr in attrs:
                taken[attr] = getattr(source, attr)
    if "orgnr" in taken and taken["orgnr"] != target.orgnr:
        # The number is unique: free it on the source before the target takes it.
        source.orgnr = None
        source.orgnr_kind = None
        db.session.flush()
    for attr, value in taken.items():
        setattr(target, attr, value)
    if source.last_contact_at and (
        not target.last_contact_at or source.last_contact_at > target.last_contact_at
    ):
        target.last_contact_at = source.last_contact_at
    if source.next_followup_on and (
        not target.next_followup_on or source.next_followup_on < target.next_followup_on
    ):
        target.next_followup_on = source.next_followup_on

    union = list(dict.fromkeys([*tags.tag_names(target.id), *tags.tag_names(source.id)]))
    target.updated_at = now  # the target changes even if no field did: bump its version
    services.update_with_tags(actor, target, union, f"{source.name} sammanslaget in i {target.name}")
    db.session.execute(sa.delete(company_tags).where(company_tags.c.company_id == source.id))

    moved: dict[str, int] = {}
    for registered in merge_handlers():
        moved[registered.label] = registered.handler(source, target, actor) or 0
    db.session.flush()

    source.merged_into_id = target.id
    source.merged_at = now
    # The source leaves the register: its own number was freed above if the target took it.
    summary_moves = ", ".join(f"{n} {label}" for label, n in moved.items() if n)
    services.audit_update(
        actor,
        source,
        f"{source.name} sammanslaget in i {target.name}"
        + (f" (flyttade: {summary_moves})" if summary_moves else ""),
    )
    audit.record(
        actor,
        "merge",
        "companies",
        target.id,
        now=now,
        summary=f"{source.name} (id {source.id}) sammanslaget in i {target.name}",
        changes={
            "source_id": source.id,
            "moved": moved,
            "fields_from_source": sorted(k for k, v in choices.items() if v == "source"),
        },
    )
    db.session.flush()
    return target
