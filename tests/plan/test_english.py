"""The plan package (app/plan: handlingsplan and indicators) in English ("In English": `/sprak`
lang=en): flash messages after real actions, form labels and choices, service and validation
errors and the label dicts follow the reader's language; in Swedish they are unchanged. (The plan
tests live here, with the report world of tests/reports/dataset.py.)"""

from __future__ import annotations

import sqlalchemy as sa

from app.plan.action_plan import RESPONSIBLE_KINDS, ActionPlanActivity, ActivityStatus
from app.plan.indicators import Indicator
from tests.pages import rendered


def _english(client):
    client.post("/sprak", data={"lang": "en", "next": "/"})
    return client


def _activity(dataset) -> dict:
    return {
        "focus_area_id": dataset.fa1.id,
        "title": "Företagsfrukost",
        "responsible_kind": next(iter(RESPONSIBLE_KINDS)),  # the committee (nämnd)
        "responsible_name": "Näringslivskontoret",
        "status": ActivityStatus.PLANNED.value,
    }


def test_the_activity_form_and_its_flash_in_english(db, dataset, login_as):
    lots = _english(login_as("lots"))
    form = rendered(lots.get("/strategi/handlingsplan/ny"), heading="")
    assert "Responsible committee, municipal company or function" in form  # a form label
    assert ">Committee</option>" in form  # RESPONSIBLE_KINDS, a label dict
    assert "Ansvarig nämnd" not in form
    assert ">Nämnd</option>" not in form
    # A required field left empty: the form's validation message.
    invalid = lots.post("/strategi/handlingsplan/ny", data={**_activity(dataset), "responsible_name": ""})
    assert "Enter who is responsible." in invalid.get_data(as_text=True)
    assert "Ange vem som ansvarar." not in invalid.get_data(as_text=True)
    created = lots.post("/strategi/handlingsplan/ny", data=_activity(dataset), follow_redirects=True)
    page = created.get_data(as_text=True)
    assert "The activity has been added to the action plan." in page
    assert "Aktiviteten är tillagd" not in page
    assert "Committee: Näringslivskontoret" in page  # responsible_label
    activity = db.session.scalar(sa.select(ActionPlanActivity))
    # A service error: linking a case that does not exist.
    linked = lots.post(
        f"/strategi/handlingsplan/{activity.id}/kopplingar",
        data={"kind": "case", "record_id": "999999"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "There is no business case with number 999999." in linked
    assert "Det finns ingen" not in linked


def test_the_activity_in_swedish_is_unchanged(db, dataset, login_as):
    lots = login_as("lots")
    form = lots.get("/strategi/handlingsplan/ny").get_data(as_text=True)
    assert "Ansvarig nämnd, bolag eller funktion" in form
    assert ">Nämnd</option>" in form
    page = lots.post("/strategi/handlingsplan/ny", data=_activity(dataset), follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Aktiviteten är tillagd i handlingsplanen." in text
    assert "Nämnd: Näringslivskontoret" in text
    assert "The activity" not in text
    activity = db.session.scalar(sa.select(ActionPlanActivity))
    linked = lots.post(
        f"/strategi/handlingsplan/{activity.id}/kopplingar",
        data={"kind": "case", "record_id": "999999"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Det finns inget lotsärende med nummer 999999." in linked


def test_indicators_in_english(db, login_as):
    admin = _english(login_as("admin"))
    overview = admin.get("/strategi/indikatorer").get_data(as_text=True)
    assert "SKR Insikt – Customer Satisfaction Index (NKI)" in overview  # GROUPS
    assert "Other indicators" in overview
    assert "Övriga indikatorer" not in overview
    assert "indicators (targets and results)" in admin.get("/admin/").get_data(as_text=True)  # admin link
    new = admin.get("/strategi/indikatorer/ny").get_data(as_text=True)
    assert "Kind of value" in new  # a form label
    assert "Rating 1–6" in new  # KIND_LABELS
    assert "Moving average over two years" in new
    assert "Typ av värde" not in new
    indicator = db.session.scalar(sa.select(Indicator).where(Indicator.key == "nya_foretag"))
    bad = admin.post(f"/strategi/indikatorer/{indicator.id}/varden", data={"year": "2022", "value": "1.5"})
    assert bad.status_code == 400
    assert "The value must be a whole number." in bad.get_data(as_text=True)  # a service error
    assert "heltal" not in bad.get_data(as_text=True)
    saved = admin.post(
        f"/strategi/indikatorer/{indicator.id}/varden",
        data={"year": "2021", "value": "320"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "The value for 2021 has been saved." in saved
    assert "Värdet för 2021" not in saved


def test_indicators_in_swedish_are_unchanged(db, login_as):
    admin = login_as("admin")
    overview = admin.get("/strategi/indikatorer").get_data(as_text=True)
    assert "SKR Insikt – Nöjd Kund Index (NKI)" in overview
    assert "Customer Satisfaction" not in overview
    indicator = db.session.scalar(sa.select(Indicator).where(Indicator.key == "nya_foretag"))
    bad = admin.post(f"/strategi/indikatorer/{indicator.id}/varden", data={"year": "2022", "value": "1.5"})
    assert "Värdet måste vara ett heltal." in bad.get_data(as_text=True)
    saved = admin.post(
        f"/strategi/indikatorer/{indicator.id}/varden",
        data={"year": "2021", "value": "320"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Värdet för 2021 är sparat." in saved
