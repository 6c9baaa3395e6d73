"""Survey screens: the results page (blueprint "cases", see app.cases.views) and the public
survey page behind a single-use link (blueprint "survey", no sign-in).

The public page renders its answer (thanks, already answered, or the form with its errors)
instead of redirecting, so it keeps its own commit/rollback rather than app.core.web.submit:
a redirect would lead to the used link, which answers "already answered"."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.decorators import permission_required
from app.cases.forms import SimpleForm
from app.cases.survey import FACTOR_FIELDS, NKI_FIELDS, NKI_QUESTIONS, SERVICE_FACTORS, parse_scale
from app.cases.surveys import (
    ALREADY_ANSWERED,
    SurveyAnswer,
    invitation_for_token,
    submit_answer,
    survey_results,
)
from app.cases.views import bp
from app.core.errors import Conflict, DomainError, NotFound
from app.core.permissions import Perm
from app.core.time import local_today
from app.extensions import db

public_bp = Blueprint("survey", __name__)


@bp.route("/enkatresultat")
@permission_required(Perm.VIEW_CASES)
def survey_results_page():
    today = local_today()

    def _date(name: str, default: date) -> date:
        try:
            return date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            return default

    start = _date("fran", date(today.year, 1, 1))
    end = _date("till", today)
    error = None
    try:
        results = survey_results(start, end, actor=current_user)
    except DomainError as exc:
        error, results = exc.message, survey_results(end, end, actor=current_user)
    return render_template(
        "cases/survey_results.html",
        results=results,
        start=start,
        end=end,
        error=error,
        factors=SERVICE_FACTORS,
    )


# --------------------------------------------------------------------------- public survey


def _survey_values() -> tuple[SurveyAnswer, dict[str, str]]:
    errors: dict[str, str] = {}
    values: dict[str, int | None] = {}
    for name in NKI_FIELDS + FACTOR_FIELDS:
        try:
            values[name] = parse_scale(request.form.get(name), required=name in NKI_FIELDS)
        except ValueError:
            values[name] = None
            errors[name] = (
                _("Välj ett alternativ.") if name in NKI_FIELDS else _("Välj ett giltigt alternativ.")
            )
    answer = SurveyAnswer(
        q_overall=values["q_overall"],
        q_expectations=values["q_expectations"],
        q_ideal=values["q_ideal"],
        factors={name: values[name] for name in FACTOR_FIELDS},
        free_text=(request.form.get("free_text") or "")[:5000],
    )
    return answer, errors


@public_bp.route("/enkat/<token>", methods=["GET", "POST"])
def answer(token: str):
    """The public survey page: no sign-in, Swedish (or the language the browser chose), works
    without JavaScript. The token is never logged or shown; referrer is off so it does not leak
    to linked pages."""
    try:
        invitation = invitation_for_token(token)
    except NotFound:
        return render_template(
            "cases/survey_message.html",
            title=_("Länken fungerar inte"),
            message=_("Länken till enkäten är ogiltig eller har gått ut."),
        ), 404
    if invitation.used_at is not None:
        return _already_answered()
    form = SimpleForm()
    errors: dict[str, str] = {}
    submitted: dict[str, str] = {}
    if request.method == "POST":
        submitted = {k: v for k, v in request.form.items() if k != "csrf_token"}
        if not form.validate_on_submit():
            errors["form"] = _("Formuläret hade gått ut. Skicka igen.")
        else:
            answer_, errors = _survey_values()
            if not errors:
                try:
                    submit_answer(token, answer_)
                except Conflict:
                    db.session.rollback()
                    return _already_answered()
                except DomainError as exc:
                    db.session.rollback()
                    errors[exc.field or "form"] = exc.message
                else:
                    db.session.commit()
                    return _no_referrer(
                        render_template(
                            "cases/survey_message.html",
                            title=_("Tack för dina svar!"),
                            message=_("Dina svar hjälper oss att bli bättre på att hjälpa företag."),
                        )
                    )
    response = render_template(
        "cases/survey.html",
        form=form,
        questions=NKI_QUESTIONS,
        factors=SERVICE_FACTORS,
        errors=errors,
        submitted=submitted,
        scale=range(1, 11),
    )
    return _no_referrer(response, 400 if errors else 200)


def _already_answered():
    return _no_referrer(
        render_template(
            "cases/survey_message.html",
            title=ALREADY_ANSWERED,
            message=_("Tack! Den här enkäten har redan besvarats, och varje länk kan bara användas en gång."),
        ),
        409,
    )


def _no_referrer(body, status: int = 200) -> Response:
    from flask import make_response

    response = make_response(body, status)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response
