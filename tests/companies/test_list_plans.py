"""The filtered company list's plan (issue 18, migration 0027): area + status + "no contact for
N months" is read through `ix_companies_area_id_status_last_contact_at`, not by walking every
company of the area (docs/ARCHITECTURE.md, "Plans at 100 000 companies")."""

from __future__ import annotations

from datetime import timedelta

from app.companies.models import Area
from app.companies.queries import CompanyFilter, company_select
from app.core.time import utcnow
from tests.builders.companies import make_company
from tests.plans import plan_of

INDEX = "ix_companies_area_id_status_last_contact_at"


def test_area_status_and_no_contact_are_read_through_one_index(db):
    area = Area(name="Testområde Söder", position=90)
    db.session.add(area)
    db.session.flush()
    long_ago = utcnow() - timedelta(days=800)
    for n in range(6):
        make_company(area_id=area.id, status="active", last_contact_at=long_ago if n % 2 else None)
    filters = CompanyFilter(area_id=area.id, status="active", no_contact_months=12)

    plan = plan_of(company_select(filters).limit(26))

    # Area and status are both conditions on the index (not the area alone, then every company
    # of the area checked). With ANALYZE statistics at 100 000 companies SQLite also reads the
    # "no contact" range from it (a MULTI-INDEX OR); without them, as here, it filters it.
    if db.session.get_bind().dialect.name == "sqlite":
        assert f"{INDEX} (area_id=? AND status=?" in plan, plan
    else:
        assert INDEX in plan, plan
        assert "Index Cond: ((area_id = " in plan, plan
        assert "(status)::text = " in plan, plan
    assert len(db.session.scalars(company_select(filters)).all()) == 6


def test_the_area_filter_alone_uses_the_same_index(db):
    area = Area(name="Testområde Norr", position=91)
    db.session.add(area)
    db.session.flush()
    make_company(area_id=area.id)

    plan = plan_of(company_select(CompanyFilter(area_id=area.id)).limit(26))

    assert INDEX in plan, plan
