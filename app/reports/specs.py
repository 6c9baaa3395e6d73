"""The figures of a report, declared: which value, under which label, in which section, who may
open its drill-down and where that leads. app.reports.figures.build_report renders this list
with one loop; the values come from app.reports.counting, keyed by `FigureSpec.key`.

A spec with `per` set is a family: one figure per contact kind, focus area, referral partner or
user (`Family` says how a member names, labels and narrows its figure). The focus-area and user
families fill the rows of those tables (`FocusRow`/`UserRow`, the attribute `column`); the others
append to their section in order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from app.cases.report_queries import OPEN_CASE_ALERT_DAYS
from app.cases.survey import MIN_ANSWERS
from app.core.permissions import Perm

# The sections of a report: (Report attribute, heading) in the order of the dashboard and exports.
SECTIONS = [
    ("headline", _l("Nyckeltal")),
    ("contacts_by_kind", _l("Kontakter per typ")),
    ("contacts_by_focus", _l("Kontakter per fokusområde")),
    ("visits", _l("Företagsbesök")),
    ("cases", _l("Lotsärenden")),
    ("followups", _l("Uppföljningar")),
    ("referrals", _l("Hänvisningar per partner")),
    ("survey", _l("Nöjdhet (NKI)")),
]
FOCUS_ROWS, USER_ROWS = "focus_rows", "user_rows"  # the per-focus-area and per-user tables


@dataclass(frozen=True)
class Family:
    """One figure per member (contact kind, focus area, partner, user) of a spec with `per`."""

    name: str
    key: str = "{key}:{id}"  # a member figure's key
    own_label: bool = False  # True: labelled with the spec's label (a table column), else the member's name
    narrows: str = ""  # the Scope field a member narrows the drill-down to
    contact_arg: str = ""  # the contact-list filter a member sets (drill to the contact list)
    records_arg: bool = False  # True: the records list takes the member as "key:member"


KIND = Family("kind", contact_arg="kind")
FOCUS_AREA = Family("focus_area", narrows="focus_area_id")
PARTNER = Family("partner", records_arg=True)
USER = Family("user", key="user.{key}:{id}", own_label=True, narrows="user_id")

# `drill`: the contact list (interactions.list with the scope's filter), not a records list.
CONTACT_LIST = "contacts"
# The companies of the counted contacts (app.reports.drilldown_companies).
COMPANY_LIST = "companies.reached"


@dataclass(frozen=True)
class FigureSpec:
    key: str  # the value in app.reports.counting.values / user_values
    label: str  # "" for a family labelled by its members
    section: str  # a Report attribute (SECTIONS, FOCUS_ROWS or USER_ROWS)
    perm: Perm = Perm.VIEW_CASES  # needed to open the drill-down
    drill: str = ""  # CONTACT_LIST, a records list of app.reports.drilldown, or "" for `key`'s
    per: Family | None = None  # a family: KIND, FOCUS_AREA, PARTNER or USER
    column: str = ""  # FocusRow attribute of a FOCUS_ROWS spec
    unit: str = ""
    note_if_none: str = ""  # shown when the value is None (too few answers)
    contact_filter: tuple[tuple[str, Any], ...] = ()  # CONTACT_LIST drill: extra contact-list filters


def _contacts(key: str, label: str, section: str, **kw: Any) -> FigureSpec:
    return FigureSpec(key, label, section, Perm.VIEW_CONTACTS, CONTACT_LIST, **kw)


_VISITS, _FOLLOWUPS, _CONTACTS = Perm.VIEW_VISITS, Perm.VIEW_FOLLOWUPS, Perm.VIEW_CONTACTS

FIGURES: list[FigureSpec] = [
    _contacts("contacts.total", _l("Kontakter"), "headline"),
    # Companies drill down to the companies (app.reports.drilldown_companies), not to contacts.
    FigureSpec("contacts.companies", _l("Företag som fått kontakt"), "headline", _CONTACTS, COMPANY_LIST),
    FigureSpec("visits.done", _l("Företagsbesök"), "headline", _VISITS),
    FigureSpec("cases.new", _l("Nya lotsärenden"), "headline"),
    FigureSpec("cases.closed", _l("Avslutade lotsärenden"), "headline"),
    FigureSpec("followups.overdue", _l("Försenade uppföljningar vid periodens slut"), "headline", _FOLLOWUPS),
    _contacts("contacts.total", _l("Kontakter"), "contacts_by_kind"),
    _contacts("contacts.kind", "", "contacts_by_kind", per=KIND),
    # Issue 15: the kind says how (a phone call about a permit is a phone call); permit guidance
    # stays visible as the contacts with permit rows, whatever their kind.
    _contacts(
        "contacts.permits",
        _l("Kontakter som gällde tillstånd"),
        "contacts_by_kind",
        contact_filter=(("concerns_permits", True),),
    ),
    _contacts("contacts.focus", "", "contacts_by_focus", per=FOCUS_AREA),
    FigureSpec("visits.done", _l("Genomförda företagsbesök"), "visits", _VISITS),
    FigureSpec("visits.ledning", _l("varav med kommunledningen"), "visits", _VISITS),
    FigureSpec("cases.new", _l("Nya"), "cases"),
    FigureSpec("cases.closed", _l("Avslutade"), "cases"),
    FigureSpec("cases.open", _l("Öppna vid periodens slut"), "cases"),
    FigureSpec(
        "cases.days_median", _l("Dagar till avslut, median"), "cases", drill="cases.closed", unit=_l("dagar")
    ),
    FigureSpec(
        "cases.days_p90",
        _l("Dagar till avslut, 90:e percentilen"),
        "cases",
        drill="cases.closed",
        unit=_l("dagar"),
    ),
    FigureSpec("cases.over90", _l("Öppna längre än %(days)s dagar", days=OPEN_CASE_ALERT_DAYS), "cases"),
    FigureSpec("cases.large_new", _l("Nya större etableringar"), "cases"),
    FigureSpec("permits.passed", _l("Passerade lagstadgade handläggningstider"), "cases"),
    FigureSpec("followups.on_time", _l("Klara i tid"), "followups", _FOLLOWUPS),
    FigureSpec("followups.late", _l("Klara för sent"), "followups", _FOLLOWUPS),
    FigureSpec("followups.overdue", _l("Öppna och försenade vid periodens slut"), "followups", _FOLLOWUPS),
    FigureSpec("referrals.total", _l("Hänvisningar totalt"), "referrals", _CONTACTS),
    FigureSpec("referrals.partner", "", "referrals", _CONTACTS, per=PARTNER),
    FigureSpec("survey.answers", _l("Enkätsvar"), "survey"),
    FigureSpec(
        "survey.nki",
        _l("NKI för lotsärenden (0–100)"),
        "survey",
        drill="survey.answers",
        note_if_none=_l("Visas först vid minst %(answers)s svar.", answers=MIN_ANSWERS),
    ),
    # The per-focus-area table (export labels: `label`).
    _contacts("contacts.focus", _l("Kontakter"), FOCUS_ROWS, per=FOCUS_AREA, column="contacts"),
    FigureSpec(
        "contacts.companies_focus",
        _l("Företag"),
        FOCUS_ROWS,
        _CONTACTS,
        COMPANY_LIST,
        FOCUS_AREA,
        "companies",
    ),
    FigureSpec(
        "cases.new_focus",
        _l("Nya ärenden"),
        FOCUS_ROWS,
        drill="cases.new",
        per=FOCUS_AREA,
        column="cases_new",
    ),
    FigureSpec(
        "cases.closed_focus",
        _l("Avslutade ärenden"),
        FOCUS_ROWS,
        drill="cases.closed",
        per=FOCUS_AREA,
        column="cases_closed",
    ),
    FigureSpec(
        "visits.focus",
        _l("Företagsbesök"),
        FOCUS_ROWS,
        _VISITS,
        "visits.done",
        per=FOCUS_AREA,
        column="visits",
    ),
    # The per-user table (chef): app.reports.counting.user_values.
    _contacts("contacts", _l("Kontakter"), USER_ROWS, per=USER),
    FigureSpec("cases_new", _l("Nya ärenden"), USER_ROWS, drill="cases.new", per=USER),
    FigureSpec("cases_closed", _l("Avslutade ärenden"), USER_ROWS, drill="cases.closed", per=USER),
    FigureSpec(
        "followups_on_time", _l("Uppföljningar i tid"), USER_ROWS, _FOLLOWUPS, "followups.on_time", per=USER
    ),
    FigureSpec("followups_late", _l("Uppföljningar sena"), USER_ROWS, _FOLLOWUPS, "followups.late", per=USER),
    FigureSpec(
        "followups_overdue",
        _l("Försenade vid periodens slut"),
        USER_ROWS,
        _FOLLOWUPS,
        "followups.overdue",
        per=USER,
    ),
    FigureSpec("visits", _l("Besök"), USER_ROWS, _VISITS, "visits.done", per=USER),
]
