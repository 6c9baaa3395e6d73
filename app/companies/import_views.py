"""Company import screens (on the companies blueprint): upload → preview with the column
mapping → confirm, cancel, the import log and undo."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.decorators import permission_required
from app.companies import import_rows, importer, queries
from app.companies.forms import ImportUploadForm
from app.companies.import_undo import undo_import
from app.companies.views import bp
from app.core.permissions import Perm
from app.core.web import submit


@bp.route("/import", methods=["GET", "POST"])
@permission_required(Perm.IMPORT_COMPANIES)
def import_upload():
    form = ImportUploadForm()
    if done := submit(
        form,
        lambda: importer.start_import(
            form.file.data.stream, form.file.data.filename or "", actor=current_user
        ),
        redirect_to=lambda batch: url_for("companies.import_preview", batch_id=batch.id),
    ):
        return done
    return render_template("companies/import_upload.html", form=form, fields=importer.FIELDS)


def _preview_batch(batch_id: int):
    batch = queries.get_import_batch_or_404(batch_id)
    if batch.status != "preview":
        flash(_("Importen är redan genomförd eller avbruten."), "info")
        return None
    return batch


@bp.route("/import/<int:batch_id>", methods=["GET", "POST"])
@permission_required(Perm.IMPORT_COMPANIES)
def import_preview(batch_id: int):
    batch = _preview_batch(batch_id)
    if batch is None:
        return redirect(url_for("companies.import_log"))
    # The mapping is posted as col-0, col-1 … (one select per column); the bare form carries
    # the CSRF token and collects a refusal, shown above the table.
    form = FlaskForm()
    if done := submit(
        form,
        lambda: importer.set_mapping(
            batch,
            {str(i): request.form.get(f"col-{i}", "") for i in range(len(batch.headers))},
            actor=current_user,
        ),
        success=_("Kolumnkopplingen är uppdaterad."),
        redirect_to=url_for("companies.import_preview", batch_id=batch.id),
    ):
        return done
    return render_template(
        "companies/import_preview.html",
        batch=batch,
        analysis=import_rows.analyse(batch),
        fields=importer.FIELDS,
        actions=importer.ACTIONS,
        errors=form.form_errors,
    )


@bp.route("/import/<int:batch_id>/bekrafta", methods=["POST"])
@permission_required(Perm.IMPORT_COMPANIES)
def import_confirm(batch_id: int):
    batch = _preview_batch(batch_id)
    if batch is None:
        return redirect(url_for("companies.import_log"))
    actions = {
        int(key.removeprefix("action-")): value
        for key, value in request.form.items()
        if key.startswith("action-") and key.removeprefix("action-").isdigit()
    }
    return submit(
        None,
        lambda: importer.run_import(batch, actions, actor=current_user),
        success=lambda counts: _(
            "Importen är klar: %(created)s nya, %(updated)s uppdaterade, %(skipped)s överhoppade.",
            created=counts.created,
            updated=counts.updated,
            skipped=counts.skipped,
        ),
        redirect_to=url_for("companies.import_log"),
        errors_to=url_for("companies.import_preview", batch_id=batch_id),
    )


@bp.route("/import/<int:batch_id>/avbryt", methods=["POST"])
@permission_required(Perm.IMPORT_COMPANIES)
def import_cancel(batch_id: int):
    batch = queries.get_import_batch_or_404(batch_id)
    back = url_for("companies.import_upload")
    return submit(
        None,
        lambda: importer.cancel_import(batch, actor=current_user),
        success=_("Importen är avbruten. Inget har sparats."),
        redirect_to=back,
        errors_to=back,
    )


@bp.route("/import/logg")
@permission_required(Perm.IMPORT_COMPANIES)
def import_log():
    return render_template("companies/import_log.html", batches=queries.import_batches())


@bp.route("/import/<int:batch_id>/angra", methods=["POST"])
@permission_required(Perm.IMPORT_COMPANIES)
def import_undo(batch_id: int):
    batch = queries.get_import_batch_or_404(batch_id)
    back = url_for("companies.import_log")
    return submit(
        None,
        lambda: undo_import(batch, actor=current_user),
        success=lambda counts: _(
            "Importen är ångrad: %(created)s företag borttagna, %(updated)s återställda.",
            created=counts.created,
            updated=counts.updated,
        ),
        redirect_to=back,
        errors_to=back,
    )
