"""indicator_focus_areas: which focus areas an indicator follows up, for the dashboard's section
per focus area (issue 15 §6). The 2022–2025 strategy's indicators are linked to its focus areas
by indicator key and focus-area name (the names seeded by 0001, the keys by 0007); an area or
indicator renamed or missing is simply not linked.

Revision ID: 0025_indicator_focus_areas
Revises: 0024_visit_key_messages
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_indicator_focus_areas"
down_revision = "0024_visit_key_messages"
branch_labels = None
depends_on = None

# focus area name (0001) → indicator keys (0007)
SEED_LINKS = {
    "Kompetensförsörjning och samverkan skola-näringsliv": ["sn_kompetens", "sn_skolan"],
    "Brottsförebyggande/trygghetsskapande arbete": ["sn_brottslighet"],
    "Borlänge kommun som möjliggörare": [
        "nki_total", "nki_livsmedel", "nki_miljo", "nki_bygglov", "nki_markupplatelse",
        "sn_tjansteman", "sn_politiker",
    ],
    "Etableringar och attraktivitet": ["stor_industrietablering", "sn_sammanfattande"],
    "Hållbar företags- och branschutveckling": ["nya_foretag"],
}  # fmt: skip


def upgrade():
    op.create_table(
        "indicator_focus_areas",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("focus_area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["focus_area_id"],
            ["focus_areas.id"],
            name=op.f("fk_indicator_focus_areas_focus_area_id_focus_areas"),
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_focus_areas_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("indicator_id", "focus_area_id", name=op.f("pk_indicator_focus_areas")),
    )
    op.create_index(
        op.f("ix_indicator_focus_areas_focus_area_id"),
        "indicator_focus_areas",
        ["focus_area_id"],
        unique=False,
    )
    bind = op.get_bind()
    areas = dict(bind.execute(sa.text("SELECT name, id FROM focus_areas")).all())
    indicators = dict(bind.execute(sa.text("SELECT key, id FROM indicators")).all())
    links = sa.table("indicator_focus_areas", sa.column("indicator_id"), sa.column("focus_area_id"))
    rows = [
        {"indicator_id": indicators[key], "focus_area_id": areas[name]}
        for name, keys in SEED_LINKS.items()
        if name in areas
        for key in keys
        if key in indicators
    ]
    if rows:
        op.bulk_insert(links, rows)


def downgrade():
    op.drop_index(op.f("ix_indicator_focus_areas_focus_area_id"), table_name="indicator_focus_areas")
    op.drop_table("indicator_focus_areas")
