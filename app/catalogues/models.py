"""Reference catalogues: permit types (tillstånd, anmälningar, registreringar) and referral partners.

Both are data that admin maintains; the migration 0004 seeds them from domain.md §2 and §1.5.
Rows are never deleted: a retired row stays on old contacts, cases and referrals but cannot be
chosen for new ones (the same rule as focus areas).

Statutory handling time (for the lots-case feature's decision-date clock): `statutory_time_value`
and `statutory_time_unit` ("weeks" | "months") give the time the law sets, counted from
`clock_starts` ("complete": a complete application, "submitted": the day it was submitted);
`extension_value`/`extension_unit` is the longest extension the law allows (PBL 9:27: once,
at most 10 weeks). NULL means the law sets no time (then `handling_note` says what is typical).
`lead_time_weeks` is how long before the start the application or notification should be in.
`time_is_statutory` says the time is set in law (lagstadgad), so lag (1930:173) 2 § (the
söndagsregel) moves a last day that falls on a Saturday, Sunday or holiday; a guidance time is
not moved. `pbl_three_week_rule` marks the types whose clock starts under PBL 9 kap. 22 och
27 §§ (lov, förhandsbesked, anmälan): see app/cases/statutory.py.

`ClosedDay`: extra days the kommun's offices are closed (klämdagar), on top of the Swedish
holidays of app.core.calendar. They move suggested dates and the digest, never a statutory
deadline.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import TimestampMixin, VersionedMixin
from app.extensions import db

TIME_UNITS: dict[str, str] = {"weeks": _l("veckor"), "months": _l("månader")}
CLOCK_STARTS: dict[str, str] = {
    "complete": _l("från komplett ansökan"),
    "submitted": _l("från inlämnad ansökan"),
}


def _duration(value: int | None, unit: str | None) -> str:
    if value is None or unit is None:
        return ""
    if unit == "weeks":
        return ngettext("%(num)s vecka", "%(num)s veckor", value)
    return ngettext("%(num)s månad", "%(num)s månader", value)


def _counted(duration: str, clock_starts: str) -> str:
    """ "10 veckor från komplett ansökan": one sentence per start, for the translator."""
    if clock_starts == "complete":
        return _("%(time)s från komplett ansökan", time=duration)
    if clock_starts == "submitted":
        return _("%(time)s från inlämnad ansökan", time=duration)
    return duration


class PermitType(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "permit_types"
    __table_args__ = (
        sa.CheckConstraint(
            "statutory_time_unit IS NULL OR statutory_time_unit IN ('weeks', 'months')",
            name="statutory_time_unit",
        ),
        sa.CheckConstraint(
            "extension_unit IS NULL OR extension_unit IN ('weeks', 'months')", name="extension_unit"
        ),
        sa.CheckConstraint("clock_starts IN ('complete', 'submitted')", name="clock_starts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A stable machine name ("bygglov") other features and imports can refer to.
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    law: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    deciding_body: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    statutory_time_value: Mapped[int | None]
    statutory_time_unit: Mapped[str | None] = mapped_column(sa.String(10))
    extension_value: Mapped[int | None]
    extension_unit: Mapped[str | None] = mapped_column(sa.String(10))
    clock_starts: Mapped[str] = mapped_column(sa.String(10), default="complete", server_default="complete")
    lead_time_weeks: Mapped[int | None]
    time_is_statutory: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    pbl_three_week_rule: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_skr_insikt_area: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    handling_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    e_service_url: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    retired_at: Mapped[datetime | None] = mapped_column(index=True)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def statutory_time_text(self) -> str:
        """ "10 veckor från komplett ansökan, kan förlängas med 10 veckor" or ""."""
        base = _duration(self.statutory_time_value, self.statutory_time_unit)
        if not base:
            return ""
        if self.pbl_three_week_rule:
            text = _("%(time)s enligt PBL:s treveckorsregel", time=base)
        else:
            text = _counted(base, self.clock_starts)
        if not self.time_is_statutory:
            text = _("%(time)s (vägledande, inte lagstadgad)", time=text)
        extension = _duration(self.extension_value, self.extension_unit)
        if extension:
            text = _("%(time)s, kan förlängas med högst %(extension)s", time=text, extension=extension)
        return text

    def __repr__(self) -> str:
        return f"<PermitType {self.code}>"


class ReferralPartner(TimestampMixin, VersionedMixin, db.Model):
    """An external organisation a company can be referred to (Almi, IUC Dalarna, …)."""

    __tablename__ = "referral_partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    retired_at: Mapped[datetime | None] = mapped_column(index=True)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def __repr__(self) -> str:
        return f"<ReferralPartner {self.name}>"


class ClosedDay(TimestampMixin, db.Model):
    """A day the kommun keeps its offices closed although it is a vardag (a klämdag)."""

    __tablename__ = "closed_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    reason: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    def __repr__(self) -> str:
        return f"<ClosedDay {self.day}>"
