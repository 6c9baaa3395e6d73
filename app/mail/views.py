"""Admin: the outbox (queued, sent, failed mail) and the last run of each scheduled job."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from app.auth.decorators import permission_required
from app.core.permissions import Perm
from app.core.web import page_arg
from app.mail import queries
from app.mail.models import STATUS_LABELS
from app.scheduler.queries import last_runs

bp = Blueprint("mail", __name__, url_prefix="/admin/utkorg")


@bp.route("/")
@permission_required(Perm.VIEW_OUTBOX)
def outbox():
    from app.scheduler.registry import JOBS

    status = request.args.get("status") or None
    page = queries.list_messages(status, page=page_arg(), per_page=current_app.config["LOTSBOK_PAGE_SIZE"])
    job_ids = [job.id for job in JOBS]
    return render_template(
        "mail/admin/outbox.html",
        page=page,
        status=status,
        statuses=STATUS_LABELS,
        counts=queries.status_counts(),
        jobs=JOBS,
        runs=last_runs(job_ids),
        smtp_host=current_app.config.get("SMTP_HOST"),
    )


@bp.route("/<int:message_id>")
@permission_required(Perm.VIEW_OUTBOX)
def message(message_id: int):
    return render_template("mail/admin/message.html", message=queries.get_message_or_404(message_id))
