"""Every user-facing text in app/ is wrapped for translation.

tests/test_translations.py proves that every *wrapped* text has an English translation; this
test proves the wrapping itself, so that a Swedish text cannot reach an English page unseen.
A string literal that reads as Swedish prose (it has å, ä or ö, or it is a capitalised phrase
of words) must be inside `_()`/`_l()` (gettext/lazy_gettext) – unless it is:

- a docstring, or an argument of a logging call (logs are for operators, kept in Swedish);
- on a line that says why it stays Swedish: `# untranslated: <reason>` (stored in the audit
  trail, data matched on import, a Swedish authority's own term …);
- in a module listed in UNTRANSLATED_MODULES below, with the reason.

Helpers: `_` is `flask_babel.gettext` (inside functions, at request time) and `_l` is
`flask_babel.lazy_gettext` (module level: form labels, label dicts, class attributes).
"""

from __future__ import annotations

import ast
import re
from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"

# Whole modules that stay Swedish, by file name pattern (fnmatch on the path from the root).
UNTRANSLATED_MODULES: dict[str, str] = {
    "app/demo.py": "fictitious Swedish demo data, not interface text",
    "app/*/demo.py": "fictitious Swedish demo data, not interface text",
    "app/*/demo_data.py": "fictitious Swedish demo data, not interface text",
    "app/scale/*": "generated fictitious data for the benchmark",
    "app/cli.py": "the operators' command line speaks Swedish, like the logs",
    "app/*/cli.py": "the operators' command line speaks Swedish, like the logs",
    "app/api/*": "the JSON API answers in Swedish: a client has no language session, and the "
    "reference is written for the kommun's integrators",
    "app/api/*/*": "the JSON API answers in Swedish (as above)",
}

WRAPPERS = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext", "npgettext"}
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
SWEDISH_LETTER = re.compile(r"[åäöÅÄÖéÉ]")
CAPITALISED_PHRASE = re.compile(r"^[A-ZÅÄÖ][a-zåäö]+(?: [a-zåäöA-ZÅÄÖ0-9–,.:;!?()\"”%-]+)+[.:!?]?$")
MARKER = "# untranslated:"


def _reads_as_prose(text: str) -> bool:
    text = text.strip()
    if not text or text.isupper():
        return False
    return bool(SWEDISH_LETTER.search(text) or CAPITALISED_PHRASE.match(text))


def _docstring_nodes(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _is_exempt_call(call: ast.Call) -> bool:
    name = _call_name(call)
    if name in WRAPPERS:
        return True
    # logger.info(...), current_app.logger.warning(...), log.error(...)
    return name in LOG_METHODS and isinstance(call.func, ast.Attribute)


def unwrapped_texts(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    docstrings = _docstring_nodes(tree)
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    problems = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in docstrings:
            continue
        if not _reads_as_prose(node.value):
            continue
        ancestor: ast.AST | None = parents.get(id(node))
        exempt = False
        while ancestor is not None:
            if isinstance(ancestor, ast.Call) and _is_exempt_call(ancestor):
                exempt = True
                break
            ancestor = parents.get(id(ancestor))
        if exempt:
            continue
        span = lines[node.lineno - 1 : (node.end_lineno or node.lineno)]
        if any(MARKER in line for line in span):
            continue
        rel = path.relative_to(ROOT).as_posix()
        problems.append(f"{rel}:{node.lineno}: {node.value[:70]!r}")
    return problems


def _modules() -> list[Path]:
    return sorted(
        p
        for p in APP.rglob("*.py")
        if "translations" not in p.parts
        and not any(fnmatch(p.relative_to(ROOT).as_posix(), pattern) for pattern in UNTRANSLATED_MODULES)
    )


def _package(path: Path) -> str:
    rel = path.relative_to(APP)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


PACKAGES = sorted({_package(p) for p in _modules()})


@pytest.mark.parametrize("package", PACKAGES)
def test_user_facing_texts_are_wrapped_for_translation(package):
    problems = [line for path in _modules() if _package(path) == package for line in unwrapped_texts(path)]
    assert not problems, f"{len(problems)} unwrapped Swedish texts in app/{package}:\n" + "\n".join(
        problems[:60]
    )


def test_the_check_finds_an_unwrapped_text(tmp_path):
    sample = ROOT / "app" / "_sample_for_test.py"
    sample.write_text(
        "from flask import flash\nfrom flask_babel import gettext as _\n\n"
        'def view():\n    flash("Företaget är sparat.")\n    flash(_("Företaget är sparat."))\n'
        '    log.info("Företaget är sparat.")\n    kind = "Ärende"  # untranslated: stored code\n',
        encoding="utf-8",
    )
    try:
        assert unwrapped_texts(sample) == ["app/_sample_for_test.py:5: 'Företaget är sparat.'"]
    finally:
        sample.unlink()
