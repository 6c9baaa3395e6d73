"""Users, roles, sign-in, sessions and passwords."""
