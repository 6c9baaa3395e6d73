"""`flask users create` reads the password from standard input and calls the same service."""

from __future__ import annotations

import pytest

from app.auth.models import User
from app.auth.passwords import verify_password


def test_users_create_from_stdin(runner, db):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Ny@Kommun.example",
            "--name",
            "Örjan Ny",
            "--role",
            "admin",
            "--password-stdin",
        ],
        input="ett-långt-lösenord-från-stdin\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.query(User).filter_by(email="ny@kommun.example").one()
    assert user.role == "admin"
    assert verify_password(user.password_hash, "ett-långt-lösenord-från-stdin")


def test_users_create_refuses_a_short_password_with_a_swedish_message(runner, db):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "k@kommun.example",
            "--name",
            "K",
            "--role",
            "lots",
            "--password-stdin",
        ],
        input="kort\n",
    )
    assert result.exit_code != 0
    assert "minst 12 tecken" in result.output


@pytest.mark.demo_data
def test_demo_data_twice_adds_nothing_twice(runner, db, demo_output):
    assert "5 nya användare" in demo_output
    count = db.session.query(User).count()
    assert count == 5
    second = runner.invoke(args=["demo-data"])
    assert second.exit_code == 0, second.output
    assert db.session.query(User).count() == count
    assert "Lotsbok-demo-2026" in second.output
