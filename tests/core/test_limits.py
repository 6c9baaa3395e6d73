"""Length limits on free text: every form text field has one, and every write is checked before
the flush, so the CLI or a service call cannot store a 3 MB note either."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

from app.core.errors import ValidationError
from app.core.limits import TEXT_MAX_LENGTH
from app.interactions.models import Interaction
from tests.builders.companies import make_company
from tests.builders.interactions import interaction_input, make_interaction


def _form_classes(app) -> list[type]:
    found, pending = [], list(FlaskForm.__subclasses__())
    while pending:
        form = pending.pop()
        found.append(form)
        pending.extend(form.__subclasses__())
    return [f for f in found if f.__module__.startswith("app.")]


def test_every_text_field_of_every_form_has_a_length_limit(app):
    fields = 0
    for form in _form_classes(app):
        for name, value in vars(form).items():
            if not isinstance(value, UnboundField):
                continue
            if not issubclass(value.field_class, StringField) or issubclass(value.field_class, HiddenField):
                continue
            fields += 1
            limits = [v for v in value.kwargs.get("validators", ()) if isinstance(v, Length)]
            assert limits, f"{form.__name__}.{name} has no Length validator"
            assert 0 < limits[0].max <= TEXT_MAX_LENGTH
    assert fields > 60


def test_a_too_long_note_is_refused_in_the_form_with_a_swedish_message(db, users, lots_client):
    company = make_company("Långa Anteckningar AB")
    db.session.commit()
    page = lots_client.get(f"/kontakter/ny?company_id={company.id}")
    assert page.status_code == 200
    response = lots_client.post(
        f"/kontakter/ny?company_id={company.id}",
        data={
            "kind": "phone_call",
            "company_id": str(company.id),
            "subject": "Långt",
            "notes": "x" * (TEXT_MAX_LENGTH + 1),
            "occurred_on": "2026-03-02",
            "occurred_time": "09:00",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Texten är för lång: högst 20 000 tecken." in html
    assert db.session.scalar(sa.select(sa.func.count(Interaction.id))) == 0


def test_a_too_long_note_is_refused_by_the_service_too(db, users):
    """The API/CLI path: no form in front, the flush refuses it with the field's name."""
    from app.interactions import services

    company = make_company("Tjänstelagret AB")
    db.session.commit()
    with pytest.raises(ValidationError) as refused:
        services.log_contact(interaction_input(company, notes="å" * (3 * 1024 * 1024)), actor=users["lots"])
    assert refused.value.field == "notes"
    assert refused.value.message == "Texten är för lång: högst 20 000 tecken."
    db.session.rollback()
    ok = make_interaction(company, users["lots"], notes="å" * TEXT_MAX_LENGTH)
    assert len(ok.notes) == TEXT_MAX_LENGTH


def test_a_too_long_short_field_is_refused_with_its_column_length(db, users):
    from app.core.limits import column_limit
    from app.interactions import services

    company = make_company("Kort Ämne AB")
    limit = column_limit(Interaction.__table__.c.subject)
    assert limit is not None
    assert limit < TEXT_MAX_LENGTH
    with pytest.raises(ValidationError) as refused:
        services.log_contact(interaction_input(company, subject="x" * (limit + 1)), actor=users["lots"])
    assert refused.value.field == "subject"
