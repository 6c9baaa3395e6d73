"""app.core.forms.FilterForm: a list's filter validates only what the user submitted, an empty
value means "no filter", and a value that cannot be used is named in Swedish while the list is
shown without it."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from app.core.forms import FilterForm, options
from tests.builders.companies import make_company
from tests.builders.interactions import make_interaction


class _Filters(FilterForm):
    status = SelectField("Status", choices=options([("", "Alla"), ("active", "Aktiv")]))
    number = SelectField("Nummer", coerce=int, choices=options([(1, "Ett"), (2, "Två")]))
    day = DateField("Dag", validators=[Optional()])


def test_nothing_submitted_validates_clean(app):
    with app.test_request_context():
        form = _Filters(MultiDict())
        assert form.validate()
        assert form.errors == {}
        assert form.status.data is None
        assert form.number.data is None


def test_an_empty_value_means_no_filter(app):
    with app.test_request_context():
        form = _Filters(MultiDict({"status": "", "number": "", "day": " "}))
        assert form.validate()
        assert form.errors == {}


def test_a_submitted_invalid_value_is_named_and_dropped(app):
    with app.test_request_context():
        form = _Filters(MultiDict({"status": "nonsense", "number": "7", "day": "igår"}))
        assert not form.validate()
        assert form.status.errors == ["Välj ett av alternativen i listan. Listan visas utan det här filtret."]
        assert form.number.errors == form.status.errors
        assert form.day.errors  # WTForms' own date message
        assert (form.status.data, form.number.data, form.day.data) == (None, None, None)


def test_a_submitted_valid_value_filters(app):
    with app.test_request_context():
        form = _Filters(MultiDict({"status": "active", "number": "2", "day": "2026-03-01"}))
        assert form.validate()
        assert (form.status.data, form.number.data, form.day.data.isoformat()) == ("active", 2, "2026-03-01")


def test_company_list_opens_clean_and_names_a_bad_filter(db, lots_client):
    make_company("Filtrerade Verkstaden AB")
    db.session.commit()
    clean = lots_client.get("/foretag").get_data(as_text=True)
    assert "Filtrerade Verkstaden AB" in clean
    assert "field--error" not in clean
    assert "Inte ett giltigt val" not in clean

    html = lots_client.get("/foretag?sni_version=1999&status=borta").get_data(as_text=True)
    assert html.count("Välj ett av alternativen i listan. Listan visas utan det här filtret.") == 2
    assert "Filtrerade Verkstaden AB" in html  # the list is shown, without the unusable filters


def test_contact_list_drill_down_link_opens_clean(db, lots_client, users):
    company = make_company("Hänvisade Bageriet AB")
    make_interaction(company, users["lots"], subject="Samtal om lokal")
    db.session.commit()
    html = lots_client.get("/kontakter?date_from=2020-01-01&date_to=2099-12-31").get_data(as_text=True)
    assert "Samtal om lokal" in html
    assert "field--error" not in html
    assert "Inte ett giltigt val" not in html

    html = lots_client.get("/kontakter?kind=brevduva").get_data(as_text=True)
    assert "Välj ett av alternativen i listan. Listan visas utan det här filtret." in html
    assert "Samtal om lokal" in html


WARNING = "finns inte bland valen. Listan visas utan det filtret."


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/arenden?status=nonsens", "Status: ”nonsens” " + WARNING),
        ("/arenden?vy=nonsens", "Visa: ”nonsens” " + WARNING),
        ("/arenden?typ=bygg", "Ärendetyp: ”bygg” " + WARNING),
        ("/uppfoljningar?period=igår", "När: ”igår” " + WARNING),
        ("/uppfoljningar?status=nonsens", "Status: ”nonsens” " + WARNING),
        ("/besok?visa=nonsens", "Visa: ”nonsens” " + WARNING),
    ],
)
def test_hand_written_filters_name_an_unusable_value_and_open_clean(db, lots_client, path, shown):
    bare = path.split("?")[0]
    assert WARNING not in lots_client.get(bare).get_data(as_text=True)
    assert WARNING not in lots_client.get(f"{path.split('=')[0]}=").get_data(as_text=True)  # empty: no filter
    response = lots_client.get(path)
    assert response.status_code == 200
    assert shown in response.get_data(as_text=True)
    assert WARNING not in lots_client.get(bare).get_data(as_text=True)  # told once, on that page
