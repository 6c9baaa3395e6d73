"""Contact-log screens: quick logging from the company page, one contact per form token,
restricted contacts on lists and pages, the company picker, export, catalogue admin."""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.catalogues.models import PermitType, ReferralPartner
from app.core.time import local_today, utcnow
from app.interactions.inputs import PermitGuidanceInput
from app.interactions.models import Interaction, PermitGuidance
from tests.builders.companies import SOLE_TRADER, make_company, make_contact_person
from tests.builders.interactions import make_interaction
from tests.builders.strategy import focus_areas
from tests.pages import rendered, served

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the results depend on today's date


def _form_fields(html: str) -> dict[str, str]:
    """What a browser would submit from the page's forms (checked boxes only; first value wins)."""
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or (re.search(r'type="(checkbox|radio)"', tag) and " checked" not in tag):
            continue
        fields.setdefault(name.group(1), value.group(1) if value else "")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        # As a browser does: the selected option, else the first one.
        selected = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', body)
        first = re.search(r'<option[^>]*value="([^"]*)"', body)
        if selected:
            fields[name] = selected.group(1) or selected.group(2) or ""
        elif first:
            fields[name] = first.group(1)
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        fields.setdefault(name, body.strip())
    return fields


def test_quick_logging_form_has_the_defaults_and_the_openness_line(db, users, lots_client):
    company = make_company("Snabba Samtal AB")
    area = focus_areas()[2]
    make_interaction(company, users["lots"], focus_area_id=area.id)
    db.session.commit()
    html = rendered(lots_client.get(f"/kontakter/ny?company_id={company.id}"), heading="Logga kontakt")
    fields = _form_fields(html)
    assert fields["kind"] == "phone_call"
    # Issue 15: the company's last focus area is suggested (marked), never checked for the user.
    assert "focus_area_id" not in fields
    suggested = re.search(r'<div class="radio radio--suggested">(.*?)</div>', html, re.S).group(1)
    assert f'value="{area.id}"' in suggested
    assert "Förslag" in suggested
    assert "checked" not in suggested
    assert html.count("radio--suggested") == 1
    assert re.search(r'<input[^>]*autofocus[^>]*id="subject"|<input[^>]*id="subject"[^>]*autofocus', html)
    assert fields["occurred_on"] == local_today().isoformat()
    assert re.fullmatch(r"\d\d:\d\d", fields["occurred_time"])
    assert fields["participant_ids"] == str(users["lots"].id)  # me, checked
    assert "Anteckningar är allmänna handlingar och kan lämnas ut efter sekretessprövning" in html
    assert "omfattas inte" not in html
    assert "hemlig" not in html.lower()
    assert len(fields["form_token"]) == 32


def test_a_double_submitted_contact_form_creates_one_contact(db, users, lots_client):
    company = make_company("Dubbelklick AB")
    db.session.commit()
    html = lots_client.get(f"/kontakter/ny?company_id={company.id}").get_data(as_text=True)
    data = _form_fields(html)
    data.update(
        {
            "subject": "Ringde om bygglov",
            "notes": "Vill bygga ut lagret.",
            "focus_area_id": str(focus_areas()[0].id),
            "participant_ids": str(users["lots"].id),
        }
    )
    first = lots_client.post("/kontakter/ny", data=data)
    second = lots_client.post("/kontakter/ny", data=data)
    assert first.status_code == second.status_code == 302
    # Back on the company page at the saved contact (issue 15: not 2 850 px down the page).
    assert re.search(rf"/foretag/{company.id}#kontakt-\d+$", first.location)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Interaction)) == 1
    page = lots_client.get(first.location).get_data(as_text=True)
    assert "Telefonsamtal: Ringde om bygglov" in page  # on the company timeline


def test_missing_focus_area_shows_the_swedish_error(db, users, lots_client):
    company = make_company()
    make_interaction(company, users["lots"], focus_area_id=focus_areas()[1].id)  # a suggestion exists
    db.session.commit()
    data = _form_fields(lots_client.get(f"/kontakter/ny?company_id={company.id}").get_data(as_text=True))
    assert "focus_area_id" not in data  # the suggestion is not submitted: nothing is checked
    data.update({"subject": "Utan fokus", "notes": "Anteckningen finns kvar."})
    response = lots_client.post("/kontakter/ny", data=data)
    html = rendered(response, heading="Logga kontakt")
    assert "Välj ett fokusområde. Varje kontakt räknas till ett av strategins fokusområden." in html
    assert 'id="focus_area_id-error"' in html
    # Nothing typed is lost, and still nothing is checked for the user.
    assert 'value="Utan fokus"' in html
    assert "Anteckningen finns kvar." in html
    assert "focus_area_id" not in _form_fields(html)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Interaction)) == 1


def test_the_form_names_its_company_with_the_shared_picker_and_works_without_javascript(
    db, users, lots_client
):
    """Issue 15 §2: the contact form's company field is the one company picker
    (_macros/company_picker.html): without JavaScript "Sök företag" shows the matches as
    choices under the field, keeps what was typed and saves nothing; the chosen company's
    contact persons follow; then the contact is logged for it."""
    glass = make_company("Kupolens Glass AB")
    make_contact_person(glass, "Greta Glas")
    make_company("Kupolens Kök AB")
    db.session.commit()
    empty = rendered(lots_client.get("/kontakter/ny"), heading="Logga kontakt")
    assert "data-company-field" in empty
    assert "js/companypick.js" in empty
    assert re.search(r'<input type="text" id="company-q" name="company"[^>]*autofocus', empty)
    assert not re.search(r'id="subject"[^>]*autofocus', empty)  # the company first
    data = _form_fields(empty)
    # A complete contact: only "Sök företag" (company_search) keeps it from being saved.
    data.update(
        {
            "company": "kupolens",
            "company_search": "1",
            "subject": "Ringde om glas",
            "focus_area_id": str(focus_areas()[0].id),
        }
    )
    html = rendered(lots_client.post("/kontakter/ny", data=data), heading="Logga kontakt")
    choices = html.split("data-company-choices")[1].split("</fieldset>")[0]
    assert f'type="radio" name="company_id" value="{glass.id}"' in choices
    assert "Kupolens Kök AB" in choices
    assert 'value="Ringde om glas"' in html  # nothing typed is lost
    assert "Greta Glas" not in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Interaction)) == 0
    # The radio chosen and "Sök företag" again: the form for that company, its contact persons.
    data.update({"company_id": str(glass.id)})
    html = rendered(lots_client.post("/kontakter/ny", data=data), heading="Logga kontakt")
    assert "data-company-choices" not in html
    assert f'value="{glass.id}" data-company-value' in html
    assert "Greta Glas" in html
    assert 'value="Ringde om glas"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Interaction)) == 0
    # Saved (the save button, not "Sök företag").
    data.pop("company_search")
    data.update({"company": glass.name})
    response = lots_client.post("/kontakter/ny", data=data)
    assert response.status_code == 302
    saved = db.session.scalar(sa.select(Interaction))
    assert (saved.company_id, saved.subject) == (glass.id, "Ringde om glas")
    # A search in the link (as the header's search box would send it) shows the choices, no error.
    html = lots_client.get("/kontakter/ny?q=kupolens").get_data(as_text=True)
    assert html.count('type="radio" name="company_id"') == 2
    assert "Välj ett av företagen" not in html


def test_a_typed_name_that_matches_nothing_is_said_and_nytt_foretag_keeps_the_form(db, users, lots_client):
    """A company that is not in the register: the picker says so; "Nytt företag" opens the company
    form with the typed name and returns here with the new company and what was typed."""
    db.session.commit()
    data = _form_fields(lots_client.get("/kontakter/ny").get_data(as_text=True))
    data.update(
        {
            "company": "Zqnya Kupolen AB",
            "subject": "Första samtalet",
            "focus_area_id": str(focus_areas()[1].id),
        }
    )
    html = rendered(lots_client.post("/kontakter/ny", data=data), heading="Logga kontakt")
    assert "Inga företag matchar ”Zqnya Kupolen AB”" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Interaction)) == 0
    data["company_new"] = "1"
    response = lots_client.post("/kontakter/ny", data=data)
    assert response.status_code == 302
    assert "/foretag/nytt?name=Zqnya+Kupolen+AB&next=" in response.location
    company = make_company("Zqnya Kupolen AB")
    db.session.commit()
    # The company form returns to `next` with the new company chosen (app.companies.picker).
    from urllib.parse import parse_qs, urlsplit

    from app.companies.picker import with_company

    back = with_company(parse_qs(urlsplit(response.location).query)["next"][0], company.id)
    html = rendered(lots_client.get(back), heading="Logga kontakt")
    assert f'value="{company.id}" data-company-value' in html
    assert 'value="Första samtalet"' in html
    assert re.search(r'id="subject"[^>]*autofocus|autofocus[^>]*id="subject"', html)
    assert "company_new" not in back
    assert "csrf_token" not in back


def test_restricted_contact_on_lists_and_pages(db, users, login_as):
    company = make_company("Tysta Bolaget AB")
    interaction = make_interaction(
        company,
        users["lots"],
        is_restricted=True,
        subject="Lokalsökning 40 000 kvm",
        notes="Konfidentiell plats",
    )
    db.session.commit()
    for role in ("ledning", "chef"):
        client = login_as(role)
        listing = rendered(client.get("/kontakter"), heading="Kontakter")
        assert "Kontakt med begränsad åtkomst" in listing
        assert "40 000" not in listing
        page = rendered(
            client.get(f"/kontakter/{interaction.id}"), heading="Telefonsamtal: Kontakt med begränsad åtkomst"
        )
        assert "Konfidentiell" not in page
        assert "40 000" not in page
        timeline = rendered(
            client.get(f"/foretag/{company.id}"),
            heading="Tysta Bolaget AB",
            marker="Kontakt med begränsad åtkomst",
        )
        assert "Konfidentiell" not in timeline
        assert "40 000" not in timeline
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "view")
        )
        == 0
    )

    page = rendered(
        login_as("lots").get(f"/kontakter/{interaction.id}"), heading="Telefonsamtal: Lokalsökning 40 000 kvm"
    )
    assert "Konfidentiell plats" in page
    assert "Din läsning är loggad." in page
    views = list(
        db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "view", AuditEvent.entity_type == "interactions")
        )
    )
    assert [(v.entity_id, v.actor_id) for v in views] == [(interaction.id, users["lots"].id)]


def test_export_is_neutralised_and_masks_personal_numbers_and_restricted_content(db, users, login_as):
    sole = make_company("Anna Svensson Hårvård", orgnr=SOLE_TRADER)
    make_interaction(sole, users["lots"], subject='=HYPERLINK("http://evil")', notes="+46 70 123 45 67")
    make_interaction(sole, users["lots"], subject="Hemligt", notes="Konfidentiellt", is_restricted=True)
    db.session.commit()
    text = served(
        login_as("chef").get("/kontakter/export.csv"), mimetype="text/csv", marker="Datum;Tid;Typ;Företag"
    )
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, *data = rows
    assert header[:4] == ["Datum", "Tid", "Typ", "Företag"]
    by_subject = {r[5]: r for r in data}
    assert '\'=HYPERLINK("http://evil")' in by_subject
    assert by_subject['\'=HYPERLINK("http://evil")'][6] == "'+46 70 123 45 67"
    assert len(data) == 2
    assert "Hemligt" not in by_subject
    assert by_subject["Kontakt med begränsad åtkomst"][6] == ""
    assert all(SOLE_TRADER not in ";".join(r) and SOLE_TRADER[6:] not in r[4] for r in data)
    xlsx = login_as("chef").get("/kontakter/export.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.data[:2] == b"PK"
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "export")
        )
        == 2
    )


def test_edit_delete_and_referral_through_the_screens(db, users, lots_client):
    company = make_company()
    interaction = make_interaction(company, users["lots"])
    db.session.commit()
    data = _form_fields(lots_client.get(f"/kontakter/{interaction.id}/andra").get_data(as_text=True))
    data.update({"subject": "Nytt ämne", "participant_ids": str(users["lots"].id)})
    response = lots_client.post(f"/kontakter/{interaction.id}/andra", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Interaction, interaction.id).subject == "Nytt ämne"

    partner = db.session.scalar(sa.select(ReferralPartner).order_by(ReferralPartner.id))
    lots_client.post(
        f"/kontakter/{interaction.id}/hanvisningar", data={"partner_id": partner.id, "reason": "Finansiering"}
    )
    page = lots_client.get(f"/kontakter/{interaction.id}").get_data(as_text=True)
    assert partner.name in page
    assert "Fyll i utfall" in page

    stale = lots_client.post(f"/kontakter/{interaction.id}/ta-bort", data={"version": "1"})
    assert stale.status_code == 302
    assert db.session.get(Interaction, interaction.id).deleted_at is None
    db.session.expire_all()
    version = db.session.get(Interaction, interaction.id).version
    done = lots_client.post(f"/kontakter/{interaction.id}/ta-bort", data={"version": str(version)})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Interaction, interaction.id).deleted_at is not None
    assert lots_client.get(f"/kontakter/{interaction.id}").status_code == 404


def test_admin_maintains_the_catalogues(db, users, admin_client):
    listing = admin_client.get("/admin/tillstandstyper").get_data(as_text=True)
    assert "Bygglov" in listing
    assert "10 veckor enligt PBL:s treveckorsregel" in listing
    assert "4 månader från komplett ansökan" in listing  # tobak: LTLP, not PBL
    response = admin_client.post(
        "/admin/tillstandstyper/ny",
        data={
            "code": "schaktning",
            "name": "Schakttillstånd",
            "statutory_time_value": "3",
            "statutory_time_unit": "weeks",
            "clock_starts": "submitted",
            "lead_time_weeks": "2",
            "is_skr_insikt_area": "y",
            "extension_unit": "",
        },
    )
    assert response.status_code == 302
    permit = db.session.scalar(sa.select(PermitType).where(PermitType.code == "schaktning"))
    assert permit.statutory_time_text == "3 veckor från inlämnad ansökan"
    assert permit.is_skr_insikt_area
    bad = admin_client.post(
        "/admin/tillstandstyper/ny",
        data={
            "code": "x",
            "name": "Y",
            "statutory_time_value": "3",
            "clock_starts": "complete",
            "statutory_time_unit": "",
            "extension_unit": "",
        },
    )
    assert "Ange både antal och enhet" in bad.get_data(as_text=True)
    admin_client.post(f"/admin/tillstandstyper/{permit.id}/avsluta")
    db.session.expire_all()
    assert db.session.get(PermitType, permit.id).is_retired

    response = admin_client.post(
        "/admin/partner/ny", data={"name": "Borlänge Energi", "website": "https://example.se"}
    )
    assert response.status_code == 302
    assert "Borlänge Energi" in admin_client.get("/admin/partner").get_data(as_text=True)
    assert "Tillståndstyper" in admin_client.get("/admin/").get_data(as_text=True)


def test_new_contact_from_a_case_page_is_prefilled_with_the_case(lots_client, db, users):
    from tests.builders.cases import make_case_row

    company = make_company("Ärendekopplat AB")
    lots, area, day = users["lots"], focus_areas()[0], local_today()
    case = make_case_row(company, lots, day, area, title="Ny lagerlokal")
    make_case_row(company, lots, day, area, title="Gammalt ärende", closed_at=utcnow())
    other = make_case_row(make_company("Annat Bolag AB"), lots, day, area, title="Inte detta")
    db.session.commit()
    html = lots_client.get(f"/kontakter/ny?company_id={company.id}&case_id={case.id}").get_data(as_text=True)
    # The company's open cases to pick from, without knowing a number; the case page's one chosen
    # and "Fler uppgifter" open to show it.
    assert _form_fields(html)["case_id"] == str(case.id)
    assert f"Ny lagerlokal (nr {case.id})" in html
    assert "Gammalt ärende" not in html
    assert "Inte detta" not in html
    assert re.search(r'<details class="more-fields" open>', html)
    # Another company's case in the link is not offered (nor chosen).
    html = lots_client.get(f"/kontakter/ny?company_id={company.id}&case_id={other.id}").get_data(as_text=True)
    assert _form_fields(html)["case_id"] == ""


def _radio_values(html: str, name: str) -> list[str]:
    return [
        re.search(r'value="([^"]*)"', tag).group(1)
        for tag in re.findall(r"<input[^>]*>", html)
        if f'name="{name}"' in tag and 'type="radio"' in tag
    ]


def test_the_form_asks_how_and_separately_whether_it_concerned_permits(db, users, lots_client):
    from tests.builders.catalogues import permit_type

    company = make_company("Hur Och Vad AB")
    bygglov = permit_type("bygglov")
    db.session.commit()
    html = rendered(lots_client.get(f"/kontakter/ny?company_id={company.id}"), heading="Logga kontakt")
    # How: telefon, besök, möte, e-post, digitalt. What is not among them.
    assert _radio_values(html, "kind") == ["phone_call", "visit", "meeting", "email", "digital"]
    assert "Gällde tillstånd" in html
    # Follow-up choices name their date (the fixed clock: Wednesday 18 November 2026).
    assert "Om 2 veckor – ons 2 dec" in html
    data = _form_fields(html)
    data.update({"subject": "Bygglov", "focus_area_id": str(focus_areas()[0].id), "concerns_permits": "y"})

    # Ticked without a permit type: a clear error, nothing saved, the ticked box kept.
    response = lots_client.post("/kontakter/ny", data=data)
    html = rendered(response, heading="Logga kontakt")
    assert "Välj vilket tillstånd kontakten gällde" in html
    assert re.search(
        r'<input[^>]*checked[^>]*name="concerns_permits"|name="concerns_permits"[^>]*checked', html
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Interaction)) == 0

    data["permit_rows-0-permit_type_id"] = str(bygglov.id)
    data["permit_rows-0-guidance_given"] = "Förhandsbesked först."
    response = lots_client.post("/kontakter/ny", data=data)
    assert response.status_code == 302
    interaction = db.session.scalar(sa.select(Interaction).where(Interaction.company_id == company.id))
    assert response.headers["Location"].endswith(f"/foretag/{company.id}#kontakt-{interaction.id}")
    assert interaction.kind.value == "phone_call"
    guidance = db.session.scalars(
        sa.select(PermitGuidance).where(PermitGuidance.interaction_id == interaction.id)
    )
    assert [g.permit_type_id for g in guidance] == [bygglov.id]
    page = rendered(lots_client.get(f"/foretag/{company.id}"), heading="Hur Och Vad AB")
    assert f'id="kontakt-{interaction.id}"' in page


def test_an_old_permit_guidance_contact_keeps_its_kind_when_edited(db, users, lots_client):
    company = make_company("Gamla Typen AB")
    interaction = make_interaction(company, users["lots"], kind="permit_guidance")
    db.session.commit()
    html = rendered(lots_client.get(f"/kontakter/{interaction.id}/andra"), heading="Ändra kontakt")
    assert _radio_values(html, "kind")[-1] == "permit_guidance"
    assert _form_fields(html)["kind"] == "permit_guidance"
    assert "Tillståndsvägledning" in html
    assert _form_fields(html)["focus_area_id"] == str(interaction.focus_area_id)  # an edit keeps its area


def test_the_reports_keep_counting_contacts_that_concerned_permits(db, users, lots_client):
    """Since a permit call is a phone call with permit rows, "Kontakter per typ" alone no longer
    shows permit guidance: the figure "Kontakter som gällde tillstånd" does, whatever the kind,
    and drills down to exactly those contacts."""
    from app.reports.figures import Scope, build_report
    from app.reports.periods import month_period
    from tests.builders.catalogues import permit_type

    company = make_company("Rapportens Rör AB")
    bygglov = permit_type("bygglov")
    row = PermitGuidanceInput(bygglov.id)
    phone = make_interaction(
        company, users["lots"], subject="Samtal om bygglov", concerns_permits=True, permit_guidance=(row,)
    )
    old = make_interaction(company, users["lots"], kind="permit_guidance", subject="Gammal vägledning")
    make_interaction(company, users["lots"], subject="Bara ett samtal")
    db.session.commit()
    report = build_report(Scope(month_period(local_today().replace(day=1))), now=utcnow())
    figure = report.figure("contacts.permits")
    assert figure.label == "Kontakter som gällde tillstånd"
    assert figure.value == 2
    assert figure.drill.args["concerns_permits"] == "1"
    html = rendered(lots_client.get("/kontakter", query_string=figure.drill.args), heading="Kontakter")
    assert "Bara kontakter som gällde tillstånd" in html
    shown = set(re.findall(r'href="/kontakter/(\d+)"', html))
    assert shown == {str(phone.id), str(old.id)}
