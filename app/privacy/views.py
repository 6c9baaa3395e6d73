"""Screens for the dataskyddsombud and arkivansvarig (blueprint `privacy`, /personuppgifter).
Every route needs Perm.PRIVACY_MANAGE; the services check it again."""

from __future__ import annotations

import json

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.decorators import permission_required
from app.core.downloads import file_response
from app.core.errors import DomainError
from app.core.permissions import Perm
from app.core.web import apply_errors, render_committed, submit
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
    """The extract of the picked people (audited: the caller commits once it is shown), or
    None after a flash."""
    subject, keys = _subject_or_back()
    if subject is None:
        return None, keys
    return services.build_extract(subject, actor=current_user), keys


@bp.route("/utdrag")
@permission_required(Perm.PRIVACY_MANAGE)
def extract():
    result, keys = _extract()
    if result is None:
        return redirect(url_for("privacy.index"))
    return render_committed(
        "privacy/extract.html",
        extract=result,
        keys=keys,
        rectify_form=RectifyForm(),
        objection_form=ObjectionForm(),
        persons=sorted(result.subject.contact_person_ids),
    )


@bp.route("/utdrag.json")
@permission_required(Perm.PRIVACY_MANAGE)
def extract_json():
    result, _keys = _extract()
    if result is None:
        return redirect(url_for("privacy.index"))
    body = json.dumps(result.as_json(), ensure_ascii=False, indent=2)
    db.session.commit()  # the audited read, once the file exists
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
    if not form.validate_on_submit():
        flash(_("Ange nytt värde och skäl för rättelsen."), "error")
        return redirect(back)
    return submit(
        None,
        lambda: services.rectify(
            person_id, form.field.data, form.value.data or "", form.reason.data, actor=current_user
        ),
        success=_("Rättelsen är sparad och loggad."),
        redirect_to=back,
        errors_to=back,
    )


@bp.route("/kontaktperson/<int:person_id>/invandning", methods=["POST"])
@permission_required(Perm.PRIVACY_MANAGE)
def objection(person_id: int):
    form = ObjectionForm()
    back = _back()
    if not form.validate_on_submit():
        flash(_("Ange skälet."), "error")
        return redirect(back)
    objected = form.objected.data != "0"
    done = (
        _("Invändningen är registrerad: inga fler utskick till personen.")
        if objected
        else _("Invändningen är hävd.")
    )
    return submit(
        None,
        lambda: services.set_objection(person_id, objected, form.reason.data, actor=current_user),
        success=lambda changed: done if changed else None,
        redirect_to=back,
        errors_to=back,
    )


@bp.route("/anonymisera", methods=["GET", "POST"])
@permission_required(Perm.PRIVACY_MANAGE)
def anonymise():
    subject, keys = _subject_or_back()
    if subject is None:
        return redirect(url_for("privacy.index"))
    form = AnonymiseForm()
    preview = services.anonymisation_preview(subject, actor=current_user)
    if done := submit(
        form,
        lambda: services.anonymise(subject, form.decision_reference.data or "", actor=current_user),
        success=_("Personen är anonymiserad. Åtgärden finns i gallringsprotokollet."),
        redirect_to=lambda run: url_for("privacy.protocol", run_id=run.id),
    ):
        return done
    status = 400 if request.method == "POST" else 200
    return render_template(
        "privacy/anonymise.html", form=form, preview=preview, keys=keys, subject=subject
    ), status


@bp.route("/gallring")
@permission_required(Perm.PRIVACY_MANAGE)
def rules():
    return render_template(
        "privacy/rules.html",
        plan=retention.preview(),
        actions=ACTION_LABELS,
        runs=retention.list_runs(limit=10),
    )


@bp.route("/gallring/<key>", methods=["GET", "POST"])
@permission_required(Perm.PRIVACY_MANAGE)
def rule_edit(key: str):
    target = retention.get_target(key)
    rule = retention.rules().get(key)
    form = RuleForm(obj=rule)
    form.set_actions(target.actions)
    if done := submit(
        form,
        lambda: retention.save_rule(
            key,
            retention.RuleInput(
                form.action.data, form.years.data, form.decision_reference.data or "", form.decision_on.data
            ),
            actor=current_user,
            expected_version=form.expected_version,
        ),
        success=_("Gallringsregeln är sparad."),
        redirect_to=url_for("privacy.rules"),
    ):
        return done
    if rule is not None and request.method == "GET":
        form.version.data = str(rule.version)
    status = 400 if request.method == "POST" else 200
    return render_template("privacy/rule_form.html", form=form, target=target, rule=rule), status


@bp.route("/gallring/kor", methods=["POST"])
@permission_required(Perm.PRIVACY_MANAGE)
def run_now():
    return submit(
        None,
        lambda: retention.apply_retention(actor=current_user, trigger="manuell"),
        success=retention.run_message,
        redirect_to=lambda run: url_for("privacy.protocol", run_id=run.id),
    )


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
    return render_template(
        "privacy/inventory.html", rows=inventory.inventory(db.metadata), rules=rules, labels=labels
    )


@bp.route("/e-arkiv", methods=["GET", "POST"])
@permission_required(Perm.PRIVACY_MANAGE)
def export():
    form = ExportForm()
    if form.validate_on_submit():
        # A download, not a redirect: the boundary is written out here (submit() redirects).
        try:
            package = earkiv.build_package(
                form.closed_before.data, actor=current_user, creator=form.creator.data
            )
        except DomainError as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            db.session.commit()
            return file_response(package.zip_bytes(), "application/zip", f"{package.object_id}.zip")
    status = 400 if request.method == "POST" else 200
    return render_template("privacy/export.html", form=form), status
