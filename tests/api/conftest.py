"""API test helpers: a token per role and a client that sends it."""

from __future__ import annotations

import pytest

from app.api import tokens


class ApiClient:
    """The Flask test client with `Authorization: Bearer <token>` on every request."""

    def __init__(self, client, secret: str) -> None:
        self.client = client
        self.secret = secret

    def _headers(self, headers: dict | None) -> dict:
        return {"Authorization": f"Bearer {self.secret}", **(headers or {})}

    def get(self, url, headers=None, **kw):
        return self.client.get(url, headers=self._headers(headers), **kw)

    def post(self, url, json=None, headers=None, **kw):
        return self.client.post(url, json=json, headers=self._headers(headers), **kw)

    def patch(self, url, json=None, headers=None, **kw):
        return self.client.patch(url, json=json, headers=self._headers(headers), **kw)

    def delete(self, url, headers=None, **kw):
        return self.client.delete(url, headers=self._headers(headers), **kw)


def make_token(db, user, scope: str = "write", days: int | None = None) -> str:
    _token, secret = tokens.create_token(
        user,
        tokens.TokenInput(name=f"test {user.role} {scope}", scope=scope, days=days),
        actor=None,
        system=True,
    )
    db.session.commit()
    return secret


@pytest.fixture
def api_as(app, db, users):
    """api_as("lots") → an ApiClient with a write token of that role's user (scope= for read)."""

    def _make(who, scope: str | None = None) -> ApiClient:
        user = users[who] if isinstance(who, str) else who
        if scope is None:
            scope = "write" if user.role in ("lots", "ledning") else "read"
        return ApiClient(app.test_client(), make_token(db, user, scope))

    return _make
