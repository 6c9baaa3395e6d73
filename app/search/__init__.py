"""One search box over companies, contact persons, contacts and cases (SQLite FTS5 or PostgreSQL
full text behind one interface)."""


def init_app(app) -> None:  # noqa: ANN001 - Flask app
    from app.search.views import bp

    app.register_blueprint(bp)
