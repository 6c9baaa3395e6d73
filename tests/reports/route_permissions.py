"""Route × role table for the reports and plan (indicators, handlingsplan) screens."""

from __future__ import annotations

from tests.route_permissions import Route

REPORTS = frozenset({"lots", "chef", "admin"})
ADMIN = frozenset({"admin"})
PLAN_EDITORS = frozenset({"lots", "admin"})


def build_world(world) -> None:
    from app.extensions import db
    from app.plan.action_plan import ActionPlanActivity
    from app.plan.indicators import Indicator

    world.indicator = db.session.query(Indicator).filter_by(key="nya_foretag").one()
    world.activity = ActionPlanActivity(
        focus_area_id=world.focus_area.id, title="Företagsfrukost", responsible_name="Näringslivskontoret"
    )
    db.session.add(world.activity)
    db.session.flush()


ROUTES = {
    "reports.dashboard": Route(allowed=REPORTS),
    # The records behind a figure need the permission to see them: admin cannot see contacts.
    "reports.records": Route(
        allowed=frozenset({"lots", "chef"}), args=lambda w: {"figure": "referrals.total"}
    ),
    "reports.export": Route(
        allowed=REPORTS, args=lambda w: {"fmt": "csv"}, marker="Avsnitt;Nyckeltal;Värde;"
    ),
    "reports.summary_preview": Route(allowed=REPORTS),
    "reports.summary_preview_html": Route(allowed=REPORTS, marker="<title>Lotsbok: månadssammanfattning "),
    "plan.indicators": Route(allowed=REPORTS),
    "plan.indicator_new": Route(allowed=ADMIN),
    "plan.indicator_edit": Route(allowed=ADMIN, args=lambda w: {"indicator_id": w.indicator.id}),
    "plan.indicator_value_save": Route(
        "POST",
        allowed=ADMIN,
        args=lambda w: {"indicator_id": w.indicator.id},
        data=lambda w: {"year": "2024", "value": "310"},
    ),
    "plan.indicator_value_delete": Route(
        "POST", allowed=ADMIN, args=lambda w: {"indicator_id": w.indicator.id, "year": 2020}
    ),
    "plan.action_plan": Route(allowed=REPORTS),
    "plan.activity_new": Route(allowed=PLAN_EDITORS),
    "plan.activity_detail": Route(allowed=REPORTS, args=lambda w: {"activity_id": w.activity.id}),
    "plan.activity_edit": Route(allowed=PLAN_EDITORS, args=lambda w: {"activity_id": w.activity.id}),
    "plan.activity_delete": Route(
        "POST", allowed=PLAN_EDITORS, args=lambda w: {"activity_id": w.activity.id}
    ),
    "plan.activity_link": Route(
        "POST",
        allowed=PLAN_EDITORS,
        args=lambda w: {"activity_id": w.activity.id},
        data=lambda w: {"kind": "interaction", "record_id": "999999"},
    ),
    "plan.activity_unlink": Route(
        "POST", allowed=PLAN_EDITORS, args=lambda w: {"activity_id": w.activity.id, "link_id": 999999}
    ),
}
