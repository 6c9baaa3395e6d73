"""Scale tooling: the deterministic synthetic data generator (`flask generate-data`)."""


def init_app(app) -> None:  # noqa: ANN001 - Flask app
    from app.scale import generate_cases_visits  # noqa: F401 - registers its generators
    from app.scale.cli import generate_data_command

    app.cli.add_command(generate_data_command)
