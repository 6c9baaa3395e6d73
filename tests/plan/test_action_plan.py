"""Handlingsplan: activities per focus area, maintained by lots and admin, linked to contacts
and cases."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.errors import Conflict, PermissionDenied, ValidationError
from app.plan import action_plan as plan


def activity_input(area, **kw) -> plan.ActivityInput:
    values = {"focus_area_id": area.id, "title": "Skolbesök med UF", "responsible_name": "Barn- och bildningsnämnden",
              "responsible_kind": "committee", "due_on": date(2025, 6, 1)}  # fmt: skip
    values.update(kw)
    return plan.ActivityInput(**values)


def test_create_update_and_list_per_focus_area(db, users, dataset):
    lots = users["lots"]
    a1 = plan.create_activity(activity_input(dataset.fa1), actor=lots)
    a2 = plan.create_activity(
        activity_input(dataset.fa2, title="Trygghetsvandring", due_on=None), actor=users["admin"]
    )
    db.session.commit()
    assert a1.responsible_label == "Nämnd: Barn- och bildningsnämnden"
    assert [a.id for a in plan.list_activities(dataset.fa1.id)] == [a1.id]
    plan.update_activity(
        a1, activity_input(dataset.fa1, status="done"), actor=lots, expected_version=a1.version
    )
    db.session.commit()
    assert plan.status_counts_by_focus_area() == {
        dataset.fa1.id: {"done": 1},
        dataset.fa2.id: {"planned": 1},
    }
    assert [a.id for a in plan.list_activities(include_closed=False)] == [a2.id]
    assert a1.is_overdue(date(2025, 7, 1)) is False  # done
    with pytest.raises(PermissionDenied):
        plan.create_activity(activity_input(dataset.fa1), actor=users["chef"])
    with pytest.raises(ValidationError):
        plan.create_activity(activity_input(dataset.fa1, responsible_name=" "), actor=lots)


def test_links_to_contacts_and_cases(db, users, dataset):
    lots = users["lots"]
    activity = plan.create_activity(activity_input(dataset.fa1), actor=lots)
    plan.link_record(activity, kind="interaction", record_id=dataset.rec.i2.id, actor=lots)
    plan.link_record(activity, kind="case", record_id=dataset.rec.c3.id, actor=lots)
    db.session.commit()
    with pytest.raises(Conflict):
        plan.link_record(activity, kind="case", record_id=dataset.rec.c3.id, actor=lots)
    with pytest.raises(ValidationError):
        plan.link_record(activity, kind="interaction", record_id=dataset.rec.i6.id, actor=lots)  # deleted
    with pytest.raises(PermissionDenied):  # admin may edit the plan but not see contacts
        plan.link_record(activity, kind="interaction", record_id=dataset.rec.i1.id, actor=users["admin"])
    assert plan.link_counts([activity.id]) == {activity.id: (1, 1)}
    activity = plan.get_activity_or_404(activity.id)
    shown_to_chef = plan.linked_records(activity, viewer=users["chef"])
    titles = {r.kind: r.title for r in shown_to_chef}
    assert titles == {
        "interaction": "Möte: Kontakt med begränsad åtkomst",
        "case": "Lotsärende med begränsad åtkomst",
    }
    shown_to_lots = {r.kind: r.title for r in plan.linked_records(activity, viewer=lots)}
    assert shown_to_lots["case"] == "Hemligt ärende"
    link_id = activity.links[0].id
    plan.unlink_record(activity, link_id, actor=lots)
    db.session.commit()
    assert plan.link_counts([activity.id]) == {activity.id: (0, 1)}
