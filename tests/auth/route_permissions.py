"""Routes of sign-in security (two-step verification, single sign-on, sessions, admin page)."""

from __future__ import annotations

from tests.route_permissions import Route

ADMIN = frozenset({"admin"})

ROUTES: dict[str, Route] = {
    # Without a password step first the two-step page sends everyone back to sign-in.
    "auth.two_step": Route(public=True, public_status=302, ok=(302,)),
    # Single sign-on is off in the test configuration: the routes do not exist (404).
    "auth.oidc_start": Route(public=True, public_status=404, ok=(404,)),
    "auth.oidc_callback": Route(public=True, public_status=404, ok=(404,)),
    "auth.my_sessions": Route(),
    # The user picker's search: every signed-in user (the audit log's pool needs VIEW_AUDIT).
    "auth.user_search": Route(marker="application/json"),
    "auth.sign_out_others": Route("POST"),
    "auth.two_step_settings": Route(),
    "auth.new_recovery_codes": Route("POST", data=lambda w: {"password": "fel"}),
    "admin.user_reset_mfa": Route("POST", allowed=ADMIN, args=lambda w: {"user_id": w.users["lots"].id}),
    "admin.sign_in_security": Route(allowed=ADMIN),
    "admin.mfa_policy": Route("POST", allowed=ADMIN, data=lambda w: {"admin": "y"}),
    "admin.lift_delay": Route("POST", allowed=ADMIN, data=lambda w: {"ip": "192.0.2.1"}),
}
