"""Loads app.companies.demo_data through the services (so demo data obeys every rule)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.auth.models import User
from app.companies import contact_persons, services
from app.companies.demo_data import demo_companies
from app.companies.models import Company
from app.companies.queries import area_by_name
from app.core.permissions import Role
from app.extensions import db


def load_demo_companies() -> tuple[int, int]:
    """Create the demo companies and their contact persons; returns (companies, contact persons) added.

    Idempotent: a company whose orgnr (or, without orgnr, whose name) exists is skipped.
    Responsibility is spread over the active företagslotsar, if any exist.
    """
    lots = list(
        db.session.scalars(
            sa.select(User).where(User.role == Role.LOTS.value, User.is_active.is_(True)).order_by(User.id)
        )
    )
    companies = persons = 0
    for index, spec in enumerate(demo_companies()):
        if spec["orgnr"]:
            exists = db.session.scalar(sa.select(Company.id).where(Company.orgnr == spec["orgnr"]))
        else:
            exists = db.session.scalar(
                sa.select(Company.id).where(Company.name_norm == services.normalise_name(spec["name"]))
            )
        if exists is not None:
            continue
        area = area_by_name(spec["area"])
        company = services.create_company(
            services.CompanyInput(
                name=spec["name"],
                orgnr=spec["orgnr"] or "",
                legal_form=spec["legal_form"],
                sni_code=spec["sni_code"],
                sni_version=spec["sni_version"],
                size_class=spec["size_class"],
                visiting_address=spec["visiting_address"],
                postcode=spec["postcode"],
                city=spec["city"],
                area_id=area.id if area else None,
                website=spec["website"],
                phone=spec["phone"],
                email=spec["email"],
                status=spec["status"],
                responsible_user_id=lots[index % len(lots)].id if lots else None,
                is_key_company=spec["is_key_company"],
                contact_cadence_months=spec["contact_cadence_months"],
                notes=spec["notes"],
                tags=tuple(spec["tags"]),
            ),
            actor=None,
            system=True,
            summary=f"Demoföretaget {spec['name']} skapat",
        )
        companies += 1
        for person in spec["contact_persons"]:
            contact_persons.add_contact_person(
                company,
                contact_persons.ContactPersonInput(
                    name=person["name"],
                    title=person["title"],
                    phone=person["phone"],
                    email=person["email"],
                    informed_on=date.fromisoformat(person["informed_on"]) if person["informed_on"] else None,
                    no_mailings=person["no_mailings"],
                ),
                actor=None,
                system=True,
            )
            persons += 1
    db.session.flush()
    return companies, persons
