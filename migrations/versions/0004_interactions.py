"""Contact log and its catalogues: permit types, referral partners, contacts (interactions)
with their contact persons, kommun participants and extra focus areas, permit guidance rows,
referrals.

Seeds the permit-type catalogue from domain.md §2 and the referral partners from §1.5 and
issue 4: reference data every installation needs, maintained by admin afterwards.

interactions.case_id and referrals.case_id are plain integers here; the lots-case migration
adds their foreign keys to cases.id.

Revision ID: 0004_interactions
Revises: 0003_mail_followups
Create Date: 2026-11-27 21:09:50.053948

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004_interactions'
down_revision = '0003_mail_followups'
branch_labels = None
depends_on = None


PBL = "Plan- och bygglagen (2010:900) 9 kap.; plan- och byggförordningen (2011:338) 6 kap."
BYGGNADSNAMNDEN = "Byggnadsnämnden"
MILJONAMNDEN = "Kommunens miljönämnd"
PBL_NOTE = (
    "Nämnden ska begära komplettering inom 3 veckor, annars räknas tiden från inlämnad ansökan. "
    "Avgiften sätts ned med en femtedel per påbörjad veckas försening (PBL 12 kap. 8 a §)."
)

# (code, name, law, deciding body, statutory value, unit, extension value, unit, clock starts,
#  lead time weeks, SKR Insikt area, handling note)
PERMIT_TYPES = [
    ("bygglov", "Bygglov", PBL, BYGGNADSNAMNDEN, 10, "weeks", 10, "weeks", "complete", None, True,
     "Nybyggnad, tillbyggnad, ändrad användning. " + PBL_NOTE),
    ("marklov", "Marklov", PBL, BYGGNADSNAMNDEN, 10, "weeks", 10, "weeks", "complete", None, True, PBL_NOTE),
    ("rivningslov", "Rivningslov", PBL, BYGGNADSNAMNDEN, 10, "weeks", 10, "weeks", "complete", None, True, PBL_NOTE),
    ("forhandsbesked", "Förhandsbesked", PBL, BYGGNADSNAMNDEN, 10, "weeks", 10, "weeks", "complete", None, True, PBL_NOTE),
    ("anmalan-pbl", "Anmälan (startbesked)", "Plan- och bygglagen (2010:900) 9–10 kap.; PBF 6 kap.",
     BYGGNADSNAMNDEN, 4, "weeks", 4, "weeks", "complete", None, True,
     "Ändring av bärande konstruktion, ventilation, vatten och avlopp, eldstäder, rivning. Samma avgiftsnedsättning som för lov."),
    ("skyltlov", "Skyltlov", "Plan- och bygglagen (2010:900); PBF (lov för skyltar inom detaljplan)",
     BYGGNADSNAMNDEN, 10, "weeks", 10, "weeks", "complete", None, True, "Skyltar och ljusanordningar."),
    ("strandskyddsdispens", "Strandskyddsdispens", "Miljöbalken 7 kap. 18 b §; 19 kap. 3 a–b §§",
     "Kommunen; Länsstyrelsen inom t.ex. naturreservat, Natura 2000-områden och biotopskydd",
     None, None, None, None, "complete", None, False,
     "Ingen lagstadgad tid hittad. Länsstyrelsen prövar kommunens dispens inom 3 veckor och kan överpröva den; "
     "använd inte dispensen förrän den vunnit laga kraft."),
    ("miljofarlig-c", "Anmälan miljöfarlig verksamhet (C)", "Miljöbalken 9 kap.; miljöprövningsförordningen (2013:251)",
     MILJONAMNDEN, None, None, None, None, "complete", 6, True,
     "Anmäl minst 6 veckor före start. Nämnden kan förelägga om försiktighetsmått eller förbjuda."),
    ("miljofarlig-ab", "Tillstånd miljöfarlig verksamhet (A/B)", "Miljöbalken 9 kap.; miljöprövningsförordningen (2013:251)",
     "B: Länsstyrelsens miljöprövningsdelegation. A: mark- och miljödomstolen",
     None, None, None, None, "complete", None, False,
     "Månader till mer än ett år, med samråd och miljökonsekvensbeskrivning. Kommunen är remissinstans."),
    ("halsoskydd", "Anmälan hälsoskydd", "Förordning (1998:899) om miljöfarlig verksamhet och hälsoskydd 38 §",
     MILJONAMNDEN, None, None, None, None, "complete", 6, True,
     "Hygienisk behandling med risk för blodsmitta (tatuering, piercing, fotvård), bassängbad, skolor och förskolor. "
     "Anmäl minst 6 veckor före start; miljösanktionsavgift annars."),
    ("avlopp-varmepump", "Enskilt avlopp och värmepump", "Förordning (1998:899) om miljöfarlig verksamhet och hälsoskydd",
     MILJONAMNDEN, None, None, None, None, "complete", None, True, "Typiskt 4–8 veckor."),
    ("livsmedel", "Registrering av livsmedelsanläggning", "Livsmedelslagen (2006:804); förordning (EG) nr 852/2004 art. 6",
     "Kommunens kontrollmyndighet för livsmedel", None, None, None, None, "submitted", 2, True,
     "Anmäl minst 2 veckor före start; verksamheten får starta 2 veckor efter anmälan även utan beslut. "
     "Nytt organisationsnummer eller nya lokaler kräver ny registrering. Sanktionsavgift 5 000–75 000 kr."),
    ("servering", "Serveringstillstånd (stadigvarande)", "Alkohollagen (2010:1622) 8 kap.",
     "Kommunen (social- eller tillståndsnämnd)", None, None, None, None, "complete", None, True,
     "Ingen lagstadgad maxtid hittad. Typiskt 8–10 veckor. Kunskapsprov krävs; remiss till Polisen, Skatteverket, räddningstjänsten m.fl."),
    ("servering-tillfallig", "Serveringstillstånd (tillfälligt)", "Alkohollagen (2010:1622) 8 kap.",
     "Kommunen (social- eller tillståndsnämnd)", None, None, None, None, "complete", 6, True,
     "Allmänheten: typiskt 5–6 veckor. Slutet sällskap: 2–4 veckor."),
    ("tobak", "Tillstånd för tobaksförsäljning", "Lag (2018:2088) om tobak och liknande produkter 5 kap.",
     "Kommunen där försäljningsstället finns", 4, "months", 4, "months", "complete", None, True,
     "Typiskt cirka 60 dagar (stadigvarande), 30 dagar (tillfälligt). Egenkontrollprogram krävs."),
    ("folkol-ecig", "Anmälan folköl och e-cigaretter", "Alkohollagen (2010:1622) 5 kap.; lag (2018:2088); lag (2022:1257)",
     "Kommunen (anmälan)", None, None, None, None, "submitted", None, True, "Anmäl före start; egenkontroll."),
    ("receptfria-lakemedel", "Försäljning av receptfria läkemedel", "Lag (2009:730) om handel med vissa receptfria läkemedel",
     "Läkemedelsverket (anmälan); kommunen utövar tillsyn", None, None, None, None, "submitted", None, True,
     "Valbart område i SKR Insikt från 2024."),
    ("brandfarlig-vara", "Tillstånd brandfarlig vara", "Lag (2010:1011) om brandfarliga och explosiva varor",
     "Kommunen (räddningstjänsten eller dess nämnd)", None, None, None, None, "complete", None, True,
     "Tillstånd över MSB:s gränsmängder. Ingen lagstadgad tid hittad; sök samtidigt som bygglov."),
    ("explosiv-vara", "Tillstånd explosiv vara", "Lag (2010:1011) om brandfarliga och explosiva varor",
     "Kommunen (förvärv, innehav, förvaring, handel, användning); MSB (tillverkning m.m.)",
     None, None, None, None, "complete", None, True, ""),
    ("offentlig-plats", "Användning av offentlig plats", "Ordningslagen (1993:1617) 3 kap.",
     "Polismyndigheten; kommunen yttrar sig och tar ut avgift för marken", None, None, None, None, "complete", 12, False,
     "Uteservering, gatuförsäljning, containrar, byggställningar, skyltar, scener. Räkna med upp till 12 veckor inför evenemang."),
    ("offentlig-tillstallning", "Offentlig tillställning / allmän sammankomst", "Ordningslagen (1993:1617) 2 kap.",
     "Polismyndigheten (hämtar yttranden från kommunen, räddningstjänsten m.fl.)", None, None, None, None, "complete", 12, False,
     "Konserter, marknader, festivaler, tivolin, fyrverkerier, affischering. Sök i god tid; räkna med minst 12 veckor."),
    ("markupplatelse", "Markupplåtelse på kommunal mark", "Civilrättsligt avtal eller lokala föreskrifter",
     "Kommunen som markägare (samhällsbyggnad/teknik)", None, None, None, None, "complete", None, True,
     "Torghandel, evenemang, tillfälliga byggnader. Redovisas separat i SKR Insikt från 2024."),
    ("trafik-ta-plan", "Avstängning, lokala trafikföreskrifter och TA-plan", "Trafikförordningen (1998:1276) m.fl.",
     "Kommunen som väghållare; vid evenemang Polisen efter kommunens yttrande", None, None, None, None, "complete", None, False, ""),
    ("lotteri", "Registreringslotteri", "Spellagen (2018:1138)",
     "Kommunen (registrering); i övrigt Spelinspektionen", None, None, None, None, "submitted", None, False,
     "För ideella föreningar."),
]

# (name, description, website)
PARTNERS = [
    ("Almi Företagspartner Mitt", "Statligt ägt: lån, affärsrådgivning och innovationsfinansiering (region Dalarna).", "https://www.almi.se"),
    ("IUC Dalarna", "Industriellt utvecklingscentrum: tillverkande småföretag, kompetens- och utvecklingsprojekt.", ""),
    ("Dalarna Science Park", "Regional science park: inkubator, scale-up-program, projektarena och hjälp med extern finansiering.", ""),
    ("Nyföretagarcentrum Falun Borlänge", "Kostnadsfri rådgivning för den som ska starta företag.", "https://www.nyforetagarcentrum.se"),
    ("Coompanion Dalarna", "Rådgivning för kooperativa och sociala företag.", "https://coompanion.se"),
    ("Ung Företagsamhet Dalarna", "UF-företag i gymnasieskolan; samverkan skola–näringsliv.", "https://ungforetagsamhet.se"),
    ("Visit Dalarna", "Regional turismorganisation: destinationsutveckling och evenemang.", ""),
    ("Region Dalarna", "Regional utveckling: företagsstöd, EU:s strukturfonder, infrastruktur.", "https://www.regiondalarna.se"),
    ("Falun Borlänge-regionen AB", "Utvecklingsbolag för Falun, Borlänge, Gagnef, Ludvika, Smedjebacken och Säter: näringslivsutveckling, kompetensförsörjning, upphandlingscenter.", ""),
    ("Arbetsförmedlingen", "Rekrytering, arbetsmarknadsinsatser och stöd vid varsel och omställning.", "https://arbetsformedlingen.se"),
]


def _seed():
    now = datetime.now(UTC).replace(tzinfo=None)
    permit_types = sa.table(
        "permit_types",
        *(sa.column(name) for name in (
            "code", "name", "law", "deciding_body", "statutory_time_value", "statutory_time_unit",
            "extension_value", "extension_unit", "clock_starts", "lead_time_weeks", "is_skr_insikt_area",
            "handling_note", "position", "created_at", "updated_at", "version",
        )),
    )
    op.bulk_insert(permit_types, [
        {
            "code": code, "name": name, "law": law, "deciding_body": body,
            "statutory_time_value": value, "statutory_time_unit": unit,
            "extension_value": ext_value, "extension_unit": ext_unit, "clock_starts": clock,
            "lead_time_weeks": lead, "is_skr_insikt_area": insikt, "handling_note": note,
            "position": position, "created_at": now, "updated_at": now, "version": 1,
        }
        for position, (code, name, law, body, value, unit, ext_value, ext_unit, clock, lead, insikt, note)
        in enumerate(PERMIT_TYPES, start=1)
    ])
    partners = sa.table(
        "referral_partners",
        *(sa.column(name) for name in ("name", "description", "website", "position", "created_at", "updated_at", "version")),
    )
    op.bulk_insert(partners, [
        {"name": name, "description": description, "website": website, "position": position,
         "created_at": now, "updated_at": now, "version": 1}
        for position, (name, description, website) in enumerate(PARTNERS, start=1)
    ])


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('permit_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('law', sa.String(length=300), server_default='', nullable=False),
    sa.Column('deciding_body', sa.String(length=300), server_default='', nullable=False),
    sa.Column('statutory_time_value', sa.Integer(), nullable=True),
    sa.Column('statutory_time_unit', sa.String(length=10), nullable=True),
    sa.Column('extension_value', sa.Integer(), nullable=True),
    sa.Column('extension_unit', sa.String(length=10), nullable=True),
    sa.Column('clock_starts', sa.String(length=10), server_default='complete', nullable=False),
    sa.Column('lead_time_weeks', sa.Integer(), nullable=True),
    sa.Column('is_skr_insikt_area', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('handling_note', sa.Text(), server_default='', nullable=False),
    sa.Column('e_service_url', sa.String(length=300), server_default='', nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("clock_starts IN ('complete', 'submitted')", name=op.f('ck_permit_types_clock_starts')),
    sa.CheckConstraint("extension_unit IS NULL OR extension_unit IN ('weeks', 'months')", name=op.f('ck_permit_types_extension_unit')),
    sa.CheckConstraint("statutory_time_unit IS NULL OR statutory_time_unit IN ('weeks', 'months')", name=op.f('ck_permit_types_statutory_time_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_permit_types')),
    sa.UniqueConstraint('code', name=op.f('uq_permit_types_code')),
    sa.UniqueConstraint('name', name=op.f('uq_permit_types_name'))
    )
    with op.batch_alter_table('permit_types', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_permit_types_retired_at'), ['retired_at'], unique=False)

    op.create_table('referral_partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('website', sa.String(length=300), server_default='', nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_partners')),
    sa.UniqueConstraint('name', name=op.f('uq_referral_partners_name'))
    )
    with op.batch_alter_table('referral_partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_partners_retired_at'), ['retired_at'], unique=False)

    op.create_table('interactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('telefonsamtal', 'besok', 'mote', 'epost', 'tillstandsvagledning', 'evenemang', 'ovrigt', name='interactionkind', native_enum=False, length=30), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('inbound_channel', sa.Enum('telefon', 'epost', 'webbformular', 'kontaktcenter', 'besok', 'remiss', name='inboundchannel', native_enum=False, length=20), nullable=True),
    sa.Column('subject', sa.String(length=200), server_default='', nullable=False),
    sa.Column('notes', sa.Text(), server_default='', nullable=False),
    sa.Column('focus_area_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('is_restricted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.Column('form_token', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_interactions_author_id_users')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_interactions_company_id_companies')),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['users.id'], name=op.f('fk_interactions_deleted_by_id_users')),
    sa.ForeignKeyConstraint(['focus_area_id'], ['focus_areas.id'], name=op.f('fk_interactions_focus_area_id_focus_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interactions')),
    sa.UniqueConstraint('form_token', name=op.f('uq_interactions_form_token'))
    )
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.create_index('ix_interactions_author_id_occurred_at', ['author_id', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_interactions_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_interactions_company_id_occurred_at', ['company_id', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_interactions_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_interactions_deleted_by_id'), ['deleted_by_id'], unique=False)
        batch_op.create_index('ix_interactions_focus_area_id_occurred_at', ['focus_area_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_interactions_is_restricted_occurred_at', ['is_restricted', 'occurred_at'], unique=False)
        batch_op.create_index('ix_interactions_kind_occurred_at', ['kind', 'occurred_at'], unique=False)
        batch_op.create_index('ix_interactions_occurred_at', ['occurred_at'], unique=False)

    op.create_table('interaction_contact_persons',
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('contact_person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_person_id'], ['contact_persons.id'], name=op.f('fk_interaction_contact_persons_contact_person_id_contact_persons')),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_interaction_contact_persons_interaction_id_interactions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('interaction_id', 'contact_person_id', name=op.f('pk_interaction_contact_persons'))
    )
    with op.batch_alter_table('interaction_contact_persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interaction_contact_persons_contact_person_id'), ['contact_person_id'], unique=False)

    op.create_table('interaction_focus_areas',
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('focus_area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['focus_area_id'], ['focus_areas.id'], name=op.f('fk_interaction_focus_areas_focus_area_id_focus_areas')),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_interaction_focus_areas_interaction_id_interactions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('interaction_id', 'focus_area_id', name=op.f('pk_interaction_focus_areas'))
    )
    with op.batch_alter_table('interaction_focus_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interaction_focus_areas_focus_area_id'), ['focus_area_id'], unique=False)

    op.create_table('interaction_participants',
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_interaction_participants_interaction_id_interactions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_interaction_participants_user_id_users')),
    sa.PrimaryKeyConstraint('interaction_id', 'user_id', name=op.f('pk_interaction_participants'))
    )
    with op.batch_alter_table('interaction_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interaction_participants_user_id'), ['user_id'], unique=False)

    op.create_table('permit_guidances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('permit_type_id', sa.Integer(), nullable=False),
    sa.Column('guidance_given', sa.Text(), server_default='', nullable=False),
    sa.Column('handed_to', sa.String(length=200), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_permit_guidances_interaction_id_interactions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['permit_type_id'], ['permit_types.id'], name=op.f('fk_permit_guidances_permit_type_id_permit_types')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_permit_guidances')),
    sa.UniqueConstraint('interaction_id', 'permit_type_id', name=op.f('uq_permit_guidances_interaction_id_permit_type_id'))
    )
    with op.batch_alter_table('permit_guidances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_permit_guidances_interaction_id'), ['interaction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_permit_guidances_permit_type_id'), ['permit_type_id'], unique=False)

    op.create_table('referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), server_default='', nullable=False),
    sa.Column('referred_on', sa.Date(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('outcome_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_referrals_company_id_companies')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_referrals_created_by_id_users')),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_referrals_interaction_id_interactions')),
    sa.ForeignKeyConstraint(['partner_id'], ['referral_partners.id'], name=op.f('fk_referrals_partner_id_referral_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals'))
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referrals_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_referrals_company_id_referred_on', ['company_id', 'referred_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_interaction_id'), ['interaction_id'], unique=False)
        batch_op.create_index('ix_referrals_partner_id_referred_on', ['partner_id', 'referred_on'], unique=False)

    # ### end Alembic commands ###
    _seed()


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_referrals_partner_id_referred_on')
        batch_op.drop_index(batch_op.f('ix_referrals_interaction_id'))
        batch_op.drop_index(batch_op.f('ix_referrals_created_by_id'))
        batch_op.drop_index('ix_referrals_company_id_referred_on')
        batch_op.drop_index(batch_op.f('ix_referrals_case_id'))

    op.drop_table('referrals')
    with op.batch_alter_table('permit_guidances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_permit_guidances_permit_type_id'))
        batch_op.drop_index(batch_op.f('ix_permit_guidances_interaction_id'))

    op.drop_table('permit_guidances')
    with op.batch_alter_table('interaction_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interaction_participants_user_id'))

    op.drop_table('interaction_participants')
    with op.batch_alter_table('interaction_focus_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interaction_focus_areas_focus_area_id'))

    op.drop_table('interaction_focus_areas')
    with op.batch_alter_table('interaction_contact_persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interaction_contact_persons_contact_person_id'))

    op.drop_table('interaction_contact_persons')
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.drop_index('ix_interactions_occurred_at')
        batch_op.drop_index('ix_interactions_kind_occurred_at')
        batch_op.drop_index('ix_interactions_is_restricted_occurred_at')
        batch_op.drop_index('ix_interactions_focus_area_id_occurred_at')
        batch_op.drop_index(batch_op.f('ix_interactions_deleted_by_id'))
        batch_op.drop_index(batch_op.f('ix_interactions_deleted_at'))
        batch_op.drop_index('ix_interactions_company_id_occurred_at')
        batch_op.drop_index(batch_op.f('ix_interactions_case_id'))
        batch_op.drop_index('ix_interactions_author_id_occurred_at')

    op.drop_table('interactions')
    with op.batch_alter_table('referral_partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_partners_retired_at'))

    op.drop_table('referral_partners')
    with op.batch_alter_table('permit_types', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_permit_types_retired_at'))

    op.drop_table('permit_types')
    # ### end Alembic commands ###
