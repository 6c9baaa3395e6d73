"""Lotsmöten of a case (blueprint "cases", see app.cases.views): plan, edit, send the
invitation, cancel, and the .ics download."""

from __future__ import annotations

from datetime import time, timedelta

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.decorators import permission_required
from app.cases import meetings, queries, rules
from app.cases.forms import MeetingForm, SimpleForm
from app.cases.views import bp, case_url, editable_case
from app.core.calendar import working_day_on_or_after
from app.core.downloads import ICS_TYPE, file_response
from app.core.forms import options
from app.core.permissions import Perm
from app.core.time import local_today, to_local
from app.core.web import submit


def _fill_meeting_form(form: MeetingForm, case) -> None:
    from app.companies.queries import contact_persons

    form.contact_person_ids.choices = options(
        (p.id, p.name + f" ({p.email})" if p.email else _("%(name)s (ingen e-post)", name=p.name))
        for p in contact_persons(case.company_id)
    )


@bp.route("/<int:case_id>/moten/nytt", methods=["GET", "POST"])
@permission_required(Perm.EDIT_CASES)
def meeting_new(case_id: int):
    case = editable_case(case_id)
    form = MeetingForm()
    _fill_meeting_form(form, case)
    if request.method == "GET":
        form.day.data = working_day_on_or_after(local_today() + timedelta(days=7))
        form.start.data = time(9, 0)
        form.end.data = time(10, 0)
        form.agenda.data = meetings.default_agenda(case)
        form.user_ids.data = [u.id for u in [case.responsible, *queries.participants(case.id)]]
        if case.contact_person_id:
            form.contact_person_ids.data = [case.contact_person_id]
    if done := submit(
        form,
        lambda: meetings.create_meeting(case, form.to_input(), actor=current_user),
        success=_("Lotsmötet är planerat. Skicka inbjudan när deltagarna är klara."),
        redirect_to=lambda meeting: case_url(case, f"mote-{meeting.id}"),
    ):
        return done
    return render_template("cases/meeting_form.html", form=form, case=case, meeting=None)


@bp.route("/<int:case_id>/moten/<int:meeting_id>", methods=["GET", "POST"])
@permission_required(Perm.EDIT_CASES)
def meeting_edit(case_id: int, meeting_id: int):
    case = editable_case(case_id)
    meeting = queries.get_meeting_or_404(case.id, meeting_id)
    users, guests = meetings.meeting_people(meeting)
    form = MeetingForm(obj=meeting)
    _fill_meeting_form(form, case)
    form.user_ids.keep(u.id for u in users)  # an old participant stays, even if since deactivated
    if request.method == "GET":
        start, end = to_local(meeting.starts_at), to_local(meeting.ends_at)
        form.day.data, form.start.data, form.end.data = start.date(), start.time(), end.time()
        form.user_ids.data = [u.id for u in users]
        form.contact_person_ids.data = [g.contact_person_id for g in guests if g.contact_person_id]
        form.other_guests.data = "\n".join(
            f"{g.name} <{g.email}>" if g.email else g.name for g in guests if not g.contact_person_id
        )
    if done := submit(
        form,
        lambda: meetings.update_meeting(
            meeting, form.to_input(), actor=current_user, expected_version=form.expected_version
        ),
        success=lambda saved: (
            _("Mötet är sparat. Skicka en uppdaterad inbjudan.")
            if saved.invitation_outdated
            else _("Mötet är sparat.")
        ),
        redirect_to=case_url(case, f"mote-{meeting.id}"),
    ):
        return done
    return render_template(
        "cases/meeting_form.html",
        form=form,
        case=case,
        meeting=meeting,
        users=users,
        guests=guests,
        button_form=SimpleForm(),
    )


@bp.route("/<int:case_id>/moten/<int:meeting_id>/skicka", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def meeting_send(case_id: int, meeting_id: int):
    case = editable_case(case_id)
    meeting = queries.get_meeting_or_404(case.id, meeting_id)
    back = case_url(case, f"mote-{meeting.id}")
    return submit(
        SimpleForm(),
        lambda: meetings.send_meeting_invitation(meeting, actor=current_user),
        success=lambda queued: (
            _("Inbjudan ligger i utkorgen till %(num)s mottagare.", num=queued)
            if queued
            else _("Inbjudan var redan skickad.")
        ),
        redirect_to=back,
        errors_to=back,
    )


@bp.route("/<int:case_id>/moten/<int:meeting_id>/stall-in", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def meeting_cancel(case_id: int, meeting_id: int):
    case = editable_case(case_id)
    meeting = queries.get_meeting_or_404(case.id, meeting_id)
    back = case_url(case, f"mote-{meeting.id}")
    return submit(
        SimpleForm(),
        lambda: meetings.cancel_meeting(meeting, actor=current_user),
        success=lambda cancelled: (
            _("Mötet är inställt. Deltagarna får ett återbud.")
            if cancelled.invited_at
            else _("Mötet är inställt.")
        ),
        redirect_to=back,
        errors_to=back,
    )


@bp.route("/<int:case_id>/moten/<int:meeting_id>.ics")
@permission_required(Perm.VIEW_CASES)
def meeting_ics(case_id: int, meeting_id: int):
    case = queries.get_case_or_404(case_id)
    if not rules.can_read(current_user, case):
        abort(403)
    meeting = queries.get_meeting_or_404(case.id, meeting_id)
    method = "CANCEL" if meeting.is_cancelled else "REQUEST"
    filename = f"lotsmöte-{meeting.id}.ics"  # untranslated: the file name, like the Swedish .ics it holds
    return file_response(meetings.meeting_ics(meeting, case), f"{ICS_TYPE}; method={method}", filename)
