"""Fictitious but realistic company data for Borlänge, for demos and development.

Every company, person, address, phone number and web address here is made up.
The names were chosen not to be those of real Borlänge companies; web and mail
addresses use the reserved ``.example`` domain so nothing can ever be sent to a
real recipient. Organisationsnummer are generated from fixed 9-digit stems with
a Luhn check digit, so they are valid and stable between runs (but, like any
valid-looking number, one may coincide with a real registration – never use
this data outside demo/test databases).

The three sole traders (enskild firma) use numbers built on the birth date
12 December 1912 ("121212"), a date conventionally used for test persons, one
of them as a samordningsnummer (day + 60 = 72).

The output is deterministic: the only randomness is ``random.Random`` with a
fixed seed.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from app.companies.models import ACTIVE, ESTABLISHING, WOUND_UP
from app.companies.orgnr import luhn_check_digit

__all__ = ["DEMO_AREAS", "DEMO_SIZE_CLASSES", "demo_companies"]

DEMO_AREAS: list[str] = [
    "Centrum",
    "Kupolen",
    "Norra Backa",
    "Tjärna Ängar",
    "Domnarvet",
    "Kvarnsveden",
    "Hagalund",
    "Jakobsgårdarna",
    "Ornäs",
    "Torsång",
]

DEMO_SIZE_CLASSES: list[str] = ["0", "1-4", "5-9", "10-19", "20-49", "50-99", "100-249", "250-499", "500+"]

# Fictitious postcode series per area, all within Borlänge's 781 xx–785 xx.
_POSTCODE_BASE = {
    "Centrum": 78430,
    "Kupolen": 78170,
    "Norra Backa": 78450,
    "Tjärna Ängar": 78460,
    "Domnarvet": 78160,
    "Kvarnsveden": 78180,
    "Hagalund": 78440,
    "Jakobsgårdarna": 78470,
    "Ornäs": 78190,
    "Torsång": 78530,
}

_SEED = 2081  # Borlänge's kommunkod; any fixed value keeps the data stable.

AB = "Aktiebolag"
EF = "Ekonomisk förening"
HB = "Handelsbolag"
ENSKILD = "Enskild firma"


@dataclass(frozen=True)
class _Spec:
    name: str
    stem: str | None  # 9 digits; the check digit is added. None: no number yet.
    legal_form: str
    sni: str
    size: str
    area: str
    street: str
    tags: tuple[str, ...]
    notes: str
    contacts: int
    status: str = ACTIVE
    cadence: int | None = None  # months between contacts; set for key companies


# fmt: off
_SPECS: tuple[_Spec, ...] = (
    # Industry and steel
    _Spec("Dalälvens Stålkonstruktion AB", "552010417", AB, "25110", "50-99", "Domnarvet",
          "Valsverksvägen 12",
          ("industri", "exportör"), "Bygger stålstommar till lagerhallar i hela Norden.", 4, cadence=3),
    _Spec("Domnarvets Valsverksteknik AB", "552011834", AB, "33120", "20-49", "Domnarvet", "Hyttgatan 4",
          ("industri", "underleverantör"), "Underhåll av valsverk och tunga maskiner.", 3),
    _Spec("Kvarnsvedens Pappersmaskinservice AB", "552012605", AB, "33120", "10-19", "Kvarnsveden",
          "Bruksallén 7", ("industri",), "Service på pappersmaskiner, mest skiftarbete.", 2),
    _Spec("Borlänge Svets & Montage AB", "552013277", AB, "25620", "10-19", "Ornäs", "Svetsarvägen 3",
          ("industri", "rekryterar"), "Söker fler certifierade svetsare.", 2),
    _Spec("Tunaverken Industriservice AB", "552014958", AB, "28290", "100-249", "Domnarvet",
          "Verkstadsgatan 21",
          ("industri", "exportör"), "Största privata industriarbetsgivaren i vår bevakning.", 4, cadence=3),
    _Spec("Norrbacka Precisionsmekanik AB", "552015363", AB, "25620", "5-9", "Norra Backa", "Fräsargränd 2",
          ("industri", "underleverantör"), "CNC-bearbetning i små serier.", 1),
    _Spec("Stålbandet Legotillverkning AB", "552016742", AB, "25620", "20-49", "Domnarvet",
          "Bandstålsvägen 9",
          ("industri",), "Legotillverkare med kunder inom fordonsindustrin.", 2),
    _Spec("Hagalunds Plåtslageri HB", "922017118", HB, "25110", "1-4", "Hagalund", "Plåtslagarvägen 5",
          ("hantverk",), "Två delägare, tar även privata uppdrag.", 1),
    _Spec("Ornäs Elmotorservice AB", "552018596", AB, "27110", "5-9", "Ornäs", "Lindningsvägen 1",
          ("industri",), "Lindar om och reparerar elmotorer.", 1),
    _Spec("Dalarnas Rörteknik AB", "552019221", AB, "24200", "50-99", "Domnarvet", "Rörverksgatan 15",
          ("industri", "exportör"), "Exporterar stålrör till Tyskland och Polen.", 3, cadence=6),
    _Spec("Järnbäraren Smide AB", "552020804", AB, "25620", "1-4", "Torsång", "Smedjevägen 8",
          ("hantverk",), "Konstsmide och grindar på beställning.", 1),
    _Spec("Ljusbågen Metallurgi AB", "552021469", AB, "24100", "250-499", "Domnarvet", "Ljusbågsvägen 1",
          ("industri", "exportör", "energiintensiv"), "Planerar elektrifiering av ugnslinjen.", 4, cadence=3),
    _Spec("Torsångs Sågverk AB", "552022137", AB, "16101", "10-19", "Torsång", "Sågvägen 30",
          ("industri", "skog"), "Familjeägt sågverk i tredje generationen.", 2),
    # Trade
    _Spec("Kupolhallens Sport & Fritid AB", "552023715", AB, "47641", "5-9", "Kupolen", "Kupolgången 14",
          ("handel",), "Butik i köpcentret, säsongsanställer inför vintern.", 1),
    _Spec("Tjärna Bygghandel AB", "552024388", AB, "47521", "20-49", "Tjärna Ängar", "Byggvaruvägen 2",
          ("handel",), "Bygghandel med proffsdisk och privatbutik.", 2),
    _Spec("Centrumbokhandeln i Borlänge AB", "552025046", AB, "47610", "1-4", "Centrum", "Torggatan 11",
          ("handel", "centrumhandel"), "Anordnar författarkvällar tillsammans med biblioteket.", 1),
    _Spec("Ängens Klädbod HB", "922026513", HB, "47711", "1-4", "Centrum", "Stationsgatan 19",
          ("handel", "centrumhandel"), "Second hand och egen design.", 1),
    _Spec("Borlänge Datorbutik AB", "552027691", AB, "47410", "5-9", "Kupolen", "Kupolgången 3",
          ("handel", "it"), "Säljer och servar datorer för småföretag.", 2),
    _Spec("Jakobsgårdarnas Livs AB", "552028275", AB, "47111", "10-19", "Jakobsgårdarna",
          "Jakobsgårdsvägen 6",
          ("handel",), "Närbutik med utökat öppethållande.", 1),
    _Spec("Dalabygdens Bilhandel AB", "552029943", AB, "45110", "20-49", "Ornäs", "Bilhallsvägen 10",
          ("handel", "fordon"), "Ny- och begagnatförsäljning med verkstad.", 2),
    _Spec("Mellanbygdens Lastvagnar AB", "552030512", AB, "45191", "20-49", "Ornäs", "Lastvagnsvägen 4",
          ("handel", "fordon"), "Säljer och hyr ut lastbilar till åkerier i regionen.", 2),
    _Spec("Åsens Optik AB", "552031187", AB, "47781", "1-4", "Centrum", "Borggatan 7",
          ("handel", "centrumhandel"), "Optiker med synundersökning.", 1),
    _Spec("Galleri Tunaslätten HB", "922032869", HB, "47783", "0", "Centrum", "Konstnärsgränd 1",
          ("kultur", "centrumhandel"), "Galleri som drivs av två konstnärer på deltid.", 1),
    _Spec("Norra Dalarnas Maskinpartner AB", "552033434", AB, "46699", "10-19", "Norra Backa",
          "Maskinvägen 18", ("handel", "partihandel"), "Partihandel med entreprenadmaskiner.", 2),
    _Spec("Elvaruhuset i Kupolen AB", "552034106", AB, "47540", "10-19", "Kupolen", "Kupolgången 22",
          ("handel",), "Vitvaror och hemelektronik.", 1),
    # Logistics
    _Spec("Öster Åkeri AB", "552035772", AB, "49410", "20-49", "Ornäs", "Åkarvägen 2",
          ("logistik", "transport"), "Fjärrtransporter och containerkörningar till hamnarna.", 3),
    _Spec("Borlänge Terminal & Lager AB", "552036458", AB, "52100", "50-99", "Domnarvet", "Terminalvägen 1",
          ("logistik",), "Kombiterminal med järnvägsspår, vill bygga ut.", 4, cadence=3),
    _Spec("Rangerbangårdens Logistik AB", "552037027", AB, "52290", "20-49", "Domnarvet", "Spårvägen 11",
          ("logistik", "järnväg"), "Omlastning mellan järnväg och lastbil.", 2),
    _Spec("Tjärna Budtjänst AB", "552038695", AB, "49410", "1-4", "Tjärna Ängar", "Budvägen 3",
          ("logistik",), "Lokala budkörningar med elbilar.", 1),
    _Spec("Kvarnsvedens Åkeri HB", "922039361", HB, "49410", "5-9", "Kvarnsveden", "Flottarvägen 9",
          ("logistik", "transport"), "Timmer- och flistransporter.", 1),
    _Spec("Taxiföreningen Dalamitt ekonomisk förening", "722040146", EF, "49320", "20-49", "Centrum",
          "Resecentrum 1", ("transport", "förening"), "Samarbetsförening för ett trettiotal åkare.", 2),
    _Spec("Lagerhuset Mitt AB", "552041818", AB, "52100", "10-19", "Ornäs", "Lagergatan 5",
          ("logistik",), "Tredjepartslager för e-handel.", 2),
    # IT and technical consultancies
    _Spec("Kodverkstan Borlänge AB", "552042583", AB, "62010", "10-19", "Centrum", "Sveagatan 14",
          ("it", "nyetablerad"), "Startade 2023, anställer utvecklare löpande.", 2),
    _Spec("Dalaprogrammet AB", "552043250", AB, "62010", "20-49", "Centrum", "Kyrkogatan 3",
          ("it", "exportör"), "Utvecklar planeringssystem för transportbranschen.", 3, cadence=6),
    _Spec("Molnbryggan IT AB", "552044927", AB, "63110", "5-9", "Hagalund", "Serverstigen 2",
          ("it",), "Driftar system för kommuner och regioner.", 2),
    _Spec("Teknikhuset Tjärna AB", "552045693", AB, "71129", "20-49", "Tjärna Ängar", "Ingenjörsvägen 8",
          ("teknikkonsult",), "El- och automationskonsulter till processindustrin.", 2),
    _Spec("Byggkonstruktörerna i Dalarna AB", "552046368", AB, "71121", "10-19", "Centrum",
          "Ritargatan 5", ("teknikkonsult", "bygg"), "Konstruktionsberäkningar för bostadsbyggen.", 2),
    _Spec("Vägdata Analys AB", "552047034", AB, "62020", "10-19", "Centrum", "Trafikgatan 2",
          ("it", "transport"), "Analystjänster för väg- och järnvägsdata.", 3, cadence=6),
    _Spec("Infrastrukturkonsulterna Mitt AB", "552048705", AB, "71121", "50-99", "Centrum", "Brogatan 9",
          ("teknikkonsult", "transport"), "Projekterar vägar och broar åt statliga beställare.", 4,
          cadence=3),
    _Spec("Produktformgivarna Ornäs AB", "552049472", AB, "74101", "1-4", "Ornäs", "Formgatan 1",
          ("design",), "Industridesign åt verkstadsföretag.", 1),
    _Spec("Järn & Energi Forskningsbyrå AB", "552050146", AB, "72190", "5-9", "Domnarvet",
          "Laboratorievägen 3", ("forskning", "energiintensiv"), "Forskar på vätgas i stålprocesser.", 2),
    _Spec("Siffergården Redovisning AB", "552051813", AB, "69201", "5-9", "Jakobsgårdarna", "Kontorsvägen 4",
          ("tjänster",), "Redovisningsbyrå med många små kunder.", 1),
    _Spec("Organisationsrådet Borlänge AB", "552052577", AB, "70220", "1-4", "Centrum", "Rådhusgatan 6",
          ("tjänster",), "Ledarskaps- och organisationskonsult.", 1),
    _Spec("Reklamfabriken i Borlänge AB", "552053248", AB, "73111", "5-9", "Centrum", "Reklamgatan 2",
          ("tjänster", "kreativa näringar"), "Reklambyrå med lokala kunder.", 2),
    # Tourism and hospitality
    _Spec("Hotell Tunaborg AB", "552054915", AB, "55101", "20-49", "Centrum", "Hotellgatan 1",
          ("besöksnäring",), "Hotell med konferens, beroende av evenemang i stan.", 3, cadence=3),
    _Spec("Solbergets Skidanläggning AB", "552055582", AB, "93111", "10-19", "Torsång", "Backvägen 20",
          ("besöksnäring", "säsong"), "Liten familjebacke, vill utveckla sommarverksamhet.", 2),
    _Spec("Restaurang Dalagården AB", "552056264", AB, "56100", "10-19", "Centrum", "Krogvägen 3",
          ("besöksnäring", "centrumhandel"), "Lunchrestaurang med uteservering.", 1),
    _Spec("Torsångs Konferensgård AB", "552057936", AB, "55102", "5-9", "Torsång", "Gårdsvägen 12",
          ("besöksnäring",), "Konferensgård vid Dalälven.", 2),
    _Spec("Dalaresor Bokning AB", "552058607", AB, "79900", "1-4", "Centrum", "Resegatan 1",
          ("besöksnäring",), "Bokningstjänst för paketresor i Dalarna.", 1),
    _Spec("Ängsgårdens Catering HB", "922059375", HB, "56210", "1-4", "Tjärna Ängar", "Ängsvägen 7",
          ("besöksnäring", "evenemang"), "Catering till festivaler och företagsevent.", 1),
    _Spec("Kupolens Gym & Hälsa AB", "552060154", AB, "93130", "5-9", "Kupolen", "Kupolgången 30",
          ("fritid",), "Gym med gruppträning.", 1),
    # Music and events
    _Spec("Festivalbolaget Dalälven AB", "552061828", AB, "82300", "5-9", "Centrum", "Festplatsvägen 1",
          ("evenemang", "musik", "besöksnäring"), "Arrangerar en sommarfestival med 20 000 besökare.", 3,
          cadence=3),
    _Spec("Musikverkstaden Borlänge ekonomisk förening", "722062497", EF, "90020", "1-4", "Hagalund",
          "Replokalsvägen 4", ("musik", "förening"), "Replokaler och studiotid för unga band.", 2),
    _Spec("Studio Hagalund Ljud AB", "552063165", AB, "59200", "1-4", "Hagalund", "Ljudgatan 2",
          ("musik",), "Inspelningsstudio och skivbolag.", 1),
    _Spec("Scenkonst i Dalarna AB", "552064831", AB, "90040", "5-9", "Centrum", "Teatergatan 5",
          ("kultur", "evenemang"), "Driver en blackbox-scen och turnerar i länet.", 2),
    _Spec("Torsångs Energiförening ekonomisk förening", "722065502", EF, "35300", "1-4", "Torsång",
          "Värmeverksvägen 1", ("energi", "förening"), "Byalag som driver ett litet närvärmeverk.", 1),
    # Sole traders (enskild firma): numbers based on the test birth date 1912-12-12.
    _Spec("Märta Öhrn Konst", "121212121", ENSKILD, "90030", "0", "Jakobsgårdarna", "Ateljévägen 2",
          ("kultur",), "Konstnär med ateljé och försäljning av grafik.", 1),
    _Spec("Korhonens Bilvård", "121272345", ENSKILD, "45201", "1-4", "Kvarnsveden", "Verkstadsvägen 6",
          ("fordon",), "Bilverkstad, ägaren har samordningsnummer.", 1),
    _Spec("Sörens Trädgårdstjänst", "121212567", ENSKILD, "81300", "0", "Norra Backa", "Trädgårdsvägen 8",
          ("tjänster",), "Skötsel av grönytor åt bostadsrättsföreningar.", 1),
    # Prospects (etablering)
    _Spec("Batteriåtervinning Mitt", None, AB, "38320", "0", "Domnarvet", "Industrivägen 40",
          ("etablering", "nyetablerad"), "Söker mark för en återvinningsanläggning.", 2, status=ESTABLISHING),
    _Spec("Vätgaspilot Borlänge", None, AB, "35110", "0", "Ornäs", "Energivägen 1",
          ("etablering", "energi"), "Förstudie om vätgasproduktion, bolaget är inte bildat.", 1,
          status=ESTABLISHING),
    _Spec("Datahall Kvarnsveden AB", "552066279", AB, "63110", "1-4", "Kvarnsveden", "Kraftstationsvägen 2",
          ("etablering", "it", "nyetablerad"), "Vill bygga en datahall nära kraftstationen.", 2,
          status=ESTABLISHING),
    _Spec("Elektronikmontage Tjärna AB", "552067943", AB, "26110", "1-4", "Tjärna Ängar", "Kretskortsvägen 3",
          ("etablering", "industri", "nyetablerad"), "Tittar på lokaler för ytmontering av kretskort.", 1,
          status=ESTABLISHING),
    # Closed down (avvecklad)
    _Spec("Gamla Torgets Café HB", "922068614", HB, "56100", "0", "Centrum", "Torggatan 2",
          ("besöksnäring",), "Caféet stängde 2024.", 1, status=WOUND_UP),
    _Spec("Borlänge Videouthyrning AB", "552069388", AB, "77220", "0", "Hagalund", "Filmvägen 1",
          ("handel",), "Likviderat, kvar för historikens skull.", 1, status=WOUND_UP),
)

_FIRST_NAMES = (
    "Åsa", "Märta", "Björn", "Göran", "Kjell", "Sören", "Ingrid", "Annika", "Linnéa", "Jörgen",
    "Håkan", "Ylva", "Maja", "Elin", "Oskar", "Emil", "Amira", "Ahmed", "Fatima", "Sanna",
    "Tove", "Pär", "Stina", "Anders", "Karin", "Leila", "Mattias", "Ebba", "Östen", "Åke",
)
_LAST_NAMES = (
    "Åberg", "Öberg", "Ström", "Bäckström", "Sjöberg", "Lindqvist", "Hedlund", "Nordström",
    "Engström", "Hägg", "Dahlgren", "Källström", "Mörk", "Söderlund", "Jönsson", "Ersson",
    "Hassan", "Yilmaz", "Korhonen", "Mattsson", "Halvarsson", "Persdotter", "Ahmadi", "Lööf",
)
_TITLES = (
    "VD", "Ekonomichef", "Produktionschef", "Marknadsansvarig", "HR-chef", "Platschef",
    "Inköpschef", "Verksamhetsutvecklare", "Hållbarhetsansvarig", "Försäljningschef",
)
# fmt: on
_OWNER_NAMES = {
    "Märta Öhrn Konst": "Märta Öhrn",
    "Korhonens Bilvård": "Mika Korhonen",
    "Sörens Trädgårdstjänst": "Sören Lööf",
}


def demo_companies() -> list[dict[str, Any]]:
    """Return the demo companies as plain dicts, the same list on every call.

    Keys: name, orgnr (normalised 10 digits, or None for prospects without a
    number), legal_form, sni_version ("2007"), sni_code, size_class,
    visiting_address, postcode ("784 33"), city, area, website, phone, email,
    status (ACTIVE | ESTABLISHING | WOUND_UP), is_key_company,
    contact_cadence_months (3, 6 or None), tags, notes and contacts (dicts with
    name, title, phone, email, informed_on, no_mailings).
    """
    rng = random.Random(_SEED)
    companies: list[dict[str, Any]] = []
    for spec in _SPECS:
        slug = _slug(spec.name)
        companies.append(
            {
                "name": spec.name,
                "orgnr": spec.stem + luhn_check_digit(spec.stem) if spec.stem else None,
                "legal_form": spec.legal_form,
                "sni_version": "2007",
                "sni_code": spec.sni,
                "size_class": spec.size,
                "visiting_address": spec.street,
                "postcode": _postcode(spec.area, rng),
                "city": "Borlänge",
                "area": spec.area,
                "website": f"https://www.{slug}.example",
                "phone": f"0243-{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                "email": f"info@{slug}.example",
                "status": spec.status,
                "is_key_company": spec.cadence is not None,
                "contact_cadence_months": spec.cadence,
                "tags": list(spec.tags),
                "notes": spec.notes,
                "contact_persons": _contact_persons(spec, slug, rng),
            }
        )
    return companies


def _postcode(area: str, rng: random.Random) -> str:
    code = _POSTCODE_BASE[area] + rng.randint(0, 9)
    return f"{code // 100} {code % 100:02d}"


def _contact_persons(spec: _Spec, slug: str, rng: random.Random) -> list[dict[str, Any]]:
    if spec.legal_form == ENSKILD:
        names = [_OWNER_NAMES[spec.name]]
        titles = ["Ägare"]
    else:
        names = []
        while len(names) < spec.contacts:
            candidate = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"
            if candidate not in names:
                names.append(candidate)
        titles = ["VD", *rng.sample(_TITLES[1:], k=len(names) - 1)]

    contacts = []
    for name, title in zip(names, titles, strict=True):
        informed = None
        if rng.random() < 0.6:
            informed = f"20{rng.randint(23, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        first, _, last = name.partition(" ")
        contacts.append(
            {
                "name": name,
                "title": title,
                "phone": f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                "email": f"{_slug(first, '')}.{_slug(last, '')}@{slug}.example",
                "informed_on": informed,
                "no_mailings": rng.random() < 0.1,
            }
        )
    return contacts


def _slug(text: str, separator: str = "-") -> str:
    """ASCII slug for host names and mail addresses: "Öster Åkeri AB" → "oster-akeri-ab"."""
    folded = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", separator, folded).strip(separator)
