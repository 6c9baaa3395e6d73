"""The user picker (app/auth/userpick.py): the search endpoint, resolving typed text without
JavaScript, keeping an inactive user already on a record, and pages that no longer grow with
the number of users."""

from __future__ import annotations

import html as html_lib
import re

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.core.permissions import Role
from app.interactions.models import Interaction
from tests.builders.companies import make_company
from tests.builders.interactions import make_interaction
from tests.builders.strategy import focus_areas
from tests.builders.users import make_user
from tests.interactions.test_views import _form_fields


@pytest.fixture
def people(db, users):
    made = {
        "asa": make_user(
            Role.LOTS, name="Åsa Öberg-Lindé", email="asa.oberg@kommun.example", department="Näringsliv"
        ),
        "anders": make_user(Role.LOTS, name="Anders Åkesson", email="anders.akesson@kommun.example"),
        "anna": make_user(Role.CHEF, name="Anna Berg", email="anna.berg@kommun.example"),
        "annika": make_user(Role.LEDNING, name="Annika Bergström", email="ab@kommun.example"),
        "gone": make_user(Role.LOTS, name="Gunnar Gammal", email="gunnar@kommun.example", is_active=False),
    }
    db.session.commit()
    return made


def _participant_ids(interaction_id: int) -> set[int]:
    from app.extensions import db

    db.session.expire_all()
    stmt = sa.select(User.id).join(Interaction.participants).where(Interaction.id == interaction_id)
    return set(db.session.scalars(stmt))


def _names(response) -> list[str]:
    assert response.mimetype == "application/json"
    return [r["name"] for r in response.get_json()]


def test_search_matches_name_parts_and_email_case_and_accent_insensitively(people, lots_client):
    assert _names(lots_client.get("/anvandare-sok?q=lInDe")) == ["Åsa Öberg-Lindé"]  # é folded, any case
    assert _names(lots_client.get("/anvandare-sok?q=ÅSA öb")) == ["Åsa Öberg-Lindé"]  # two word starts
    assert _names(lots_client.get("/anvandare-sok?q=asa.oberg@")) == ["Åsa Öberg-Lindé"]  # e-mail
    assert _names(lots_client.get("/anvandare-sok?q=ab@kommun")) == ["Annika Bergström"]
    # å is a letter of its own in Swedish: "aker" is not "Åkesson".
    assert _names(lots_client.get("/anvandare-sok?q=akes")) == ["Anders Åkesson"]  # the e-mail's part
    assert _names(lots_client.get("/anvandare-sok?q=Åkes")) == ["Anders Åkesson"]
    assert _names(lots_client.get("/anvandare-sok?q=berg")) == ["Anna Berg", "Annika Bergström"]  # not Öberg
    body = lots_client.get("/anvandare-sok?q=anna").get_json()
    assert body == [{"id": people["anna"].id, "name": "Anna Berg", "detail": "Näringslivskontoret"}]


def test_search_leaves_out_inactive_users_short_queries_and_other_pools(people, lots_client):
    assert _names(lots_client.get("/anvandare-sok?q=gunnar")) == []
    assert _names(lots_client.get("/anvandare-sok?q=a")) == []  # fewer than two characters
    assert _names(lots_client.get("/anvandare-sok?q=an&urval=ledning")) == ["Annika Bergström"]
    assert _names(lots_client.get("/anvandare-sok?q=an&urval=lots")) == ["Anders Åkesson"]
    assert lots_client.get("/anvandare-sok?q=ann&urval=nagot").status_code == 404


def test_search_is_limited_and_only_for_signed_in_users(db, users, client, lots_client, login_as):
    for n in range(15):
        make_user(Role.LOTS, name=f"Lisa Lång {n:02}")
    db.session.commit()
    assert len(_names(lots_client.get("/anvandare-sok?q=lisa"))) == 10
    anonymous = client.get("/anvandare-sok?q=lisa")
    assert anonymous.status_code == 302
    assert "/logga-in" in anonymous.headers["Location"]
    # Former users (the audit log's filter) only for those who read the audit log.
    assert lots_client.get("/anvandare-sok?q=lisa&urval=historik").status_code == 403
    assert len(_names(login_as("admin").get("/anvandare-sok?q=lisa&urval=historik"))) == 10


def _error_of(page: str, field_id: str) -> str:
    m = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    return html_lib.unescape(m.group(1)).strip() if m else ""


def _text_value(page: str, field_id: str) -> str:
    m = re.search(rf'<input type="text" id="{re.escape(field_id)}" name="[^"]+" value="([^"]*)"', page)
    assert m, field_id
    return html_lib.unescape(m.group(1))


def test_contact_list_filter_resolves_typed_text_without_javascript(db, people, users, login_as):
    company = make_company("Filtret AB")
    make_interaction(
        company, users["lots"], subject="Annas samtal", participant_ids=(users["lots"].id, people["anna"].id)
    )
    make_interaction(company, users["lots"], subject="Ett annat samtal")
    db.session.commit()
    chef = login_as("chef")

    one = chef.get("/kontakter?user_id-text=anna+berg").get_data(as_text=True)
    assert "Annas samtal" in one
    assert "Ett annat samtal" not in one
    assert _text_value(one, "user_id") == "Anna Berg"
    assert f'name="user_id" value="{people["anna"].id}"' in one
    assert _error_of(one, "user_id") == ""

    none = chef.get("/kontakter?user_id-text=Zlatan").get_data(as_text=True)
    assert _error_of(none, "user_id") == (
        "Ingen aktiv användare matchar ”Zlatan”. Skriv en del av namnet eller e-postadressen."
    )
    assert _text_value(none, "user_id") == "Zlatan"  # kept as typed
    assert "Annas samtal" in none
    assert "Ett annat samtal" in none

    several = chef.get("/kontakter?user_id-text=berg").get_data(as_text=True)
    assert _error_of(several, "user_id") == (
        "Flera matchar ”berg” (Anna Berg, Annika Bergström). Skriv mer av namnet eller hela e-postadressen."
    )
    assert _text_value(several, "user_id") == "berg"

    # A link with the id (the script's hidden value) still filters, also on a former user.
    by_id = chef.get(f"/kontakter?user_id={people['anna'].id}").get_data(as_text=True)
    assert "Annas samtal" in by_id
    assert "Ett annat samtal" not in by_id
    assert _text_value(by_id, "user_id") == "Anna Berg"


def test_participants_are_added_by_typed_names_and_kept_after_a_validation_error(
    db, people, users, lots_client
):
    company = make_company("Deltagarna AB")
    db.session.commit()
    page = lots_client.get(f"/kontakter/ny?company_id={company.id}").get_data(as_text=True)
    data = _form_fields(page)
    # A name that matches several users and one that matches one: the form comes back.
    data.update(
        {
            "subject": "Möte om lokaler",
            "focus_area_id": str(focus_areas()[0].id),
            "participant_ids-text": "berg, anders",
        }
    )
    again = lots_client.post("/kontakter/ny", data=data).get_data(as_text=True)
    assert _error_of(again, "participant_ids").startswith(
        "Flera matchar ”berg” (Anna Berg, Annika Bergström)."
    )
    assert _text_value(again, "participant_ids") == "berg"  # only the unresolved part is left
    for who in (users["lots"], people["anders"]):  # me (checked by default) and the one resolved
        assert re.search(
            rf'<input type="checkbox" name="participant_ids" value="{who.id}"[^>]* checked>', again
        )
        assert who.name in again
    assert db.session.query(Interaction).count() == 0

    data = _form_fields(again)
    data["participant_ids"] = [str(users["lots"].id), str(people["anders"].id)]
    data["participant_ids-text"] = "anna.berg@kommun.example"
    assert lots_client.post("/kontakter/ny", data=data).status_code == 302
    saved = db.session.query(Interaction).one()
    assert _participant_ids(saved.id) == {users["lots"].id, people["anders"].id, people["anna"].id}


def test_an_inactive_participant_stays_on_an_edited_contact_but_cannot_be_added(
    db, people, users, lots_client
):
    company = make_company("Gamla Gänget AB")
    gone = people["gone"]
    gone.is_active = True
    interaction = make_interaction(company, users["lots"], participant_ids=(users["lots"].id, gone.id))
    gone.is_active = False
    other = make_interaction(company, users["lots"], subject="Utan Gunnar")
    db.session.commit()

    page = lots_client.get(f"/kontakter/{interaction.id}/andra").get_data(as_text=True)
    assert re.search(rf'<input type="checkbox" name="participant_ids" value="{gone.id}"[^>]* checked>', page)
    assert (
        'Gunnar Gammal <span class="muted">(Näringslivskontoret)</span> <span class="muted">(inaktiv)</span>'
        in page
    )
    data = _form_fields(page)
    data["participant_ids"] = [str(users["lots"].id), str(gone.id)]
    data["subject"] = "Ändrat ämne"
    assert lots_client.post(f"/kontakter/{interaction.id}/andra", data=data).status_code == 302
    db.session.expire_all()
    edited = db.session.get(Interaction, interaction.id)
    assert edited.subject == "Ändrat ämne"
    assert _participant_ids(edited.id) == {users["lots"].id, gone.id}

    # On a contact that did not have him, the inactive user is refused (by id or by name).
    data = _form_fields(lots_client.get(f"/kontakter/{other.id}/andra").get_data(as_text=True))
    data["participant_ids"] = [str(users["lots"].id), str(gone.id)]
    refused = lots_client.post(f"/kontakter/{other.id}/andra", data=data).get_data(as_text=True)
    assert _error_of(refused, "participant_ids") == "Välj bara aktiva användare."
    data["participant_ids"] = [str(users["lots"].id)]
    data["participant_ids-text"] = "Gunnar"
    refused = lots_client.post(f"/kontakter/{other.id}/andra", data=data).get_data(as_text=True)
    assert _error_of(refused, "participant_ids") == (
        "Ingen aktiv användare matchar ”Gunnar”. Skriv en del av namnet eller e-postadressen."
    )
    assert _participant_ids(other.id) == set()  # both posts were refused


def test_a_single_user_field_resolves_or_explains(db, people, users, lots_client):
    """The follow-up's assignee (one user, pool: those who may hold follow-ups)."""
    page = lots_client.get("/uppfoljningar/ny").get_data(as_text=True)
    assert _text_value(page, "assignee_id") == users["lots"].name  # me by default
    data = _form_fields(page)
    data.update({"title": "Ring tillbaka", "due_on": "2030-01-15", "assignee_id-text": "Gunnar"})
    again = lots_client.post("/uppfoljningar/ny", data=data).get_data(as_text=True)
    assert _error_of(again, "assignee_id") == (
        "Ingen aktiv användare matchar ”Gunnar”. Skriv en del av namnet eller e-postadressen."
    )
    assert _text_value(again, "assignee_id") == "Gunnar"
    data["assignee_id-text"] = "åsa"
    assert lots_client.post("/uppfoljningar/ny", data=data).status_code == 302
    from app.followups.models import FollowUp

    assert db.session.query(FollowUp).one().assignee_id == people["asa"].id


def _pages(lots_client, ledning_client, company_id: int, contact_id: int) -> dict[str, str]:
    return {
        "kontaktlistan": lots_client.get("/kontakter").get_data(as_text=True),
        "kontaktformuläret": lots_client.get(f"/kontakter/ny?company_id={company_id}").get_data(as_text=True),
        "ändra kontakt": lots_client.get(f"/kontakter/{contact_id}/andra").get_data(as_text=True),
        "ärendelistan": lots_client.get("/arenden").get_data(as_text=True),
        "nytt ärende": lots_client.get(f"/arenden/nytt?company_id={company_id}").get_data(as_text=True),
        "företagslistan": lots_client.get("/foretag").get_data(as_text=True),
        "nytt företag": lots_client.get("/foretag/nytt").get_data(as_text=True),
        "nytt besök": ledning_client.get(f"/besok/nytt?company_id={company_id}").get_data(as_text=True),
        "uppföljningar": lots_client.get("/uppfoljningar").get_data(as_text=True),
        "ny uppföljning": lots_client.get("/uppfoljningar/ny").get_data(as_text=True),
    }


def test_no_page_grows_with_the_number_of_users(db, users, login_as):
    company = make_company("Storleken AB")
    contact = make_interaction(company, users["lots"])
    db.session.commit()
    lots_client, ledning_client = login_as("lots"), login_as("ledning")
    before = _pages(lots_client, ledning_client, company.id, contact.id)
    made = [
        make_user(role, name=f"Kollega Nummer{n:02}", email=f"kollega{n}@kommun.example")
        for n, role in enumerate([Role.LOTS, Role.LEDNING, Role.CHEF] * 20)
    ]
    db.session.commit()
    after = _pages(lots_client, ledning_client, company.id, contact.id)
    for name, page in after.items():
        assert "Nummer" not in page, name  # no option or checkbox per user
        assert page.count("<option") == before[name].count("<option"), name
        # The same page with 60 more users: only tokens and timestamps may differ.
        assert abs(len(page) - len(before[name])) < 200, name
    assert len(made) == 60
    assert db.session.query(User).count() >= 64


def test_the_admin_user_list_pages_and_finds_former_users(db, people, users, login_as):
    for n in range(30):
        make_user(Role.LOTS, name=f"Sidan Person{n:02}", email=f"sidan{n}@kommun.example")
    db.session.commit()
    admin = login_as("admin")
    first = admin.get("/admin/anvandare").get_data(as_text=True)
    assert first.count('<td data-label="Namn"><a href="/admin/anvandare/') == 25  # one page, not all 39
    assert 'rel="next"' in first
    second = admin.get("/admin/anvandare?page=2").get_data(as_text=True)
    assert second.count('<td data-label="Namn"><a href="/admin/anvandare/') == 39 - 25
    found = admin.get("/admin/anvandare?q=gunnar").get_data(as_text=True)
    assert found.count('<td data-label="Namn"><a href="/admin/anvandare/') == 1
    assert "Gunnar Gammal" in found
    assert "Inaktiv" in found


def test_a_case_keeps_its_deactivated_participant_on_edit(db, people, users, lots_client):
    from app.cases.queries import participants
    from tests.builders.cases import make_case

    gone = people["gone"]
    gone.is_active = True
    case = make_case(users["lots"], participant_ids=(gone.id, people["anna"].id))
    gone.is_active = False
    db.session.commit()
    page = lots_client.get(f"/arenden/{case.id}/andra").get_data(as_text=True)
    assert re.search(rf'<input type="checkbox" name="participant_ids" value="{gone.id}"[^>]* checked>', page)
    data = _form_fields(page)
    data["participant_ids"] = [str(gone.id), str(people["anna"].id)]
    data["title"] = "Nytt namn på ärendet"
    response = lots_client.post(f"/arenden/{case.id}/andra", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert {u.id for u in participants(case.id)} == {gone.id, people["anna"].id}


def test_a_keystroke_builds_user_objects_only_for_the_matches(db, people):
    """Every keystroke reads the pool; only the few matches become ORM objects (a kommun has
    up to a few thousand users)."""
    from app.auth import userpick

    for n in range(30):
        make_user(Role.LOTS, name=f"Bertil Nummer{n}", email=f"bertil{n}@kommun.example")
    db.session.commit()
    asa_id = people["asa"].id
    db.session.expunge_all()
    loaded: list[int] = []

    def on_load(target, _context):
        loaded.append(target.id)

    sa.event.listen(User, "load", on_load)
    try:
        found = userpick.search("åsa ö", "lots")
        several = userpick.resolve("bertil", "lots")
    finally:
        sa.event.remove(User, "load", on_load)
    assert [u.name for u in found] == ["Åsa Öberg-Lindé"]
    assert len(several) == 6
    assert all(u.name.startswith("Bertil") for u in several)
    assert loaded[0] == asa_id
    assert len(loaded) == 1 + 6
