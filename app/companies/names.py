"""Company and person names as keys: the normalised name (search, duplicates, uniqueness)
and the Swedish sort key."""

from __future__ import annotations

import unicodedata


def normalise_name(name: str) -> str:
    """Casefolded name with runs of whitespace collapsed: the key for search, sort, duplicates."""
    return " ".join((name or "").split()).casefold()


_SV_LETTERS = "åäöæø"  # untranslated: letters, not text
# After casefolding, byte order already sorts a–z and digits; only å, ä, ö must go after z, in
# that order (Unicode has ä before å). "{", "|", "}" are the three code points after "z".
_SV_SORT = str.maketrans(
    {
        "å": "{",  # untranslated: letters, not text
        "ä": "|",  # untranslated: letters, not text
        "æ": "|",
        "ö": "}",  # untranslated: letters, not text
        "ø": "}",
    }
)


def sort_key(name: str) -> str:
    """A key whose plain (binary) order is Swedish alphabetical order of `name`.

    Casefolded like name_norm; accents other than å/ä/ö are dropped (é sorts as e).
    """
    out: list[str] = []
    for ch in normalise_name(name):
        if ch in _SV_LETTERS:
            out.append(ch)
        else:
            out.extend(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return "".join(out).translate(_SV_SORT)
