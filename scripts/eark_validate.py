"""Validate E-ARK information packages with eark-validator, offline.

Runs in its own virtual environment (.venv-eark, made by `make eark-validator`), because
eark-validator 1.1.3 pins lxml==5.1.0 while the app uses lxml 6. It downloads four CSIP
vocabularies from earkcsip.dilcis.eu when it is imported; this script serves local copies
(scripts/eark-vocabularies/) instead, so validation needs no network.

    .venv-eark/bin/python scripts/eark_validate.py PACKAGE_DIR [...]

Prints one JSON object per package: {"path", "valid", "structure", "errors", "ignored",
"warnings"} and exits 1 if any package has an error (other than KNOWN_DEFECTS, listed under
"ignored").
"""

from __future__ import annotations

import io
import json
import sys
import urllib.request
from pathlib import Path

VOCABULARIES = Path(__file__).resolve().parent / "eark-vocabularies"

# Rules of eark-validator 1.1.3 that no METS-schema-valid package can pass; reported under
# "ignored", never silently. SIP14 asks for an un-namespaced @NOTETYPE="IDENTIFICATIONCODE" on
# every note of a CREATOR agent, but CSIP16 requires that agent's one note to carry
# csip:NOTETYPE="SOFTWARE VERSION", and the METS schema rejects an un-namespaced NOTETYPE.
#
# CSIP63 ("OTHER" needs csip:OTHERCONTENTINFORMATIONTYPE) is written so that it also fails for
# every file group without csip:CONTENTINFORMATIONTYPE (Documentation, Schemas), where CSIP
# does not ask for one. It is ignored only after `_csip63_holds` has checked what the rule
# means on the root METS itself.
KNOWN_DEFECTS = {"SIP14", "CSIP63"}
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
METS_NS = "http://www.loc.gov/METS/"


def _csip63_holds(package: Path) -> bool:
    from lxml import etree

    tree = etree.parse(str(package / "METS.xml"))
    for group in tree.iter(f"{{{METS_NS}}}fileGrp"):
        kind = group.get(f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE")
        if kind == "OTHER" and not group.get(f"{{{CSIP_NS}}}OTHERCONTENTINFORMATIONTYPE"):
            return False
        if (group.get("USE") or "").startswith("Representations") and not kind:
            return False
    return True
_real_urlopen = urllib.request.urlopen


def _local_urlopen(url, *args, **kwargs):
    name = str(url).rsplit("/", 1)[-1]
    local = VOCABULARIES / name
    if local.is_file():
        return io.BytesIO(local.read_bytes())
    raise OSError(f"eark_validate: no network here and no local copy of {url}")


urllib.request.urlopen = _local_urlopen


def validate(path: str) -> dict:
    import eark_validator.packages as packages
    from eark_validator.specifications.specification import SpecificationVersion

    report = packages.PackageValidator(Path(path), SpecificationVersion.V2_1_0).validation_report
    data = json.loads(report.model_dump_json())
    errors, warnings = [], []

    def walk(node):
        if isinstance(node, dict):
            severity = str(node.get("severity", "")).lower()
            if severity in ("error", "warning") and "message" in node:
                (errors if severity == "error" else warnings).append(
                    {"rule": node.get("rule_id") or node.get("id"), "message": node["message"],
                     "location": node.get("location") or node.get("sub_message")})
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    defects = set(KNOWN_DEFECTS) if _csip63_holds(Path(path)) else KNOWN_DEFECTS - {"CSIP63"}
    ignored = [e for e in errors if e["rule"] in defects]
    errors = [e for e in errors if e["rule"] not in defects]
    structure = report.structure.status.value if report.structure else None
    return {"path": path, "valid": not errors and structure in ("WellFormed", "Valid", "VALID", "WELLFORMED"),
            "structure": structure, "errors": errors, "ignored": ignored, "warnings": warnings}


def main(paths: list[str]) -> int:
    failed = False
    for path in paths:
        result = validate(path)
        failed = failed or not result["valid"]
        print(json.dumps(result, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
