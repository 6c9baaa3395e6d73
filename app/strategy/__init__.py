"""The business strategy's floor: strategies and their focus areas (models, queries, services,
the focus-area form). Every feature may import it; it imports no feature but audit and auth.
Focus-area admin screens live in app.admin; the handlingsplan and the indicators, which read
contacts and cases, in the high package app.plan (wired instead of this one in app.features)."""
