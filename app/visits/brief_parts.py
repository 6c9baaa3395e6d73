"""Parts of the visit brief added for issue 15 (app.visits.brief composes them): the last
contacts with a line each, the permit clock as "X dagar kvar av Y", recent permit guidance and
the next step of each open lots case. Each part is one query, whatever the company's history.

What counts as the company's *asks* and our *promises* (the brief's section "Företagets ärenden
och våra löften"):

* **asks** – the company's open lots cases (it asked the kommun for something that is not
  settled), each with its next step: the earliest open action (follow-up with `case_id`);
* **promises** – open follow-ups on the company that someone at the kommun has to do (the
  promises made at earlier visits are among them, marked with their visit's date), not the
  case actions already shown as next steps.

Restricted records follow the brief's rule: what the reader may not read is left out, what it
shows of a restricted record is an audited read (app.core.restriction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.core import restriction
from app.core.time import to_local
from app.extensions import db
from app.followups.models import OPEN as FOLLOWUP_OPEN
from app.followups.models import FollowUp

LAST_CONTACTS = 5
GUIDANCE_MONTHS = 12
MAX_GUIDANCE = 5
LINE_CHARS = 140


@dataclass(frozen=True)
class ContactLine:
    occurred_at: datetime
    kind_label: str
    subject: str
    note: str  # the first line of the notes, shortened
    who: str

    @property
    def text(self) -> str:
        """Subject and first line of the notes as one line."""
        line = f"{self.subject}: {self.note}" if self.subject and self.note else self.subject or self.note
        return line if len(line) <= LINE_CHARS else line[: LINE_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class GuidanceLine:
    given_on: date
    permit_name: str


def first_line(text: str) -> str:
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()
    return ""


def last_contacts(company_id: int, actor: User) -> list[ContactLine]:
    """The company's last few contacts the reader may read, newest first (one query)."""
    from app.interactions.models import Interaction

    rows = db.session.scalars(
        sa.select(Interaction)
        .where(
            Interaction.company_id == company_id,
            Interaction.deleted_at.is_(None),
            restriction.readable_clause(actor, "interaction"),
        )
        .options(joinedload(Interaction.author))
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(LAST_CONTACTS)
    ).all()
    verdicts = restriction.judge(actor, rows, interaction=lambda i: i.id)
    lines = []
    for verdict, row in zip(verdicts, rows, strict=True):
        if not restriction.reveal(actor, verdict, where="besöksunderlag"):  # untranslated: audit trail
            continue  # left out (cannot happen after the clause, but never shown masked)
        lines.append(
            ContactLine(
                occurred_at=row.occurred_at,
                kind_label=row.kind_label,
                subject=row.subject.strip(),
                note=first_line(row.notes),
                who=row.author.name,
            )
        )
    return lines


def permit_guidance(company_id: int, actor: User, since: datetime) -> list[GuidanceLine]:
    """Permit guidance given in the company's contacts since `since`, newest first, each permit
    type once (one query)."""
    from app.catalogues.models import PermitType
    from app.interactions.models import Interaction, PermitGuidance

    rows = db.session.execute(
        sa.select(Interaction.id, Interaction.occurred_at, PermitType.name)
        .select_from(PermitGuidance)
        .join(Interaction, Interaction.id == PermitGuidance.interaction_id)
        .join(PermitType, PermitType.id == PermitGuidance.permit_type_id)
        .where(
            Interaction.company_id == company_id,
            Interaction.deleted_at.is_(None),
            Interaction.occurred_at >= since,
            restriction.readable_clause(actor, "interaction"),
        )
        .order_by(Interaction.occurred_at.desc(), PermitGuidance.id.desc())
        .limit(MAX_GUIDANCE * 4)
    ).all()
    verdicts = restriction.judge(actor, rows, interaction=lambda r: r[0])
    lines: dict[str, GuidanceLine] = {}
    for verdict, (_id, at, name) in zip(verdicts, rows, strict=True):
        if name in lines or len(lines) >= MAX_GUIDANCE:
            continue
        if restriction.reveal(actor, verdict, where="besöksunderlag"):  # untranslated: audit trail
            lines[name] = GuidanceLine(given_on=to_local(at).date(), permit_name=name)
    return list(lines.values())


def countdown(deadline: date | None, start: date | None, today: date) -> str:
    """The statutory clock as the brief says it: "X dagar kvar av Y" or "passerad"."""
    if deadline is None:
        return ""
    if deadline < today:
        return _("passerad")
    left = (deadline - today).days
    if start is None or start > deadline:
        return _("%(left)s dagar kvar", left=left)
    return _("%(left)s dagar kvar av %(total)s", left=left, total=(deadline - start).days)


def next_steps(case_ids: list[int], actor: User) -> dict[int, FollowUp]:
    """The earliest open action of each case (one query)."""
    if not case_ids:
        return {}
    rows = db.session.scalars(
        sa.select(FollowUp)
        .where(
            FollowUp.case_id.in_(case_ids),
            FollowUp.status == FOLLOWUP_OPEN,
            restriction.inherited_clause(actor, interaction=FollowUp.interaction_id, case=FollowUp.case_id),
        )
        .options(joinedload(FollowUp.assignee))
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(200)
    ).all()
    steps: dict[int, FollowUp] = {}
    for f in rows:
        steps.setdefault(f.case_id, f)  # type: ignore[arg-type]
    return steps
