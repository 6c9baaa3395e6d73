"""Retention (gallring) bound to the kommun's gallringsbeslut.

One rule per record type: keep, or delete/anonymise N years after closure or last activity.
A rule does nothing until its gallringsbeslut reference and date are entered (the service
refuses to save a deleting rule without them, and the run skips any rule that lacks them).
`apply_retention` (nightly job "privacy.apply_retention", or "Kör gallring nu") applies the
active rules; each run writes a gallringsprotokoll – also when nothing was due – which no rule
can remove. Each feature's target only touches records not already handled, so a second run
finds nothing.

Deletion is offered only for record types that no other table references (follow-ups,
survey answers, outbox mail, sign-in attempts, the audit trail); contacts, contact persons,
cases and visits are anonymised instead, which keeps the rows, foreign keys and statistics.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit import personal_data as audit_data
from app.audit import services as audit
from app.auth import personal_data as auth_data
from app.cases import personal_data as case_data
from app.companies import personal_data as company_data
from app.core.codes import swedish
from app.core.errors import NotFound, ValidationError
from app.core.permissions import Perm, require
from app.core.personal_data import RetentionTarget, Subject
from app.core.time import utcnow
from app.extensions import db
from app.followups import personal_data as followup_data
from app.interactions import personal_data as interaction_data
from app.mail import personal_data as mail_data
from app.privacy.models import ACTION_LABELS, KEEP, DisposalRun, DisposalRunItem, RetentionRule
from app.visits import personal_data as visit_data

PERSONS_PER_RUN = 500


def _count_persons(cutoff: datetime, action: str = "anonymise") -> int:
    return company_data.count_persons_due(cutoff)


def _apply_persons(cutoff: datetime, action: str, now: datetime) -> int:
    """Each contact person who left long ago is anonymised like a person on request (every
    record naming them), without the open-case check: they have left the company. Each one
    scans the free-text columns, so a run takes at most PERSONS_PER_RUN; the next night goes on
    (the protocol counts what was done)."""
    from app.privacy.services import anonymise_values

    ids = company_data.persons_due(cutoff, limit=PERSONS_PER_RUN)
    for person_id in ids:
        values = company_data.subject_values({person_id}, set())
        subject = Subject(
            contact_person_ids=frozenset({person_id}),
            names=frozenset(values["names"]),
            emails=frozenset(values["emails"]),
            phones=frozenset(values["phones"]),
        )
        anonymise_values(subject, now)
    return len(ids)


def targets() -> list[RetentionTarget]:
    """Every record type a rule can act on, in the order of the admin screen."""
    return [
        *interaction_data.RETENTION_TARGETS,
        RetentionTarget(
            "contact_persons",
            _l("Kontaktpersoner (som slutat)"),
            _l("år efter att personen slutade hos företaget"),
            ("anonymise",),
            _count_persons,
            _apply_persons,
        ),
        *case_data.RETENTION_TARGETS,
        *followup_data.RETENTION_TARGETS,
        *visit_data.RETENTION_TARGETS,
        *mail_data.RETENTION_TARGETS,
        *auth_data.RETENTION_TARGETS,
        *audit_data.RETENTION_TARGETS,
    ]


def get_target(key: str) -> RetentionTarget:
    for target in targets():
        if target.key == key:
            return target
    raise NotFound(_("Okänd posttyp."))


def rules() -> dict[str, RetentionRule]:
    return {rule.record_type: rule for rule in db.session.scalars(sa.select(RetentionRule))}


@dataclass(frozen=True)
class RuleInput:
    action: str
    years: int | None
    decision_reference: str
    decision_on: date | None


def save_rule(key: str, data: RuleInput, *, actor: Any, expected_version: int | None = None) -> RetentionRule:
    """Set the rule of a record type. Deleting or anonymising needs the number of years and a
    gallringsbeslut (reference and date); without them the rule is refused. Audited; flushes."""
    from app.core.db import check_version

    require(actor, Perm.PRIVACY_MANAGE)
    target = get_target(key)
    if data.action != KEEP:
        if data.action not in target.actions:
            raise ValidationError(
                _(
                    "%(label)s kan inte %(action)ss.",
                    label=target.label,
                    action=str(ACTION_LABELS.get(data.action, data.action)).lower(),
                ),
                field="action",
            )
        if data.years is None or data.years < 0 or data.years > 100:
            raise ValidationError(_("Ange antal år (0–100)."), field="years")
        if not data.decision_reference.strip() or data.decision_on is None:
            raise ValidationError(
                _("Inget får gallras utan beslut: ange gallringsbeslutets diarienummer/paragraf och datum."),
                field="decision_reference",
            )
    rule = rules().get(key)
    if rule is None:
        rule = RetentionRule(record_type=key)
        db.session.add(rule)
    else:
        check_version(rule, expected_version)
    rule.action = data.action
    rule.years = data.years if data.action != KEEP else None
    rule.decision_reference = data.decision_reference.strip()
    rule.decision_on = data.decision_on
    rule.updated_by_id = actor.id
    label = swedish(target.label)
    if rule.id is None:
        audit.record_create(actor, rule, summary=f"Gallringsregel för {label}")  # untranslated: audit trail
    else:
        audit.record_update(
            actor,
            rule,
            summary=f"Gallringsregel för {label} ändrad",  # untranslated: audit trail
        )
    db.session.flush()
    return rule


def summary_text(counts: list[tuple[str, int]], total: int) -> str:
    """A run's result in a sentence, in the current language: (label, count) per active rule."""
    if not counts:
        return _("Ingen aktiv gallringsregel: inget gallrades.")
    if total == 0:
        return _("Inget att gallra (allt som reglerna omfattar är redan gallrat).")
    return _("Gallrat: %(lines)s", lines="; ".join(f"{label}: {count}" for label, count in counts))


def run_message(run: DisposalRun) -> str:
    """The result of a run for the user who started it, in their language (the stored
    `run.summary` is the Swedish record)."""
    labels = {t.key: t.label for t in targets()}
    items = db.session.scalars(
        sa.select(DisposalRunItem).where(DisposalRunItem.run_id == run.id).order_by(DisposalRunItem.id)
    )
    return summary_text([(str(labels.get(i.record_type, i.record_label)), i.count) for i in items], run.total)


def describe_rules() -> list[str]:
    """Each record type's rule in a sentence, for the registerutdrag (a document in Swedish:
    the caller evaluates it under force_locale("sv"))."""
    current = rules()
    lines = []
    for target in targets():
        rule = current.get(target.key)
        if rule is not None and rule.is_active:
            lines.append(
                f"{target.label}: {rule.action_label.lower()} {rule.years} {target.basis} "
                f"(gallringsbeslut {rule.decision_reference}, {rule.decision_on.isoformat()})."
            )
        else:
            lines.append(f"{target.label}: bevaras (inget gallringsbeslut).")
    return lines


def cutoff_for(rule: RetentionRule, now: datetime) -> datetime:
    """N years before now (365 days a year plus leap days; a day of slack is harmless)."""
    return now - timedelta(days=365 * (rule.years or 0) + (rule.years or 0) // 4)


@dataclass(frozen=True)
class PlannedItem:
    target: RetentionTarget
    rule: RetentionRule | None
    cutoff: datetime | None
    due: int

    @property
    def active(self) -> bool:
        return self.rule is not None and self.rule.is_active


def preview(now: datetime | None = None) -> list[PlannedItem]:
    """What the next run would do now: per record type its rule and how many records are due."""
    now = now or utcnow()
    current = rules()
    items = []
    for target in targets():
        rule = current.get(target.key)
        if rule is not None and rule.is_active:
            cutoff = cutoff_for(rule, now)
            items.append(PlannedItem(target, rule, cutoff, target.count_due(cutoff, rule.action)))
        else:
            items.append(PlannedItem(target, rule, None, 0))
    return items


def apply_retention(
    now: datetime | None = None, *, actor: Any = None, trigger: str = "schemalagd"
) -> DisposalRun:
    """Apply every active rule and write the gallringsprotokoll (one line per active rule,
    also with 0). A manual run needs Perm.PRIVACY_MANAGE; the job runs without an actor.
    Flushes; the caller commits."""
    if actor is not None:
        require(actor, Perm.PRIVACY_MANAGE)
    now = now or utcnow()
    run = DisposalRun(started_at=now, finished_at=now, trigger=trigger, actor_id=getattr(actor, "id", None))
    db.session.add(run)
    db.session.flush()
    total = 0
    counts: list[tuple[str, int]] = []
    current = rules()
    for target in targets():
        rule = current.get(target.key)
        if rule is None or not rule.is_active or rule.action not in target.actions:
            continue
        cutoff = cutoff_for(rule, now)
        count = target.apply(cutoff, rule.action, now)
        total += count
        label = swedish(target.label)
        counts.append((label, count))
        db.session.add(
            DisposalRunItem(
                run_id=run.id,
                record_type=target.key,
                record_label=label,
                action=rule.action,
                years=rule.years,
                cutoff=cutoff,
                decision_reference=rule.decision_reference,
                decision_on=rule.decision_on,
                count=count,
            )
        )
    run.total = total
    run.finished_at = utcnow() if trigger != "schemalagd" else now
    with force_locale("sv"):  # the protocol is a record, written in Swedish
        run.summary = summary_text(counts, total)
    audit.record(actor, "dispose", "disposal_runs", run.id, now=now, summary=run.summary[:300])
    db.session.flush()
    return run


def list_runs(limit: int = 100) -> list[DisposalRun]:
    return list(
        db.session.scalars(
            sa.select(DisposalRun).order_by(DisposalRun.started_at.desc(), DisposalRun.id.desc()).limit(limit)
        )
    )


def get_run(run_id: int) -> tuple[DisposalRun, list[DisposalRunItem]]:
    run = db.session.get(DisposalRun, run_id)
    if run is None:
        raise NotFound(_("Gallringsprotokollet finns inte."))
    items = list(
        db.session.scalars(
            sa.select(DisposalRunItem).where(DisposalRunItem.run_id == run.id).order_by(DisposalRunItem.id)
        )
    )
    return run, items
