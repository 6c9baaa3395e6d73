"""Screens for the dataskyddsombud and arkivansvarig (blueprint `privacy`, /personuppgifter).
Every route needs Perm.PRIVACY_MANAGE; the services check it again."""

from __future__ import annotations

import json

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.decorators import permission_required
from app.core.downloads import file_response
from app.core.errors import DomainError
from app.core.permissions import Perm
from app.core.web import apply_errors
from app.extensions import db
from app.privacy import earkiv, inventory, retention, services
from app.privacy.forms import AnonymiseForm, ExportForm, ObjectionForm, RectifyForm, RuleForm
from app.privacy.models import ACTION_LABELS

bp = Blueprint("privacy", __name__, url_prefix="/personuppgifter")


@bp.route("/")
@permission_required(Perm.PRIVACY_MANAGE)
def index():
    query = request.args.get("q", "").strip()
    candidates, error = [], None
    if query:
        try:
            candidates = services.search(query, actor=current_user)
        except DomainError as exc:
            error = exc.message
    return render_template("privacy/index.html", query=query, candidates=candidates, error=error)


def _subject_or_back():
    keys = request.args.getlist("p")
    try:
        return services.subject_for(keys), keys
    except DomainError as exc:
        flash(exc.message, "error")
        return None, keys


def _extract():
    """The extract of the picked people (audited and committed), or None after a flash."""
    subject, keys = _subject_or_back()
    if subject is None:
        return None, keys
    result = services.build_extract(subject, actor=current_user)
    db.session.commit()
    return result, keys


@bp.route("/utdrag")
@permission_required(Perm.PRIVACY_MANAGE)
def extract():
    result, keys = _extract()
    if result is None:
        return redirect(url_for("privacy.index"))
    return render_template("privacy/extract.html", extract=result, keys=keys,
                           rectify_form=RectifyForm(), objection_form=ObjectionForm(),
                           persons=sorted(result.subject.contact_person_ids))


@bp.route("/utdrag.json")
@permission_required(Perm.PRIVACY_MANAGE)
def extract_json():
    result, _keys = _extract()
    if result is None:
        return redirect(url_for("privacy.index"))
    body = json.dumps(result.as_json(), ensure_ascii=False, indent=2)
    return file_response(body, "application/json", f"registerutdrag-{result.generated_at:%Y%m%d}.json")


def _back() -> str:
    """Where a rectification or objection form returns to: the extract it was posted from
    (a local path only, never another site)."""
    back = request.form.get("next") or ""
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        return url_for("privacy.index")
    return back


@bp.route("/kontaktperson/<int:person_id>/rattelse", methods=["POST"])
@permission_required(Perm.PRIVACY_MANAGE)
def rectify(person_id: int):
    form = RectifyForm()
    back = _back()
    if form.validate_on_submit():
        try:
            services.rectify(person_id, form.field.data, form.value.data or "", form.reason.data, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash("Rättelsen är sparad och loggad.", "success")
    else:
        flash("Ange nytt värde och skäl för rättelsen.", "error")
    return redirect(back)


@bp.route("/kontaktperson/<int:person_id>/invandning", methods=["POST"])
@permission_required(Perm.PRIVACY_MANAGE)
def objection(person_id: int):
    form = ObjectionForm()
    back = _back()
    if form.validate_on_submit():
        objected = form.objected.data != "0"
        try:
            changed = services.set_objection(person_id, objected, form.reason.data, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            if changed:
                flash("Invändningen är registrerad: inga fler utskick till personen." if objected else "Invändningen är hävd.", "success")
    else:
        flash("Ange skälet.", "error")
    return redirect(back)


@bp.route("/anonymisera", methods=["GET", "POST"])
@permission_required(Perm.PRIVACY_MANAGE)
def anonymise():
    subject, keys = _subject_or_back()
    if subject is None:
        return redirect(url_for("privacy.index"))
    form = AnonymiseForm()
    preview = services.anonymisation_preview(subject, actor=current_user)
    if request.method == "POST" and form.validate_on_submit():
        try:
            run = services.anonymise(subject, form.decision_reference.data or "", actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash("Personen är anonymiserad. Åtgärden finns i gallringsprotokollet.", "success")
            return redirect(url_for("privacy.protocol", run_id=run.id))
    status = 400 if request.method == "POST" else 200
    return render_template("privacy/anonymise.html", form=form, preview=preview, keys=keys, subject=subject), status


@bp.route("/gallring")
@permission_required(Perm.PRIVACY_MANAGE)
def rules():
    return render_template("privacy/rules.html", plan=retention.preview(), actions=ACTION_LABELS,
                           runs=retention.list_runs(limit=10))


@bp.route("/gallring/<key>", methods=["GET", "POST"])
@permission_required(Perm.PRIVACY_MANAGE)
def rule_edit(key: str):
    target = retention.get_target(key)
    rule = retention.rules().get(key)
    form = RuleForm(obj=rule)
    form.set_actions(target.actions)
    if form.validate_on_submit():
        data = retention.RuleInput(form.action.data, form.years.data, form.decision_reference.data or "", form.decision_on.data)
        version = int(form.version.data) if (form.version.data or "").isdigit() else None
        try:
            retention.save_rule(key, data, actor=current_user, expected_version=version)
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            flash("Gallringsregeln är sparad.", "success")
            return redirect(url_for("privacy.rules"))
    elif rule is not None and request.method == "GET":
        form.version.data = str(rule.version)
    status = 400 if request.method == "POST" else 200
    return render_template("privacy/rule_form.html", form=form, target=target, rule=rule), status


@bp.route("/gallring/kor", methods=["POST"])
@permission_required(Perm.PRIVACY_MANAGE)
def run_now():
    run = retention.apply_retention(actor=current_user, trigger="manuell")
    db.session.commit()
    flash(run.summary, "success")
    return redirect(url_for("privacy.protocol", run_id=run.id))


@bp.route("/gallringsprotokoll/<int:run_id>")
@permission_required(Perm.PRIVACY_MANAGE)
def protocol(run_id: int):
    run, items = retention.get_run(run_id)
    return render_template("privacy/protocol.html", run=run, items=items)


@bp.route("/forteckning")
@permission_required(Perm.PRIVACY_MANAGE)
def inventory_page():
    rules = retention.rules()
    labels = {t.key: t.label for t in retention.targets()}
    return render_template("privacy/inventory.html", rows=inventory.inventory(db.metadata), rules=rules, labels=labels)


@bp.route("/e-arkiv", methods=["GET", "POST"])
@permission_required(Perm.PRIVACY_MANAGE)
def export():
    form = ExportForm()
    if form.validate_on_submit():
        try:
            package = earkiv.build_package(form.closed_before.data, actor=current_user, creator=form.creator.data)
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            return file_response(package.zip_bytes(), "application/zip", f"{package.object_id}.zip")
    status = 400 if request.method == "POST" else 200
    return render_template("privacy/export.html", form=form), status
