"""The API reference page (/api/v1/dokumentation), rendered on the server from the OpenAPI
document itself: no JavaScript, no CDN, the app's own stylesheet, CSP unchanged. What the page
says is therefore exactly what /api/v1/openapi.json says."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, render_template
from markupsafe import Markup, escape

from app.api.problems import PROBLEMS, STALE_ANCHOR

bp = Blueprint("api_reference", __name__, url_prefix="/api/v1")

METHOD_ORDER = ["get", "post", "put", "patch", "delete"]


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow a local $ref ("#/components/schemas/X")."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        parts = node["$ref"].lstrip("#/").split("/")
        target: Any = spec
        for part in parts:
            target = target.get(part, {})
        node, seen = target, seen + 1
    return node


def _type_label(spec: dict[str, Any], schema: dict[str, Any]) -> str:
    schema = _resolve(spec, schema)
    if "anyOf" in schema:
        return " eller ".join(_type_label(spec, s) for s in schema["anyOf"])
    kind = schema.get("type", "objekt")
    kinds = kind if isinstance(kind, list) else [kind]
    names = {"string": "text", "integer": "heltal", "boolean": "sant/falskt", "number": "tal",
             "array": "lista", "object": "objekt", "null": "null"}  # fmt: skip
    label = " eller ".join(names.get(k, k) for k in kinds)
    if schema.get("format") == "date":
        label += " (datum ÅÅÅÅ-MM-DD)"
    elif schema.get("format") == "date-time":
        label += " (tidpunkt, RFC 3339)"
    if "array" in kinds and "items" in schema:
        label += " av " + _type_label(spec, schema["items"])
    return label


def _constraints(schema: dict[str, Any]) -> str:
    bits = []
    if "enum" in schema:
        bits.append("ett av: " + ", ".join(f"”{v}”" for v in schema["enum"]))
    if "minimum" in schema or "maximum" in schema:
        bits.append(f"{schema.get('minimum', '')}–{schema.get('maximum', '')}")
    if "maxLength" in schema:
        bits.append(f"högst {schema['maxLength']} tecken")
    if "pattern" in schema:
        bits.append(f"mönster {schema['pattern']}")
    return "; ".join(bits)


def _fields(spec: dict[str, Any], schema: Any, prefix: str = "", depth: int = 0) -> list[dict[str, Any]]:
    """Rows (name, type, required, description, constraints, example) of an object schema."""
    schema = _resolve(spec, schema)
    rows: list[dict[str, Any]] = []
    required = set(schema.get("required", []))
    for name, prop in (schema.get("properties") or {}).items():
        resolved = _resolve(spec, prop)
        rows.append(
            {
                "name": prefix + name,
                "type": _type_label(spec, prop),
                "required": name in required,
                "description": resolved.get("description", ""),
                "constraints": _constraints(resolved),
                "example": resolved.get("example"),
            }
        )
        if depth < 2:
            inner = resolved
            if resolved.get("type") == "array" or (
                isinstance(resolved.get("type"), list) and "array" in resolved["type"]
            ):
                inner = _resolve(spec, resolved.get("items", {}))
                if inner.get("properties"):
                    rows.extend(_fields(spec, inner, f"{prefix}{name}[].", depth + 1))
            elif inner.get("properties"):
                rows.extend(_fields(spec, inner, f"{prefix}{name}.", depth + 1))
    return rows


_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_ITALIC = re.compile(r"\*([^*]+)\*")


def prose(text: str) -> Markup:
    """The little Markdown the descriptions use (paragraphs, **bold**, *italic*, `code`)."""
    paragraphs = [p.strip() for p in (text or "").split("\n\n") if p.strip()]
    html = []
    for paragraph in paragraphs:
        safe = str(escape(" ".join(paragraph.split())))
        safe = _CODE.sub(r"<code>\1</code>", safe)
        safe = _BOLD.sub(r"<strong>\1</strong>", safe)
        safe = _ITALIC.sub(r"<em>\1</em>", safe)
        html.append(f"<p>{safe}</p>")
    return Markup("".join(html))  # noqa: S704 - escaped above, only our own tags added


def reference_context(spec: dict[str, Any]) -> dict[str, Any]:
    tags = {t["name"]: {"name": t["name"], "description": t.get("description", ""), "operations": []}
            for t in spec.get("tags", [])}  # fmt: skip
    for path, item in spec.get("paths", {}).items():
        for method in METHOD_ORDER:
            op = item.get(method)
            if op is None:
                continue
            params = [_resolve(spec, p) for p in (*item.get("parameters", []), *op.get("parameters", []))]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            responses = []
            for code, resp in sorted(op.get("responses", {}).items()):
                resp = _resolve(spec, resp)
                content = resp.get("content", {})
                media, schema = next(iter(content.items()), (None, {}))
                responses.append(
                    {
                        "code": code,
                        "description": resp.get("description", ""),
                        "media": media,
                        "fields": _fields(spec, schema.get("schema", {}))
                        if media == "application/json"
                        else [],
                        "headers": sorted((resp.get("headers") or {}).keys()),
                    }
                )
            operation = {
                "id": op.get("operationId", f"{method}-{path}"),
                "method": method.upper(),
                "path": path,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "parameters": [
                    {
                        "name": p.get("name"),
                        "in": p.get("in"),
                        "required": p.get("required", False),
                        "description": p.get("description")
                        or _resolve(spec, p.get("schema", {})).get("description", ""),
                        "type": _type_label(spec, p.get("schema", {})),
                        "constraints": _constraints(_resolve(spec, p.get("schema", {}))),
                    }
                    for p in params
                ],  # fmt: skip
                "body": _fields(spec, body) if body else [],
                "responses": responses,
            }
            for tag in op.get("tags", ["Övrigt"]):
                tags.setdefault(tag, {"name": tag, "description": "", "operations": []})["operations"].append(
                    operation
                )
    problems = [{"anchor": slug, "status": status, "title": title, "detail": detail}
                for status, (slug, title, detail) in sorted(PROBLEMS.items())]  # fmt: skip
    problems.insert(
        next(i for i, p in enumerate(problems) if p["status"] == 409) + 1,
        {"anchor": STALE_ANCHOR, "status": 409, "title": "Inaktuell version",
         "detail": "If-Match angav en äldre version: någon annan har sparat posten efter att du läste den. "
                   "Hämta posten igen, gör ändringen på nytt och skicka den nya ETag:en."},
    )  # fmt: skip
    return {
        "info": spec.get("info", {}),
        "version": spec.get("openapi"),
        "security": spec.get("components", {}).get("securitySchemes", {}),
        "tags": [t for t in tags.values() if t["operations"]],
        "problems": problems,
        "prose": prose,
    }


@bp.route("/dokumentation")
def reference():
    """The reference page: public, like the OpenAPI document (it describes no data)."""
    from app.api.spec import api

    return render_template("api/reference.html", **reference_context(api.spec.to_dict()))
