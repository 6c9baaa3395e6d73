"""Undoing a company import (step 4 of app.companies.importer): the companies the import created
are removed, the ones it updated restored from the before-values its ImportRows hold, unless any
of them changed after the import (Conflict, in Swedish).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit import services as audit
from app.auth.models import User
from app.companies import services
from app.companies.importer import RESTORABLE, ImportCounts
from app.companies.models import (
    Company,
    CompanyCreateToken,
    ContactPerson,
    ImportBatch,
    ImportRow,
    company_tags,
)
from app.core.errors import Conflict
from app.core.permissions import Perm, require
from app.core.time import utcnow
from app.extensions import db


def undo_import(batch: ImportBatch, *, actor: User, now: datetime | None = None) -> ImportCounts:
    """Remove the companies `batch` created and restore those it updated.

    Refuses with Conflict (Swedish, naming the companies) if any of them was changed, merged or
    deleted after the import, or got contact persons or other records of its own since.
    """
    require(actor, Perm.IMPORT_COMPANIES)
    if batch.status != "done":
        raise Conflict(
            _("Bara en genomförd import kan ångras.")
            if batch.status != "undone"
            else _("Importen är redan ångrad.")
        )
    rows = list(
        db.session.scalars(sa.select(ImportRow).where(ImportRow.batch_id == batch.id).order_by(ImportRow.id))
    )
    companies = {
        c.id: c
        for c in db.session.scalars(sa.select(Company).where(Company.id.in_([r.company_id for r in rows])))
    }
    changed: list[str] = []
    for row in rows:
        company = companies[row.company_id]
        own_contacts = set((row.before or {}).get("contact_ids", []))
        contact_ids = set(
            db.session.scalars(sa.select(ContactPerson.id).where(ContactPerson.company_id == company.id))
        )
        if (
            company.version != row.version_after
            or not company.is_live
            or (row.action == "created" and contact_ids - own_contacts)
        ):
            changed.append(company.name)
    if changed:
        names = ", ".join(changed[:10])
        if len(changed) > 10:
            names = _("%(names)s och %(more)s till", names=names, more=len(changed) - 10)
        raise Conflict(
            _(
                "Importen kan inte ångras eftersom följande företag har ändrats efter importen: "
                "%(names)s. Ändra dem för hand i stället, så att ingen annans ändring försvinner.",
                names=names,
            )
        )
    counts = ImportCounts()
    try:
        with db.session.begin_nested():
            for row in rows:
                company = companies[row.company_id]
                contact_ids = (row.before or {}).get("contact_ids", [])
                if contact_ids:
                    db.session.execute(sa.delete(ContactPerson).where(ContactPerson.id.in_(contact_ids)))
                if row.action == "created":
                    audit.record(
                        actor,
                        "delete",
                        "companies",
                        company.id,
                        now=now,
                        summary=f"Företaget {company.name} borttaget när importen ångrades",  # untranslated: audit trail
                    )
                    db.session.execute(sa.delete(company_tags).where(company_tags.c.company_id == company.id))
                    db.session.execute(
                        sa.delete(CompanyCreateToken).where(CompanyCreateToken.company_id == company.id)
                    )
                    db.session.delete(row)
                    db.session.flush()
                    db.session.delete(company)
                    counts.created += 1
                else:
                    _restore(company, row.before or {}, actor)
                    counts.updated += 1
            db.session.flush()
    except sa.exc.IntegrityError as exc:
        raise Conflict(
            _(
                "Importen kan inte ångras eftersom något av de importerade företagen redan har kontakter, "
                "ärenden eller andra uppgifter kopplade till sig."
            )
        ) from exc
    batch.status = "undone"
    batch.undone_at = now or utcnow()
    batch.undone_by_id = actor.id
    audit.record(
        actor,
        "undo",
        "import_batches",
        batch.id,
        now=now,
        summary=f"Import av {batch.filename} ångrad: {counts.created} borttagna, {counts.updated} återställda",  # untranslated: audit trail
    )
    db.session.flush()
    return counts


def _restore(company: Company, before: dict[str, Any], actor: User) -> None:
    for name in RESTORABLE:
        if name in before:
            setattr(company, name, before[name])
    services.update_with_tags(
        actor,
        company,
        before.get("tags", []),
        f"Företaget {company.name} återställt när importen ångrades",  # untranslated: audit trail
    )
