"""The API's resource blueprints, in the order the reference page lists them."""

from app.api.resources.companies import blp as companies

BLUEPRINTS = [companies]
