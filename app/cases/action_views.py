"""Actions and referrals on the case page (blueprint "cases", see app.cases.views)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from app.auth.decorators import permission_required
from app.cases import actions
from app.cases.forms import ActionForm, ActionResultForm, ReferralForm, ReferralOutcomeForm
from app.cases.views import bp, case_url, editable_case, rerender
from app.core.forms import options
from app.core.permissions import Perm
from app.core.web import submit


@bp.route("/<int:case_id>/atgarder", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def action_add(case_id: int):
    case = editable_case(case_id)
    form = ActionForm(prefix="action")
    return submit(
        form,
        lambda: actions.add_action(case, form.to_input(), actor=current_user),
        success=_("Åtgärden är lämnad över och finns bland uppföljningarna."),
        redirect_to=case_url(case, "atgarder"),
    ) or rerender(case_id, action_form=form)


@bp.route("/<int:case_id>/atgarder/<int:followup_id>/klar", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def action_done(case_id: int, followup_id: int):
    case = editable_case(case_id)
    form = ActionResultForm()
    back = case_url(case, "atgarder")
    return submit(
        form,
        lambda: actions.record_action_result(case, followup_id, form.result.data, actor=current_user),
        success=_("Återkopplingen är sparad."),
        redirect_to=back,
        errors_to=back,
    )


@bp.route("/<int:case_id>/hanvisningar", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def referral_add(case_id: int):
    from app.catalogues.queries import list_partners

    case = editable_case(case_id)
    form = ReferralForm()
    form.partner_id.choices = options([(None, _("Välj"))] + [(p.id, p.name) for p in list_partners()])
    return submit(
        form,
        lambda: actions.add_referral(
            case,
            partner_id=form.partner_id.data,
            reason=form.reason.data,
            referred_on=form.referred_on.data,
            actor=current_user,
        ),
        success=_("Hänvisningen är sparad."),
        redirect_to=case_url(case, "hanvisningar"),
    ) or rerender(case_id, referral_form=form)


@bp.route("/<int:case_id>/hanvisningar/<int:referral_id>/utfall", methods=["POST"])
@permission_required(Perm.EDIT_CASES)
def referral_outcome(case_id: int, referral_id: int):
    case = editable_case(case_id)
    form = ReferralOutcomeForm()
    back = case_url(case, "hanvisningar")
    return submit(
        form,
        lambda: actions.record_referral_outcome(case, referral_id, form.outcome.data, actor=current_user),
        success=_("Utfallet är sparat."),
        redirect_to=back,
        errors_to=back,
    )
