"""The API's resource blueprints, in the order the reference page lists them."""

from app.api.resources.cases import blp as cases
from app.api.resources.catalogues import blp as catalogues
from app.api.resources.companies import blp as companies
from app.api.resources.contacts import blp as contacts
from app.api.resources.followups import blp as followups
from app.api.resources.me import blp as me
from app.api.resources.reports import blp as reports
from app.api.resources.visits import blp as visits

BLUEPRINTS = [me, companies, contacts, cases, followups, visits, catalogues, reports]
