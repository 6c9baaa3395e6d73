"""Rules of the code's shape that no linter checks: no module over 500 lines, and no package
imports another package's private names (import-linter, `lint-imports` with the contracts in
pyproject.toml, sees modules, not names).

A name with a leading underscore is its module's own business; a helper another package needs is
made public in the module where it belongs (often app.core), not borrowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"


def _package(module: str) -> str:
    """The top-level package of `module` inside app ("app.cases.views" → "app.cases")."""
    return ".".join(module.split(".")[:2])


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _private_imports_across_packages() -> list[str]:
    found = []
    for path in sorted(APP.rglob("*.py")):
        importer = _module_name(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if (
                not isinstance(node, ast.ImportFrom)
                or node.level
                or not (node.module or "").startswith("app")
            ):
                continue
            imported = node.module or ""
            if _package(imported) == _package(importer) and imported != "app":
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(
                        f"{path.relative_to(APP.parent)}:{node.lineno}: from {imported} import {alias.name}"
                    )
    return found


def test_no_package_imports_another_packages_private_names():
    assert _private_imports_across_packages() == []


def test_the_check_sees_a_private_import_across_packages(tmp_path, monkeypatch):
    # The scan itself: a cross-package private import is found, one inside a package is not.
    app = tmp_path / "app"
    (app / "a").mkdir(parents=True)
    (app / "b").mkdir()
    (app / "a" / "views.py").write_text("from app.b.views import _helper\nfrom app.a.models import _own\n")
    (app / "b" / "views.py").write_text("def _helper(): ...\n")
    monkeypatch.setattr(__name__ + ".APP", app)
    assert _private_imports_across_packages() == ["app/a/views.py:1: from app.b.views import _helper"]


MAX_MODULE_LINES = 500


def test_no_module_in_app_is_over_500_lines():
    """A module past 500 lines is a package in disguise (issue 16): split it by sub-domain."""
    long = {
        str(path.relative_to(APP.parent)): n
        for path in sorted(APP.rglob("*.py"))
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}
