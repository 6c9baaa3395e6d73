"""The request boundary (`app.core.web.submit`): one place commits, rolls back and shows a
service's refusal. Each case checks the database afterwards, not only the response: a commit
survives a later rollback, a rolled-back row does not."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from app.catalogues.models import ReferralPartner
from app.core.errors import PermissionDenied, ValidationError
from app.core.forms import VersionedForm
from app.core.web import render_committed, submit
from app.extensions import db as _db


class PartnerForm(FlaskForm):
    name = StringField("Namn", validators=[DataRequired(message="Ange ett namn.")])

    class Meta:
        csrf = False


def _add(name: str) -> ReferralPartner:
    partner = ReferralPartner(name=name)
    _db.session.add(partner)
    _db.session.flush()
    return partner


def _names() -> list[str]:
    _db.session.rollback()  # whatever was not committed is gone now
    return list(
        _db.session.scalars(
            sa.select(ReferralPartner.name)
            .where(ReferralPartner.name.like("Prov%"))
            .order_by(ReferralPartner.name)
        )
    )


def _half_written() -> int:
    """Rows the refused service wrote, as this session sees them (before any rollback of ours)."""
    return _db.session.scalar(sa.select(sa.func.count()).where(ReferralPartner.name == "Prov halvvägs"))


def _refuse(exc: Exception):
    def call():
        _add("Prov halvvägs")  # written before the refusal: must not survive it
        raise exc

    return call


def test_success_commits_then_flashes_and_redirects_to_the_result(app, db):
    with app.test_request_context("/p", method="POST", data={"name": "Prov Almi"}):
        form = PartnerForm()
        response = submit(
            form,
            lambda: _add(form.name.data),
            success=lambda p: f"{p.name} är sparad.",
            redirect_to=lambda p: f"/partner/{p.id}",
        )
        assert response is not None
        assert response.status_code == 302
        partner_id = _db.session.scalar(
            sa.select(ReferralPartner.id).where(ReferralPartner.name == "Prov Almi")
        )
        assert response.location == f"/partner/{partner_id}"
        assert get_flashed_messages(with_categories=True) == [("success", "Prov Almi är sparad.")]
    assert "Prov Almi" in _names()


def test_a_refusal_naming_a_field_rolls_back_and_lands_on_that_field(app, db):
    with app.test_request_context("/p", method="POST", data={"name": "Prov Almi"}):
        form = PartnerForm()
        response = submit(
            form, _refuse(ValidationError("Namnet finns redan.", field="name")), redirect_to="/x"
        )
        assert response is None
        assert form.name.errors == ["Namnet finns redan."]
        assert get_flashed_messages() == []
        assert _half_written() == 0
    assert _names() == []


def test_a_refusal_without_a_field_is_a_form_level_error(app, db):
    with app.test_request_context("/p", method="POST", data={"name": "Prov Almi"}):
        form = PartnerForm()
        assert submit(form, _refuse(ValidationError("Stängt för ändringar.")), redirect_to="/x") is None
        assert form.form_errors == ["Stängt för ändringar."]
        assert _half_written() == 0
    assert _names() == []


def test_with_errors_to_a_refusal_is_flashed_and_redirected_there(app, db):
    with app.test_request_context("/p", method="POST", data={"name": "Prov Almi"}):
        response = submit(
            PartnerForm(),
            _refuse(ValidationError("Namnet finns redan.", field="name")),
            redirect_to="/klar",
            errors_to="/tillbaka",
        )
        assert response is not None
        assert response.location == "/tillbaka"
        assert get_flashed_messages(with_categories=True) == [("error", "Namnet finns redan.")]
        assert _half_written() == 0
    assert _names() == []


def test_an_invalid_form_never_reaches_the_service(app, db):
    called = []
    with app.test_request_context("/p", method="POST", data={"name": ""}):
        form = PartnerForm()
        assert submit(form, lambda: called.append(1), redirect_to="/x") is None
        assert form.name.errors == ["Ange ett namn."]
    with app.test_request_context("/p", method="POST", data={"name": ""}):
        response = submit(PartnerForm(), lambda: called.append(1), redirect_to="/x", errors_to="/tillbaka")
        assert response is not None
        assert response.location == "/tillbaka"
        assert get_flashed_messages(with_categories=True) == [("error", "Ange ett namn.")]
    with app.test_request_context("/p", method="GET"):
        assert submit(PartnerForm(), lambda: called.append(1), redirect_to="/x") is None
    assert called == []


def test_not_allowed_goes_on_to_the_global_handler_after_the_rollback(app, db):
    with app.test_request_context("/p", method="POST", data={"name": "Prov Almi"}):
        with pytest.raises(PermissionDenied):
            submit(PartnerForm(), _refuse(PermissionDenied("Nej.")), redirect_to="/x", errors_to="/tillbaka")
        assert get_flashed_messages() == []
        assert _half_written() == 0
    assert _names() == []


def test_a_second_post_of_the_same_form_shows_what_the_first_saved(app, db):
    _add("Prov Almi")
    _db.session.commit()
    with app.test_request_context("/p", method="POST", data={"name": "Prov Almi"}):
        response = submit(
            PartnerForm(),
            lambda: _add("Prov Almi"),  # the unique name plays the form token: the commit fails
            success=lambda p: f"{p.name} är sparad.",
            redirect_to=lambda p: f"/partner/{p.id}",
            already_saved=lambda: _db.session.scalar(
                sa.select(ReferralPartner).where(ReferralPartner.name == "Prov Almi")
            ),
        )
        first = _db.session.scalar(sa.select(ReferralPartner.id).where(ReferralPartner.name == "Prov Almi"))
        assert response is not None
        assert response.location == f"/partner/{first}"
        assert get_flashed_messages(with_categories=True) == [("success", "Prov Almi är sparad.")]
    assert _names() == ["Prov Almi"]


def test_without_already_saved_a_failed_commit_is_not_hidden(app, db):
    _add("Prov Almi")
    _db.session.commit()
    with app.test_request_context("/p", method="POST", data={"name": "Prov Almi"}):
        with pytest.raises(sa.exc.IntegrityError):
            submit(PartnerForm(), lambda: _add("Prov Almi"), success="Sparad.", redirect_to="/x")
        assert get_flashed_messages() == []


def test_render_committed_stores_what_the_page_read(app, db):
    with app.test_request_context("/p"):
        _add("Prov IUC")
        html = render_committed("errors/error.html", status=404, title="Sidan finns inte", message="x")
        assert "Sidan finns inte" in html
    assert _names() == ["Prov IUC"]


@pytest.mark.parametrize(("sent", "expected"), [("7", 7), ("", None), ("sju", None)])
def test_versioned_form_reads_the_version_the_user_saw(app, sent, expected):
    with app.test_request_context("/p", method="POST", data={"version": sent}):
        form = VersionedForm(meta={"csrf": False})
        assert form.expected_version == expected
