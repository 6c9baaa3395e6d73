"""Parsing and validation of Swedish organisationsnummer.

A company in the register is identified by its organisationsnummer. Legal
persons (aktiebolag, föreningar, kommuner, ...) have a number whose digits 3–4
are 20 or more. A sole trader (enskild firma) has no number of its own and uses
the owner's personnummer or samordningsnummer, which is personal data and must
be masked in lists and kept out of URLs and logs.

Accepted input (see domain.md §5.1–5.2):

* 10 digits, optionally written with "-" or "+" and spaces: ``556036-0793``;
* 12 digits with prefix ``16`` for legal persons: ``16556036-0793``;
* 12 digits with century ``18``/``19``/``20`` for person numbers:
  ``19850101-1234``.

The result is always normalised to the 10-digit form without separators, which
is what the database stores.

Why the checks are hand-written on top of python-stdnum: ``stdnum.se.orgnr``
checks only length and the Luhn digit (no ``16`` prefix, no group digit, no
"month ≥ 20" rule), and ``stdnum.se.personnummer`` rejects samordningsnummer.
We therefore use ``stdnum.luhn`` for the check digit and do the structural
checks here.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from stdnum import luhn

from app.core.time import local_today

__all__ = [
    "LEGAL_FORM_GROUPS",
    "SOLE_TRADER_LABEL",
    "OrgnrError",
    "OrgnrKind",
    "ParsedOrgnr",
    "is_valid_orgnr",
    "luhn_check_digit",
    "parse_orgnr",
]


class OrgnrError(ValueError):
    """Raised when a string is not a valid organisationsnummer.

    ``str(error)`` is a complete sentence that can be shown to the user as is
    (in the user's language during a request, Swedish outside one). The message
    never repeats the number itself, so it is safe to log.
    """


class OrgnrKind(enum.StrEnum):
    """What kind of identity number an organisationsnummer is.

    A ``str`` subclass: ``str(kind)`` and ``kind == "personal_number"`` give the stored value.
    """

    LEGAL_PERSON = "legal_person"
    PERSONNUMMER = "personal_number"
    SAMORDNINGSNUMMER = "coordination_number"


# The Swedish codes stored before migration 0021 → today's code.
LEGACY_KINDS: dict[str, OrgnrKind] = {
    "juridisk_person": OrgnrKind.LEGAL_PERSON,
    "personnummer": OrgnrKind.PERSONNUMMER,
    "samordningsnummer": OrgnrKind.SAMORDNINGSNUMMER,
}


#: Digit 1 of a legal person's number → legal-form group (Skatteverket/Bolagsverket). Swedish in
#: every interface language: services store it as the company's legal form when none is given.
#: 0 and 4 are not used.
LEGAL_FORM_GROUPS: dict[str, str] = {
    "1": "Dödsbo",  # untranslated: stored as the company's legal form
    "2": "Stat, region, kommun eller församling",  # untranslated: stored as the company's legal form
    "3": "Utländskt företag",  # untranslated: stored as the company's legal form
    "5": "Aktiebolag",  # untranslated: stored as the company's legal form
    "6": "Enkelt bolag",  # untranslated: stored as the company's legal form
    "7": "Ekonomisk förening eller bostadsrättsförening",  # untranslated: stored as the company's legal form
    "8": "Ideell förening eller stiftelse",  # untranslated: stored as the company's legal form
    "9": "Handelsbolag eller kommanditbolag",  # untranslated: stored as the company's legal form
}

#: Legal-form text for a number that is a personnummer or samordningsnummer.
SOLE_TRADER_LABEL = "Enskild firma"  # untranslated: stored as the company's legal form

# Characters people (and Excel, Word, web forms) put inside the number. The
# en dash and non-breaking space turn up when numbers are copied from documents.
_SEPARATORS = str.maketrans("", "", " -+\u2013\u00a0\t")
_CENTURY_PREFIXES = ("18", "19", "20")
_LEGAL_PERSON_PREFIX = "16"
_SAMORDNING_DAY_OFFSET = 60

#: The messages (lazy; `str()` at the raise, so the error reads in the user's language).
MSG_EMPTY = _l("Ange ett organisationsnummer.")
MSG_NOT_DIGITS = _l("Organisationsnumret får bara innehålla siffror, bindestreck och mellanslag.")
MSG_LENGTH = _l("Organisationsnumret ska ha 10 siffror (eller 12 med sekelsiffror).")
MSG_PREFIX = _l(
    "Ett 12-siffrigt nummer ska börja med 16 (juridisk person) "
    "eller med sekelsiffrorna 18, 19 eller 20 (personnummer)."
)
MSG_CHECK_DIGIT = _l("Organisationsnumret har fel kontrollsiffra.")
MSG_GROUP = _l("Organisationsnumret har en ogiltig gruppsiffra (första siffran kan inte vara 0 eller 4).")
MSG_16_PERSON = _l("Prefixet 16 används bara för juridiska personer, inte för personnummer.")
MSG_CENTURY_LEGAL = _l(
    "Sekelsiffror (18, 19 eller 20) används bara för personnummer. "
    "Skriv en juridisk persons organisationsnummer med 10 siffror."
)
MSG_DATE = _l(
    "Numret är inte ett giltigt organisationsnummer, och inte heller ett giltigt "
    "person- eller samordningsnummer (datumet finns inte)."
)
MSG_FUTURE = _l("Personnumret har ett födelsedatum i framtiden.")


@dataclass(frozen=True)
class ParsedOrgnr:
    """A validated organisationsnummer.

    ``number`` is the normalised 10-digit form without separators
    (``"5560360793"``). ``legal_form_group`` is the Swedish legal-form text
    from the group digit for legal persons, and ``"Enskild firma"`` for
    person and coordination numbers.
    """

    number: str
    kind: OrgnrKind
    legal_form_group: str | None

    @property
    def display(self) -> str:
        """The usual written form, ``"556036-0793"``."""
        return f"{self.number[:6]}-{self.number[6:]}"

    @property
    def masked(self) -> str:
        """A form safe for lists and logs.

        Personal numbers hide the last four digits (``"850101-****"``); a legal
        person's number is public and shown in full.
        """
        if self.is_personal_data:
            return f"{self.number[:6]}-****"
        return self.display

    @property
    def is_personal_data(self) -> bool:
        """True when the number is a personnummer or samordningsnummer."""
        return self.kind is not OrgnrKind.LEGAL_PERSON


def luhn_check_digit(nine_digits: str) -> str:
    """Return the Luhn check digit that completes a 9-digit stem.

    Raises ``ValueError`` unless ``nine_digits`` is exactly nine ASCII digits.
    Used to generate valid fictitious numbers for demo data and tests.
    """
    if len(nine_digits) != 9 or not (nine_digits.isascii() and nine_digits.isdigit()):
        raise ValueError("nine_digits must be exactly 9 digits")
    return luhn.calc_check_digit(nine_digits)


def parse_orgnr(raw: str) -> ParsedOrgnr:
    """Validate ``raw`` and return the normalised number and its kind.

    Raises ``OrgnrError`` (with a message in the user's language) when the input is empty,
    holds other characters than digits and separators, has the wrong length or
    prefix, fails the Luhn check, has group digit 0 or 4, or – for person
    numbers – does not encode a real date.
    """
    compact = (raw or "").translate(_SEPARATORS)
    if not compact:
        raise OrgnrError(str(MSG_EMPTY))
    # isdigit() alone would accept e.g. Arabic-Indic or superscript digits.
    if not (compact.isascii() and compact.isdigit()):
        raise OrgnrError(str(MSG_NOT_DIGITS))

    prefix: str | None = None
    if len(compact) == 12:
        prefix, number = compact[:2], compact[2:]
        if prefix != _LEGAL_PERSON_PREFIX and prefix not in _CENTURY_PREFIXES:
            raise OrgnrError(str(MSG_PREFIX))
    elif len(compact) == 10:
        number = compact
    else:
        raise OrgnrError(str(MSG_LENGTH))

    if not luhn.is_valid(number):
        raise OrgnrError(str(MSG_CHECK_DIGIT))

    # Digits 3–4 are the "month": at least 20 for legal persons, 01–12 for people.
    if int(number[2:4]) >= 20:
        if prefix in _CENTURY_PREFIXES:
            raise OrgnrError(str(MSG_CENTURY_LEGAL))
        group = LEGAL_FORM_GROUPS.get(number[0])
        if group is None:
            raise OrgnrError(str(MSG_GROUP))
        return ParsedOrgnr(number=number, kind=OrgnrKind.LEGAL_PERSON, legal_form_group=group)

    if prefix == _LEGAL_PERSON_PREFIX:
        raise OrgnrError(str(MSG_16_PERSON))
    kind = _person_kind(number, century=prefix)
    return ParsedOrgnr(number=number, kind=kind, legal_form_group=SOLE_TRADER_LABEL)


def is_valid_orgnr(raw: str) -> bool:
    """Return True when ``parse_orgnr(raw)`` would succeed."""
    try:
        parse_orgnr(raw)
    except OrgnrError:
        return False
    return True


def _person_kind(number: str, century: str | None) -> OrgnrKind:
    """Classify a 10-digit person number, checking that its date exists.

    A samordningsnummer has 60 added to the day. Without a century (10-digit
    input) the year is ambiguous; the date is accepted if it exists in the
    1900s or the 2000s, which only matters for 29 February in year "00".
    """
    year2, month, day = int(number[0:2]), int(number[2:4]), int(number[4:6])
    kind = OrgnrKind.PERSONNUMMER
    if day > _SAMORDNING_DAY_OFFSET:
        kind = OrgnrKind.SAMORDNINGSNUMMER
        day -= _SAMORDNING_DAY_OFFSET

    centuries = [int(century)] if century else [19, 20]
    for cent in centuries:
        try:
            birth = datetime.date(cent * 100 + year2, month, day)
        except ValueError:
            continue
        if century and birth > local_today():
            raise OrgnrError(str(MSG_FUTURE))
        return kind
    raise OrgnrError(str(MSG_DATE))
