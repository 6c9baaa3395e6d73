"""The client address of the current request, for the audit trail.

Services never read `request`; the web layer sets this at the start of each request (after
ProxyFix, so it is the real client behind trusted proxies) and clears it at the end. The CLI
and jobs leave it unset (None).
"""

from __future__ import annotations

from contextvars import ContextVar

_client_address: ContextVar[str | None] = ContextVar("lotsbok_client_address", default=None)


def set_client_address(address: str | None) -> object:
    """Set the address for the current context; returns a token for `reset_client_address`."""
    return _client_address.set(address)


def reset_client_address(token: object) -> None:
    _client_address.reset(token)  # type: ignore[arg-type]


def client_address() -> str | None:
    return _client_address.get()
