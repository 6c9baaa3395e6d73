"""Tests for app.companies.demo_data (fictitious Borlänge companies)."""

from __future__ import annotations

import datetime
import re

from app.companies.demo_data import DEMO_AREAS, DEMO_SIZE_CLASSES, demo_companies
from app.companies.orgnr import OrgnrKind, parse_orgnr
from app.companies.sni import get_sni

EXPECTED_KEYS = {
    "name", "orgnr", "legal_form", "sni_version", "sni_code", "size_class", "visiting_address",
    "postcode", "city", "area", "website", "phone", "email", "status", "is_key_company",
    "contact_cadence_months", "tags", "notes", "contact_persons",
}  # fmt: skip
CONTACT_KEYS = {"name", "title", "phone", "email", "informed_on", "no_mailings"}
REAL_NAMES = ("ssab", "stora enso", "ikea", "maserfrakt", "romme", "peace & love")


def test_about_sixty_companies_with_expected_keys() -> None:
    companies = demo_companies()
    assert 55 <= len(companies) <= 70
    for company in companies:
        assert set(company) == EXPECTED_KEYS


def test_deterministic() -> None:
    assert demo_companies() == demo_companies()


def test_orgnr_valid_and_unique() -> None:
    companies = demo_companies()
    numbers = [c["orgnr"] for c in companies if c["orgnr"] is not None]
    assert len(numbers) == len(set(numbers))
    kinds = [parse_orgnr(number).kind for number in numbers]
    assert all(parse_orgnr(n).number == n for n in numbers), "stored in normalised form"
    assert 2 <= sum(kind is not OrgnrKind.LEGAL_PERSON for kind in kinds) <= 3
    groups = [parse_orgnr(n).legal_form_group for n in numbers]
    assert groups.count("Aktiebolag") > len(numbers) / 2
    assert "Ekonomisk förening eller bostadsrättsförening" in groups
    assert "Handelsbolag eller kommanditbolag" in groups


def test_sni_codes_exist_in_2007() -> None:
    for company in demo_companies():
        assert company["sni_version"] == "2007"
        code = get_sni("2007", company["sni_code"])
        assert code is not None, company["name"]
        assert code.level == "detail", company["name"]


def test_statuses_and_key_companies() -> None:
    companies = demo_companies()
    prospects = [c for c in companies if c["status"] == "establishing"]
    assert len(prospects) == 4
    assert sum(c["orgnr"] is None for c in prospects) == 2
    assert all(c["orgnr"] is not None for c in companies if c["status"] != "establishing")
    assert sum(c["status"] == "wound_up" for c in companies) == 2
    assert {c["status"] for c in companies} == {"active", "establishing", "wound_up"}
    key = [c for c in companies if c["is_key_company"]]
    assert 8 <= len(key) <= 12
    assert all(c["contact_cadence_months"] in (3, 6) for c in key)
    assert all(c["contact_cadence_months"] is None for c in companies if not c["is_key_company"])


def test_field_formats() -> None:
    for company in demo_companies():
        assert company["city"] == "Borlänge"
        assert company["area"] in DEMO_AREAS
        assert company["size_class"] in DEMO_SIZE_CLASSES
        assert re.fullmatch(r"78[1-5] \d\d", company["postcode"])
        assert re.fullmatch(r"0243-\d\d \d\d \d\d", company["phone"])
        assert re.fullmatch(r"https://www\.[a-z0-9-]+\.example", company["website"])
        assert re.fullmatch(r"info@[a-z0-9-]+\.example", company["email"])
        assert company["tags"]
        assert all(isinstance(tag, str) and tag for tag in company["tags"])
        assert company["notes"]


def test_contact_persons() -> None:
    all_names = []
    for company in demo_companies():
        contacts = company["contact_persons"]
        assert 1 <= len(contacts) <= 4
        assert len({c["name"] for c in contacts}) == len(contacts)
        domain = company["website"].removeprefix("https://www.")
        for contact in contacts:
            assert set(contact) == CONTACT_KEYS
            assert re.fullmatch(r"070-\d{3} \d\d \d\d", contact["phone"])
            assert re.fullmatch(rf"[a-z]+\.[a-z]+@{re.escape(domain)}", contact["email"])
            if contact["informed_on"] is not None:
                datetime.date.fromisoformat(contact["informed_on"])
            assert isinstance(contact["no_mailings"], bool)
            all_names.append(contact["name"])
    assert any(ch in "".join(all_names) for ch in "åäöÅÄÖ")


def test_names_fictitious_and_swedish() -> None:
    names = [c["name"] for c in demo_companies()]
    assert len(names) == len(set(names))
    assert any(name.startswith("Ö") for name in names)
    assert any(name.startswith("Å") for name in names)
    for name in names:
        assert not any(real in name.casefold() for real in REAL_NAMES), name
