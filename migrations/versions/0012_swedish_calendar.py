"""The Swedish calendar: closed days, statutory and three-week flags on permit types, the
three-week dates on permit rows, and the söndagsregel applied to existing deadlines.

* `closed_days`: the kommun's extra closed days (klämdagar), admin-maintained.
* `permit_types.time_is_statutory` (default true: every seeded time is set in law) and
  `pbl_three_week_rule` (set for bygglov, marklov, rivningslov, förhandsbesked, anmälan and
  skyltlov – a lov too – and for admin-added weekly types whose law is PBL).
* `case_permits.completion_requested_on`, `own_initiative_on`, `request_date_unknown` and a
  CHECK that the föreläggande is not before the submission.
* Existing three-week rows that were submitted but not complete on the day of submission get
  `request_date_unknown`: Lotsbok never asked for the föreläggande, so their clock keeps
  running from the complete date as before (the permit row says so and asks for the date)
  instead of silently jumping back to the submission.
* Every stored `expected_decision_on` of a statutory type is moved by lag (1930:173) 2 §.
  With the mark above, the start of every clock is unchanged, so the söndagsregel is the only
  change – decided rows included, since the reports compare decisions with it. The rule is
  written out here (not imported from app.core.calendar) so that this revision keeps meaning
  what it meant when it ran.

Revision ID: 0012_swedish_calendar
Revises: 0009_partial_indexes
"""

from datetime import date, timedelta

import holidays
import sqlalchemy as sa
from alembic import op
from holidays.constants import DE_FACTO, PUBLIC

revision = "0012_swedish_calendar"
down_revision = "0009_partial_indexes"
branch_labels = None
depends_on = None

THREE_WEEK_CODES = ("bygglov", "marklov", "rivningslov", "forhandsbesked", "anmalan-pbl", "skyltlov")


def _not_vardag_days(years: set[int]) -> set[date]:
    days: set[date] = set()
    for year in years:
        days |= set(holidays.SE(years=year, categories=(PUBLIC, DE_FACTO), include_sundays=False))
    return days


def _move(day: date, closed: set[date]) -> date:
    """Lag (1930:173) 2 §: a Saturday, Sunday, allmän helgdag, midsommar-, jul- or nyårsafton
    moves to the next day that is none of them."""
    while day.weekday() >= 5 or day in closed:
        day += timedelta(days=1)
    return day


def upgrade():
    op.create_table(
        "closed_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=120), server_default="", nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_closed_days_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closed_days")),
        sa.UniqueConstraint("day", name=op.f("uq_closed_days_day")),
    )
    with op.batch_alter_table("closed_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_closed_days_created_by_id"), ["created_by_id"], unique=False)

    # Plain string defaults: an SQL-expression default (sa.true()) makes Alembic rebuild the
    # table on SQLite, and permit_types cannot be dropped while permit rows refer to it.
    with op.batch_alter_table("permit_types", schema=None) as batch_op:
        batch_op.add_column(sa.Column("time_is_statutory", sa.Boolean(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("pbl_three_week_rule", sa.Boolean(), server_default="0", nullable=False))

    with op.batch_alter_table("case_permits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("completion_requested_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("own_initiative_on", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("request_date_unknown", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_check_constraint(
            op.f("ck_case_permits_request_after_submitted"),
            "completion_requested_on IS NULL OR submitted_on IS NULL OR completion_requested_on >= submitted_on",
        )

    permit_types = sa.table(
        "permit_types",
        sa.column("id", sa.Integer()),
        sa.column("code", sa.String()),
        sa.column("law", sa.String()),
        sa.column("statutory_time_value", sa.Integer()),
        sa.column("statutory_time_unit", sa.String()),
        sa.column("time_is_statutory", sa.Boolean()),
        sa.column("pbl_three_week_rule", sa.Boolean()),
    )
    case_permits = sa.table(
        "case_permits",
        sa.column("id", sa.Integer()),
        sa.column("permit_type_id", sa.Integer()),
        sa.column("submitted_on", sa.Date()),
        sa.column("complete_on", sa.Date()),
        sa.column("expected_decision_on", sa.Date()),
        sa.column("request_date_unknown", sa.Boolean()),
    )
    law = sa.func.lower(permit_types.c.law)
    op.execute(
        permit_types.update()
        .where(
            sa.or_(
                permit_types.c.code.in_(THREE_WEEK_CODES),
                sa.and_(
                    sa.or_(law.like("%plan- och bygglag%"), law.like("%pbl%")),
                    permit_types.c.statutory_time_unit == "weeks",
                    permit_types.c.statutory_time_value.is_not(None),
                ),
            )
        )
        .values(pbl_three_week_rule=True)
    )
    three_week = sa.select(permit_types.c.id).where(permit_types.c.pbl_three_week_rule.is_(True))
    op.execute(
        case_permits.update()
        .where(
            case_permits.c.permit_type_id.in_(three_week),
            case_permits.c.submitted_on.is_not(None),
            sa.or_(case_permits.c.complete_on.is_(None), case_permits.c.complete_on > case_permits.c.submitted_on),
        )
        .values(request_date_unknown=True)
    )

    bind = op.get_bind()
    rows = bind.execute(
        sa.select(case_permits.c.id, case_permits.c.expected_decision_on)
        .join(permit_types, permit_types.c.id == case_permits.c.permit_type_id)
        .where(case_permits.c.expected_decision_on.is_not(None), permit_types.c.time_is_statutory.is_(True))
    ).all()
    closed = _not_vardag_days({r.expected_decision_on.year for r in rows} | {r.expected_decision_on.year + 1 for r in rows})
    for row in rows:
        moved = _move(row.expected_decision_on, closed)
        if moved != row.expected_decision_on:
            bind.execute(
                case_permits.update().where(case_permits.c.id == row.id).values(expected_decision_on=moved)
            )


def downgrade():
    # The moved deadlines stay moved (recompute-clocks of the older code would count them again).
    with op.batch_alter_table("case_permits", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_case_permits_request_after_submitted"), type_="check")
        batch_op.drop_column("request_date_unknown")
        batch_op.drop_column("own_initiative_on")
        batch_op.drop_column("completion_requested_on")

    # permit_types is referenced by other tables: rebuilding it (batch mode) would trip their
    # foreign keys on SQLite, whose own DROP COLUMN (3.35+) needs no rebuild.
    for column in ("pbl_three_week_rule", "time_is_statutory"):
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE permit_types DROP COLUMN {column}")
        else:
            op.drop_column("permit_types", column)

    with op.batch_alter_table("closed_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_closed_days_created_by_id"))

    op.drop_table("closed_days")
