"""Person-rights services: search a person, the registerutdrag (Art. 15), rectification
(Art. 16), objection (Art. 21) and anonymisation (gallring under a decision).

This package sits above every feature: it calls each feature's `personal_data` module (the
SQL on a feature's tables stays in that feature) and never touches their tables itself.
Services take `actor` and `now`, check Perm.PRIVACY_MANAGE, audit, flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from app.audit import personal_data as audit_data
from app.audit import services as audit
from app.auth import personal_data as auth_data
from app.cases import personal_data as case_data
from app.companies import personal_data as company_data
from app.companies.models import ContactPerson
from app.core.codes import swedish
from app.core.errors import NotFound, ValidationError
from app.core.permissions import Perm, require
from app.core.personal_data import PLACEHOLDER, Candidate, FoundRecord, Subject, replace_all
from app.core.time import utcnow
from app.extensions import db
from app.followups import personal_data as followup_data
from app.interactions import personal_data as interaction_data
from app.mail import personal_data as mail_data
from app.privacy.models import (
    ANONYMISATION,
    OBJECTION,
    OBJECTION_LIFTED,
    RECTIFICATION,
    DisposalRun,
    DisposalRunItem,
    PersonRightsEvent,
)
from app.visits import personal_data as visit_data

KINDS = ("contact_person", "user", "company", "guest")

# What the extract tells the person (Art. 15(1) a–h); the kommun adjusts the texts below in
# its own information (README "Personuppgifter och arkiv"). The registerutdrag is a document in
# Swedish for the data subject, whatever language the administrator reads Lotsbok in; the keys
# are looked up by the template.
EXTRACT_INFO = {
    "ändamål": "Kommunens näringslivsarbete: service och lotsning till företag, kontakter, lotsärenden, "  # untranslated: registerutdrag (document in Swedish)
    "företagsbesök, uppföljning och statistik (kommunallagen 2 kap. 8 §).",
    "rättslig grund": "Allmänt intresse/myndighetsutövning, artikel 6.1 e dataskyddsförordningen, "  # untranslated: registerutdrag (document in Swedish)
    "dataskyddslagen (2018:218) 2 kap. 2 §.",
    "mottagare": "Handläggare på näringslivskontoret och, för sina delar, kommunledning och chefer. "  # untranslated: registerutdrag (document in Swedish)
    "Uppgifterna är allmänna handlingar och kan lämnas ut efter sekretessprövning (OSL). "
    "Inga uppgifter förs över till tredje land.",
    "lagring": "Uppgifterna bevaras eller gallras enligt kommunens gallringsbeslut (arkivlagen 1990:782). "  # untranslated: registerutdrag (document in Swedish)
    "Gällande regler per posttyp står under ”Gallring”.",
    "rättigheter": "Du har rätt att begära rättelse, begränsning och att invända mot behandlingen. "  # untranslated: registerutdrag (document in Swedish)
    "Radering sker bara när ett gallringsbeslut tillåter det.",
    "klagomål": "Du kan klaga till Integritetsskyddsmyndigheten (IMY), Box 8114, 104 20 Stockholm, imy.se.",  # untranslated: registerutdrag (document in Swedish)
    "källa": "Uppgifterna kommer från dig, från ditt företag eller från offentliga register (Bolagsverket, SCB).",  # untranslated: registerutdrag (document in Swedish)
}


# ------------------------------------------------------------------------------ search


def search(query: str, *, actor: Any) -> list[Candidate]:
    """Everyone whose name, e-mail, phone or personnummer matches: contact persons (every row,
    also on merged and deleted companies), sole traders, kommun users and lotsmöte guests.
    Two people with the same name are two candidates; the administrator picks."""
    require(actor, Perm.PRIVACY_MANAGE)
    query = (query or "").strip()
    if len(query) < 2:
        raise ValidationError(
            _("Skriv minst två tecken: namn, e-post, telefon eller personnummer."), field="q"
        )
    return company_data.candidates(query) + auth_data.candidates(query) + case_data.guest_candidates(query)


def parse_keys(keys: list[str]) -> dict[str, set[int]]:
    """["contact_person:12", "user:3"] → {"contact_person": {12}, "user": {3}, …}."""
    picked: dict[str, set[int]] = {kind: set() for kind in KINDS}
    for key in keys:
        kind, _sep, raw = key.partition(":")
        if kind not in picked or not raw.isdigit():
            raise ValidationError(_("Okänd person i urvalet."), field="p")
        picked[kind].add(int(raw))
    if not any(picked.values()):
        raise ValidationError(_("Välj minst en person i sökresultatet."), field="p")
    return picked


def subject_for(keys: list[str]) -> Subject:
    """The subject made of the picked records, with their identifying values."""
    picked = parse_keys(keys)
    values = company_data.subject_values(picked["contact_person"], picked["company"])
    for extra in (
        auth_data.user_values(picked["user"]) if picked["user"] else {},
        case_data.guest_values(picked["guest"]) if picked["guest"] else {},
    ):
        for key, found in extra.items():
            values.setdefault(key, set()).update(found)
    subject = Subject(
        contact_person_ids=frozenset(picked["contact_person"]),
        user_ids=frozenset(picked["user"]),
        company_ids=frozenset(picked["company"]),
        guest_ids=frozenset(picked["guest"]),
        names=frozenset(values.get("names", set())),
        emails=frozenset(values.get("emails", set())),
        phones=frozenset(values.get("phones", set())),
        personal_numbers=frozenset(values.get("personal_numbers", set())),
    )
    if not (subject.names or subject.emails):
        raise NotFound(_("Personen finns inte."))
    return subject


# ------------------------------------------------------------------------------ extract


@dataclass
class Extract:
    subject: Subject
    generated_at: datetime
    records: list[FoundRecord]
    info: dict[str, str] = field(default_factory=lambda: dict(EXTRACT_INFO))
    retention: list[str] = field(default_factory=list)

    @property
    def needs_secrecy_review(self) -> bool:
        """Some record is marked as possibly secret: sekretessprövning before release."""
        return any(r.restricted for r in self.records)

    def by_category(self) -> list[tuple[str, list[FoundRecord]]]:
        groups: dict[str, list[FoundRecord]] = {}
        for record in self.records:
            groups.setdefault(record.category, []).append(record)
        return list(groups.items())

    def as_json(self) -> dict[str, Any]:
        return {
            "typ": "registerutdrag",
            "skapad": self.generated_at.isoformat(),
            "person": {
                "namn": sorted(self.subject.names),
                "e-post": sorted(e for e in self.subject.emails if e),
                "telefon": sorted(p for p in self.subject.phones if p),
                "personnummer": sorted(self.subject.personal_numbers),
            },
            "sekretessprovning_kravs": self.needs_secrecy_review,
            "information": self.info,
            "gallring": self.retention,
            "poster": [r.as_json() for r in self.records],
        }


def _rights_events(subject: Subject) -> list[FoundRecord]:
    conditions = []
    if subject.contact_person_ids:
        conditions.append(
            sa.and_(
                PersonRightsEvent.entity_type == "contact_persons",
                PersonRightsEvent.entity_id.in_(subject.contact_person_ids),
            )
        )
    if subject.company_ids:
        conditions.append(
            sa.and_(
                PersonRightsEvent.entity_type == "companies",
                PersonRightsEvent.entity_id.in_(subject.company_ids),
            )
        )
    if not conditions:
        return []
    found = []
    for event in db.session.scalars(
        sa.select(PersonRightsEvent).where(sa.or_(*conditions)).order_by(PersonRightsEvent.at)
    ):
        # The registerutdrag is a document in Swedish (build_extract evaluates it under "sv").
        fields = {
            "Fält": event.field,  # untranslated: registerutdrag (document in Swedish)
            "Före": event.old_value,  # untranslated: registerutdrag (document in Swedish)
            "Efter": event.new_value,
            "Skäl": event.reason,  # untranslated: registerutdrag (document in Swedish)
            "Beslut": event.decision_reference,
        }
        found.append(
            FoundRecord(
                "Rättelser och invändningar",  # untranslated: registerutdrag (document in Swedish)
                "privacy_events",
                event.id,
                str(event.kind_label),
                event.at,
                {k: v for k, v in fields.items() if v},
            )
        )
    return found


def collect(subject: Subject) -> list[FoundRecord]:
    """Every record that names the subject, from every feature."""
    values = subject.identifying_values()
    records: list[FoundRecord] = []
    records += company_data.find(subject)
    records += auth_data.find(subject)
    records += interaction_data.find(subject, values)
    case_ids = interaction_data.case_ids_of(subject, values)
    records += case_data.find(subject, values, case_ids)
    records += visit_data.find(subject, values)
    related: dict[str, set[int]] = {}
    for record in records:
        related.setdefault(record.entity_type, set()).add(record.entity_id)
    records += followup_data.find(subject, values, related)
    records += mail_data.find(subject, values)
    records += _rights_events(subject)
    own = {
        "contact_persons": set(subject.contact_person_ids),
        "companies": set(subject.company_ids),
        "users": set(subject.user_ids),
        "lots_meeting_guests": set(subject.guest_ids),
    }
    records += audit_data.find(own, set(subject.user_ids), values)
    return records


def build_extract(subject: Subject, *, actor: Any, now: datetime | None = None) -> Extract:
    """The registerutdrag: every record naming the subject, restricted content included and
    the extract marked for sekretessprövning if any. Audited (action "export"); flushes."""
    require(actor, Perm.PRIVACY_MANAGE)
    now = now or utcnow()
    from app.privacy.retention import describe_rules

    # The registerutdrag is a document in Swedish for the data subject: its records and rules
    # are written in Swedish whatever language the administrator reads Lotsbok in.
    with force_locale("sv"):
        extract = Extract(subject, now, [_plain(r) for r in collect(subject)], retention=describe_rules())
    picked = [
        f"{kind}:{i}"
        for kind, ids in (
            ("contact_person", subject.contact_person_ids),
            ("user", subject.user_ids),
            ("company", subject.company_ids),
            ("guest", subject.guest_ids),
        )
        for i in sorted(ids)
    ]
    summary = (
        f"Registerutdrag ({len(extract.records)} poster) för {', '.join(picked)}"  # untranslated: audit trail
    )
    if extract.needs_secrecy_review:
        summary += " – sekretessprövning krävs före utlämnande"  # untranslated: audit trail
    audit.record(actor, "export", "registerutdrag", None, now=now, summary=summary)
    db.session.flush()
    return extract


def _plain(record: FoundRecord) -> FoundRecord:
    """The record with its texts as plain strings in the current (forced) language: a feature
    may label its records with lazy texts, which JSON cannot hold."""
    return replace(
        record,
        category=str(record.category),
        title=str(record.title),
        fields={str(k): str(v) for k, v in record.fields.items()},
        note=str(record.note),
    )


# ------------------------------------------------------------------------------ rectification, objection


def _person(person_id: int) -> ContactPerson:
    person = db.session.get(ContactPerson, person_id)
    if person is None:
        raise NotFound(_("Kontaktpersonen finns inte."))
    return person


def rectify(
    person_id: int, field_name: str, value: str, reason: str, *, actor: Any, now: datetime | None = None
) -> PersonRightsEvent:
    """Correct a contact person's field (Art. 16) and log old → new, who, when and why.
    Raises ValidationError (no reason, same value, bad e-mail), NotFound. Flushes."""
    require(actor, Perm.PRIVACY_MANAGE)
    if not reason.strip():
        raise ValidationError(_("Ange varför uppgiften rättas."), field="reason")
    person = _person(person_id)
    old, new = company_data.rectify_contact_person(
        person, field_name, value, actor=actor, authorised_by=Perm.PRIVACY_MANAGE
    )
    event = PersonRightsEvent(
        at=now or utcnow(),
        kind=RECTIFICATION,
        actor_id=actor.id,
        entity_type="contact_persons",
        entity_id=person.id,
        field=swedish(company_data.RECTIFIABLE[field_name]),
        old_value=old,
        new_value=new,
        reason=reason.strip(),
    )
    db.session.add(event)
    db.session.flush()
    return event


def set_objection(
    person_id: int, objected: bool, reason: str, *, actor: Any, now: datetime | None = None
) -> bool:
    """Record an objection (Art. 21: every mailing to the person stops) or lift it. Returns
    False if nothing changed. Raises ValidationError without a reason. Flushes."""
    require(actor, Perm.PRIVACY_MANAGE)
    if not reason.strip():
        raise ValidationError(_("Ange skälet (t.ex. hur och när personen invände)."), field="reason")
    now = now or utcnow()
    person = _person(person_id)
    if not company_data.set_objection(
        person, objected, actor=actor, authorised_by=Perm.PRIVACY_MANAGE, now=now
    ):
        return False
    db.session.add(
        PersonRightsEvent(
            at=now,
            kind=OBJECTION if objected else OBJECTION_LIFTED,
            actor_id=actor.id,
            entity_type="contact_persons",
            entity_id=person.id,
            reason=reason.strip(),
        )
    )
    db.session.flush()
    return True


# ------------------------------------------------------------------------------ anonymisation


@dataclass(frozen=True)
class AnonymisationPreview:
    changes: list[str]
    refusals: list[str]
    record_count: int

    @property
    def allowed(self) -> bool:
        return not self.refusals


def anonymisation_preview(subject: Subject, *, actor: Any) -> AnonymisationPreview:
    """Exactly what an anonymisation would change, and why it would be refused."""
    require(actor, Perm.PRIVACY_MANAGE)
    refusals = [str(r) for r in case_data.open_case_reasons(subject)]
    if subject.user_ids:
        refusals.append(_("Användarkonton anonymiseras inte här: inaktivera kontot under Admin → Användare."))
    records = collect(subject)
    values = subject.identifying_values()
    changes = [str(c) for c in company_data.describe_anonymisation(subject)]
    changes.append(
        _(
            "Dessa värden ersätts med %(placeholder)s överallt där de förekommer, också i fritext, e-post "
            "och händelseloggen: %(values)s.",
            placeholder=PLACEHOLDER,
            values=", ".join(f"”{v}”" for v in values),
        )
    )
    counts: dict[str, int] = {}
    for record in records:
        if record.entity_type not in ("contact_persons", "companies"):
            counts[record.category] = counts.get(record.category, 0) + 1
    if counts:
        changes.append(
            _(
                "Poster som nämner personen: %(counts)s.",
                counts=", ".join(f"{category} {n}" for category, n in counts.items()),
            )
        )
    if subject.guest_ids:
        changes.append(
            _(
                "Gäster på lotsmöten: namn ersätts med %(placeholder)s, e-postadressen tas bort.",
                placeholder=PLACEHOLDER,
            )
        )
    changes.append(_("Rader, datum, fokusområden och utfall ligger kvar: statistiken ändras inte."))
    return AnonymisationPreview(changes, refusals, len(records))


def anonymise(
    subject: Subject, decision_reference: str, *, actor: Any, now: datetime | None = None
) -> DisposalRun:
    """Replace the subject's identifying fields with a placeholder in every record (gallring,
    irreversible). Requires a gallringsbeslut or legal ground; refused for a participant of an
    open case. Writes the person-rights log, the audit trail and a gallringsprotokoll. Raises
    ValidationError (no decision reference), Conflict (open case, user account). Flushes."""
    from app.core.errors import Conflict

    require(actor, Perm.PRIVACY_MANAGE)
    decision_reference = (decision_reference or "").strip()
    if not decision_reference:
        raise ValidationError(
            _(
                "Anonymisering är gallring: ange gallringsbeslutet (t.ex. KS 2026/123, § 45) eller den rättsliga grunden."
            ),
            field="decision_reference",
        )
    reasons = [str(r) for r in case_data.open_case_reasons(subject)]
    if subject.user_ids:
        reasons.append(_("Användarkonton anonymiseras inte här."))
    if reasons:
        raise Conflict(" ".join(reasons))
    now = now or utcnow()
    changed = anonymise_values(subject, now)
    entities = (
        [("contact_persons", i) for i in sorted(subject.contact_person_ids)]
        + [("companies", i) for i in sorted(subject.company_ids)]
        + [("lots_meeting_guests", i) for i in sorted(subject.guest_ids)]
    )
    for entity_type, entity_id in entities:
        db.session.add(
            PersonRightsEvent(
                at=now,
                kind=ANONYMISATION,
                actor_id=actor.id,
                entity_type=entity_type,
                entity_id=entity_id,
                reason="Identifierande uppgifter ersatta",  # untranslated: person-rights log (stored)
                decision_reference=decision_reference,
            )
        )
        audit.record(
            actor,
            "anonymise",
            entity_type,
            entity_id,
            now=now,
            summary=f"Anonymiserad enligt {decision_reference}"[:300],  # untranslated: audit trail
        )
    run = DisposalRun(
        started_at=now,
        finished_at=now,
        trigger="anonymisering",
        actor_id=actor.id,
        total=changed,
        summary=f"Anonymisering av {len(entities)} personpost(er): {changed} poster ändrade.",  # untranslated: gallringsprotokoll (stored)
    )
    db.session.add(run)
    db.session.flush()
    db.session.add(
        DisposalRunItem(
            run_id=run.id,
            record_type="person",
            record_label="Person (alla poster som nämner personen)",  # untranslated: gallringsprotokoll (stored)
            action="anonymise",
            years=None,
            cutoff=None,
            decision_reference=decision_reference,
            decision_on=None,
            count=changed,
        )
    )
    db.session.flush()
    db.session.expire_all()
    return run


def anonymise_values(subject: Subject, now: datetime) -> int:
    """Replace the subject's identifying values in every feature's records (no checks: callers
    are `anonymise` and the retention rule for contact persons). Returns the rows changed."""
    values = subject.identifying_values()
    changed = 0
    changed += company_data.anonymise(subject, values, now)
    changed += interaction_data.anonymise(subject, values, now)
    changed += case_data.anonymise(subject, values, now)
    changed += visit_data.anonymise(subject, values, now)
    changed += followup_data.anonymise(subject, values, now)
    changed += mail_data.anonymise(subject, values, now)
    changed += auth_data.anonymise_attempts(set(subject.emails))
    changed += audit_data.anonymise(values)
    changed += _anonymise_own(values)
    return changed


def _anonymise_own(values: list[str]) -> int:
    """The person-rights log's own old/new values (a rectification keeps the old name)."""
    changed = 0
    for event in db.session.scalars(sa.select(PersonRightsEvent)):
        new_old, new_new = replace_all(event.old_value, values), replace_all(event.new_value, values)
        new_reason = replace_all(event.reason, values)
        if (new_old, new_new, new_reason) != (event.old_value, event.new_value, event.reason):
            event.old_value, event.new_value, event.reason = new_old or "", new_new or "", new_reason or ""
            changed += 1
    return changed
