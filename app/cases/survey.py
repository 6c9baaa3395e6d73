"""The lots satisfaction survey's questions, tokens and NKI arithmetic (domain.md §4.1, §4.3).
Pure: no database, no Flask.

* The three NKI questions mirror SKR Insikt / SCB (overall satisfaction, expectations met,
  closeness to an ideal service), on a 1–10 scale as SCB's NKI model uses.
* NKI of one answer = mean of the three answers rescaled to 0–100: (x − 1) / 9 × 100.
  NKI of a group = the mean of its answers' NKI (which equals rescaling the group mean).
* A group's result is shown only with at least MIN_ANSWERS answers, so a single company's
  opinion cannot be read out of a small group.
* Tokens: 32 random bytes, URL-safe; only their SHA-256 is stored, so a database leak does not
  give working survey links.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

MIN_ANSWERS = 5
SCALE = range(1, 11)

NKI_QUESTIONS: list[tuple[str, str]] = [
    ("q_overall", _l("Sammantaget, hur nöjd är du med kommunens service i ditt ärende?")),
    ("q_expectations", _l("Hur väl motsvarade servicen dina förväntningar?")),
    ("q_ideal", _l("Hur nära en ideal service kom den?")),
]

SERVICE_FACTORS: list[tuple[str, str, str]] = [
    ("f_information", _l("Information"), _l("Hur nöjd är du med informationen du fick?")),
    ("f_tillganglighet", _l("Tillgänglighet"), _l("Hur lätt var det att komma i kontakt med oss?")),
    ("f_bemotande", _l("Bemötande"), _l("Hur nöjd är du med bemötandet?")),
    ("f_kompetens", _l("Kompetens"), _l("Hur nöjd är du med kompetensen hos dem du träffade?")),
    (
        "f_rattssakerhet",
        _l("Rättssäkerhet"),
        _l("Hur väl upplevde du att ärendet hanterades korrekt och opartiskt?"),
    ),
    (
        "f_effektivitet",
        _l("Effektivitet"),
        _l("Hur nöjd är du med hur snabbt och smidigt ärendet hanterades?"),
    ),
]

NKI_FIELDS = [question[0] for question in NKI_QUESTIONS]
FACTOR_FIELDS = [factor[0] for factor in SERVICE_FACTORS]


def new_token() -> str:
    """A fresh single-use survey token for a link."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of a token (hex SHA-256)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def rescale(value: float) -> float:
    """A 1–10 value on the 0–100 index scale."""
    return (value - 1) / 9 * 100


def nki_of(q_overall: int, q_expectations: int, q_ideal: int) -> float:
    """NKI of one answer: the mean of the three NKI questions rescaled to 0–100."""
    for value in (q_overall, q_expectations, q_ideal):
        if value not in SCALE:
            raise ValueError(f"NKI answers are 1–10, got {value!r}")
    return rescale((q_overall + q_expectations + q_ideal) / 3)


@dataclass(frozen=True)
class GroupResult:
    """Results of one group (a case type in a period). `nki` and `factors` are None when the
    group has fewer than MIN_ANSWERS answers (then only the count is shown)."""

    label: str
    answers: int
    nki: float | None
    factors: dict[str, float | None]

    @property
    def shown(self) -> bool:
        return self.nki is not None


def group_result(
    label: str, rows: Sequence[Sequence[int | None]], min_answers: int = MIN_ANSWERS
) -> GroupResult:
    """Aggregate rows of (q_overall, q_expectations, q_ideal, f_information … f_effektivitet).

    Service factors are each rescaled to 0–100 over the answers that rated them; a factor is
    None when fewer than `min_answers` rated it.
    """
    count = len(rows)
    if count < min_answers:
        return GroupResult(label, count, None, {name: None for name in FACTOR_FIELDS})
    nki = sum(nki_of(r[0], r[1], r[2]) for r in rows) / count  # type: ignore[arg-type]
    factors: dict[str, float | None] = {}
    for index, name in enumerate(FACTOR_FIELDS, start=3):
        rated = [r[index] for r in rows if r[index] is not None]
        factors[name] = rescale(sum(rated) / len(rated)) if len(rated) >= min_answers else None  # type: ignore[arg-type]
    return GroupResult(label, count, nki, factors)


def parse_scale(raw: str | None, *, required: bool) -> int | None:
    """A submitted radio value: "1"…"10" → int; "" / None → None (an error when required);
    anything else → ValueError."""
    if raw is None or raw == "" or raw == "vet-ej":
        if required:
            raise ValueError("required")
        return None
    if not raw.isdigit() or int(raw) not in SCALE:
        raise ValueError("out of range")
    return int(raw)


def mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None
