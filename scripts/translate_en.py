"""Fill the English catalogue from the glossary below (`make translations-update`).

Swedish is the source language; msgids are the Swedish texts. Untranslated strings show in
Swedish, which is the designed fallback.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

GLOSSARY = {
    "Lotsbok": "Lotsbok",
    "Hoppa till innehållet": "Skip to content",
    "Huvudmeny": "Main menu",
    "Byt lösenord": "Change password",
    "Logga ut": "Sign out",
    "Det finns fel i formuläret": "There are errors in the form",
    "Sidnavigering": "Pagination",
    "Föregående": "Previous",
    "Sida": "Page",
    "Nästa": "Next",
    "av": "of",
    "Händelselogg": "Audit log",
    "Administration": "Administration",
    "Filtrera händelser": "Filter events",
    "Typ av post": "Record type",
    "Alla": "All",
    "Post-id": "Record id",
    "Användare": "Users",
    "Händelse": "Event",
    "Från": "From",
    "Till": "To",
    "Filtrera": "Filter",
    "händelser": "events",
    "Händelser, nyaste först": "Events, newest first",
    "Tid": "Time",
    "Post": "Record",
    "Ändringar": "Changes",
    "System": "System",
    "Inga händelser matchar filtret.": "No events match the filter.",
    "Nytt fokusområde": "New focus area",
    "Fokusområden": "Focus areas",
    "Spara": "Save",
    "Avbryt": "Cancel",
    "Fokusområden per strategi": "Focus areas by strategy",
    "Namn": "Name",
    "Strategi": "Strategy",
    "Status": "Status",
    "Åtgärder": "Actions",
    "Avslutat": "Retired",
    "Aktivt": "Active",
    "Avsluta ”%(name)s”? Det kan då inte väljas för nya poster.": "Retire “%(name)s”? It can then not be chosen for new records.",
    "Återaktivera": "Reinstate",
    "Avsluta": "Retire",
    "Inga fokusområden ännu.": "No focus areas yet.",
    "Användare och roller": "Users and roles",
    "Händelselogg (granskningsspår)": "Audit log",
    "Ny användare": "New user",
    "Sätt engångslösenord": "Set one-time password",
    "Användare med roll och status": "Users with role and status",
    "E-post": "E-mail",
    "Roll": "Role",
    "Senast inloggad": "Last signed in",
    "Aktiv": "Active",
    "Inaktiv": "Inactive",
    "Inaktivera %(name)s? Alla hens inloggningar avslutas.": "Deactivate %(name)s? All their sessions end.",
    "Inaktivera": "Deactivate",
    "Aktivera": "Activate",
    "Spara nytt lösenord": "Save new password",
    "Logga in": "Sign in",
    "Logga in i Lotsbok": "Sign in to Lotsbok",
    "Till startsidan": "To the start page",
    "Start": "Home",
    "Hej %(name)s!": "Hello %(name)s!",
    "Idag är det": "Today is",
    "Näringslivsstrategins fokusområden": "Focus areas of the business strategy",
    "Inga fokusområden är aktiva.": "No focus areas are active.",
    "Uppgifter i Lotsbok är allmänna handlingar och kan lämnas ut efter sekretessprövning.": "Records in Lotsbok are official documents and may be disclosed after a secrecy review.",
    "Användarna måste byta lösenordet vid nästa inloggning. Pågående inloggningar avslutas.": "The user must change the password at the next sign-in. Current sessions end.",
}


def main(path: str) -> None:
    po_path = Path(path)
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    filled = 0
    for message in catalog:
        if message.id and not message.string and message.id in GLOSSARY:
            message.string = GLOSSARY[message.id]
            filled += 1
    with po_path.open("wb") as fh:
        write_po(fh, catalog, width=100)
    print(f"{filled} strings filled")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "app/translations/en/LC_MESSAGES/messages.po")
