"""A company's open cases as choices for another feature's form (app.core.case_choices)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.cases import workflow
from app.cases.models import LotsCase
from app.core import restriction
from app.extensions import db

MAX_CHOICES = 30  # a company has a handful of open cases; a cap keeps the page bounded anyway


def open_case_choices(company_id: int, actor: Any) -> list[tuple[int, str]]:
    """The company's open cases `actor` may read, newest first, labelled with title and number."""
    rows = db.session.execute(
        sa.select(LotsCase.id, LotsCase.title)
        .where(
            LotsCase.company_id == company_id,
            LotsCase.status != workflow.CaseStatus.CLOSED.value,
            restriction.readable_clause(actor, "case"),
        )
        .order_by(LotsCase.intake_on.desc(), LotsCase.id.desc())
        .limit(MAX_CHOICES)
    )
    return [(case_id, _("%(title)s (nr %(id)s)", title=title, id=case_id)) for case_id, title in rows]
