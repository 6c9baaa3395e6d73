"""The feature packages, in the order they are wired into the app.

Each listed package has `init_app(app)` that registers its blueprints, CLI group, start-page
panels, navigation counts and admin links. Adding a feature is one line here (and its models
in app/models.py).
"""

FEATURES: list[str] = [
    "app.audit",
    "app.scale",
    "app.search",
    "app.strategy",
    "app.companies",
    "app.catalogues",
    "app.interactions",
    "app.cases",
    "app.mail",
    "app.followups",
    "app.scheduler",
    "app.visits",
    "app.plan",
    "app.reports",
    "app.privacy",
    "app.api",
]
