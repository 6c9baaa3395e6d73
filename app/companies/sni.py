"""SCB's SNI code lists (Standard för svensk näringsgrensindelning).

Both SNI 2007 and SNI 2025 ship as CSV files in ``app/companies/data/`` (see
the README there for sources). A company's SNI code is always stored together
with its version, and this module never converts between versions: equal codes
in 2007 and 2025 often mean different industries, and SCB's correspondence key
is not available to us.

Codes are handled in the file's form: a section letter (``"C"``) or digits
without dots (``"01"``, ``"011"``, ``"0111"``, ``"01110"``). Input such as
``"01.110"`` or ``" 01 110 "`` is normalised before lookup.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

__all__ = [
    "SNI_VERSIONS",
    "SniCode",
    "all_sni",
    "get_sni",
    "normalise_sni_code",
    "search_sni",
    "sni_label",
]

SNI_VERSIONS: tuple[str, ...] = ("2007", "2025")

_DATA_DIR = Path(__file__).resolve().parent / "data"
_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# Dots, spaces and hyphens that people put inside codes ("01.110", "62 010").
_CODE_NOISE = re.compile(r"[\s.\-]")


@dataclass(frozen=True)
class SniCode:
    """One entry of an SNI code list.

    ``level`` is one of ``section``, ``division``, ``group``, ``class`` and
    ``detail`` (SCB: avdelning, huvudgrupp, grupp, undergrupp, detaljgrupp).
    ``parent`` is the code one level up, or ``""`` for a section. ``title`` is
    SCB's Swedish heading exactly as published (a few SNI 2007 headings contain
    a double space; use ``display_title`` for clean text).
    """

    version: str
    code: str
    level: str
    parent: str
    title: str

    @property
    def display_title(self) -> str:
        """The title with runs of whitespace collapsed to one space."""
        return _WHITESPACE.sub(" ", self.title).strip()

    @property
    def dotted_code(self) -> str:
        """The code as SCB writes it: ``"01.110"``, ``"01.11"``, ``"01.1"``, ``"01"``, ``"A"``."""
        if len(self.code) > 2 and self.code.isdigit():
            return f"{self.code[:2]}.{self.code[2:]}"
        return self.code

    @property
    def label(self) -> str:
        """``"62010 Dataprogrammering (SNI 2007)"``: code, title and version."""
        return f"{self.code} {self.display_title} (SNI {self.version})"


def normalise_sni_code(code: str) -> str:
    """Return ``code`` in the file's form: no dots or spaces, section letter upper-case."""
    return _CODE_NOISE.sub("", code or "").upper()


def _check_version(version: str) -> str:
    version = str(version).strip()
    if version not in SNI_VERSIONS:
        # A programming error rather than user input, hence no Swedish message.
        message = f"Unknown SNI version {version!r}; expected one of {SNI_VERSIONS}"  # untranslated: a programming error
        raise ValueError(message)
    return version


@functools.lru_cache(maxsize=len(SNI_VERSIONS))
def _load(version: str) -> tuple[tuple[SniCode, ...], dict[str, SniCode]]:
    """Read one version's CSV once; return the codes in file order and a code index."""
    path = _DATA_DIR / f"sni{version}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        codes = tuple(
            SniCode(
                version=version,
                code=row["code"],
                level=row["level"],
                parent=row["parent"],
                title=row["label"],
            )
            for row in csv.DictReader(handle)
        )
    return codes, {entry.code: entry for entry in codes}


def all_sni(version: str) -> tuple[SniCode, ...]:
    """All codes of one version, in SCB's hierarchical (depth-first) order."""
    return _load(_check_version(version))[0]


def get_sni(version: str, code: str) -> SniCode | None:
    """Look up ``code`` (``"01.110"`` or ``"01110"``) in ``version``; None if absent.

    Raises ``ValueError`` for an unknown version.
    """
    return _load(_check_version(version))[1].get(normalise_sni_code(code))


def search_sni(query: str, version: str | None = None, limit: int = 20) -> list[SniCode]:
    """Find codes by code prefix or by words in the title.

    Ranking: exact code match, then codes starting with the query, then entries
    whose title contains every word of the query – first titles starting with
    the first word, then titles where every query word starts a word, then
    plain substring hits. Within a rank, SCB's order is kept, and SNI 2007
    comes before SNI 2025 when ``version`` is None. Matching is
    case-insensitive, but å, ä and ö are distinct letters (Swedish has no
    "accent folding": "ost" must not match "öst"). An empty query gives ``[]``.
    """
    words = query.casefold().split() if query else []
    if not words or limit <= 0:
        return []
    versions = SNI_VERSIONS if version is None else (_check_version(version),)
    code_query = normalise_sni_code(query)
    # Only treat the query as a code if it looks like one (digits, or one letter).
    is_code_like = code_query.isdigit() or (len(code_query) == 1 and code_query.isalpha())

    ranked: list[tuple[int, int, int, SniCode]] = []
    for version_index, ver in enumerate(versions):
        for position, entry in enumerate(all_sni(ver)):
            rank = _rank(entry, words, code_query if is_code_like else None)
            if rank is not None:
                ranked.append((rank, version_index, position, entry))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked[:limit]]


def _rank(entry: SniCode, words: list[str], code_query: str | None) -> int | None:
    if code_query is not None:
        if entry.code == code_query:
            return 0
        if entry.code.startswith(code_query):
            return 1
    title = entry.display_title.casefold()
    if not all(word in title for word in words):
        return None
    if title.startswith(words[0]):
        return 2
    # Prefer whole-word hits: "öl" should rank "Framställning av öl" above "Mjölkproduktion".
    title_words = _WORD.findall(title)
    if all(any(tw.startswith(word) for tw in title_words) for word in words):
        return 3
    return 4


def sni_label(version: str, code: str) -> str:
    """Human-readable label that always names the version.

    ``"62010 Dataprogrammering (SNI 2007)"``; for a code missing from the list,
    ``"99999 (okänd kod i SNI 2007)"`` so that a stale code is visible rather
    than hidden.
    """
    entry = get_sni(version, code)
    if entry is None:
        return _(
            "%(code)s (okänd kod i SNI %(version)s)",
            code=normalise_sni_code(code),
            version=_check_version(version),
        )
    return entry.label
