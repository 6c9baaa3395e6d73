"""Builders for test data, one module per feature, one name per thing. They flush, never commit.

Naming:
- ``make_<thing>(...)`` builds and flushes one <thing>. Where a feature has services, it goes
  through them (permissions, audit trail, ``last_contact_at`` behave as in the app).
- ``make_<thing>_row(...)`` inserts the row straight from the model with exact timestamps and no
  service side effects (the report figures are about time edges, so nothing there goes through "now").
- ``<thing>_input(...)`` returns the service's input dataclass with working defaults.
- ``<thing>(key)`` looks up a row the migrations seed (``focus_areas()``, ``case_type(code)``,
  ``permit_type(code)``, ``partner(name_start)``).

"Kontaktperson" is a ContactPerson (``make_contact_person``); "kontakt" is an Interaction
(``make_interaction``).
"""
