"""E-arkiv export: closed lots cases and their contacts as an information package laid out
after FGS Paketstruktur 2.0 (E-ARK CSIP 2.1 / SIP), written with lxml.

    <OBJID>/METS.xml                              root METS (CSIP profile E-ARK-SIP)
    <OBJID>/metadata/descriptive/arkivbeskrivning.xml   what the package holds, by whom
    <OBJID>/schemas/lotsbok-arenden.xsd           schema of the records XML
    <OBJID>/representations/rep1/METS.xml         representation METS
    <OBJID>/representations/rep1/data/arenden.xml the records (XML, valid against the schema)
    <OBJID>/representations/rep1/data/arenden.json the same records (JSON)
    <OBJID>/representations/rep1/data/arende-<id>.html  printable rendering per case

Every file is listed in a METS fileSec with its size, SHA-256 checksum, MIME type and
creation time. The package is validated in the tests with the E-ARK validator
(eark-validator); Riksarkivet's FGS-specific requirements it does not check are listed in
docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
from lxml import etree

from app.audit import services as audit
from app.cases import personal_data as case_data
from app.companies.models import Company
from app.core.errors import ValidationError
from app.core.permissions import Perm, require
from app.core.time import local_midnight_utc, utcnow
from app.extensions import db
from app.interactions.models import Interaction

METS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
LOTSBOK = "urn:lotsbok:earkiv:1"
NSMAP = {"mets": METS, "xlink": XLINK, "csip": CSIP, "sip": SIP, "xsi": XSI}
SCHEMA_LOCATION = (
    f"{METS} http://www.loc.gov/standards/mets/mets.xsd {XLINK} http://www.loc.gov/standards/mets/xlink.xsd "
    f"{CSIP} https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd "
    f"{SIP} https://earksip.dilcis.eu/schema/DILCISExtensionSIPMETS.xsd"
)

RECORDS_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:lotsbok:earkiv:1"
           xmlns="urn:lotsbok:earkiv:1" elementFormDefault="qualified">
  <xs:element name="arenden">
    <xs:complexType><xs:sequence>
      <xs:element name="arende" minOccurs="0" maxOccurs="unbounded">
        <xs:complexType><xs:sequence>
          <xs:any processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
        </xs:sequence>
        <xs:attribute name="id" type="xs:integer" use="required"/></xs:complexType>
      </xs:element>
    </xs:sequence>
    <xs:attribute name="skapad" type="xs:dateTime"/>
    <xs:attribute name="arkivbildare" type="xs:string"/></xs:complexType>
  </xs:element>
</xs:schema>
"""


CONTENT_TYPE = "Lotsbok lotsärenden 1.0"
LIST_ITEMS = {"historik": "handelse", "kontakter": "kontakt"}


def m(tag: str) -> str:
    return f"{{{METS}}}{tag}"


def _iso(value: datetime | date | None) -> str:
    if value is None:
        return ""
    return value.isoformat()


@dataclass
class PackageFile:
    path: str  # relative to the package root
    data: bytes
    mimetype: str
    created: datetime

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest().upper()


def case_records(closed_before: date) -> list[dict[str, Any]]:
    """Closed cases closed before the date, with company, history and linked contacts, as plain
    values. Restricted records are exported in full and marked (the e-arkiv is the kommun's
    own archive; sekretess follows the record)."""
    cases = case_data.closed_cases_before(local_midnight_utc(closed_before))
    if not cases:
        return []
    companies = {
        c.id: c
        for c in db.session.scalars(sa.select(Company).where(Company.id.in_({c.company_id for c in cases})))
    }
    contacts: dict[int, list[Interaction]] = {}
    for contact in db.session.scalars(
        sa.select(Interaction)
        .where(Interaction.case_id.in_([c.id for c in cases]), Interaction.deleted_at.is_(None))
        .order_by(Interaction.occurred_at)
    ):
        contacts.setdefault(contact.case_id, []).append(contact)
    records = []
    for case in cases:
        company = companies[case.company_id]
        records.append(
            {
                "id": case.id,
                "diarienummer": case.diarienummer,
                "rubrik": case.title,
                "beskrivning": case.description,
                "foretag": {
                    "namn": company.name,
                    "organisationsnummer": company.orgnr or "",
                    "ort": company.city,
                },
                "inkom": _iso(case.intake_on),
                "avslutat": _iso(case.closed_at),
                "utfall": case.outcome_label,
                "status": case.status_label,
                "sekretessmarkering": case.is_restricted,
                "historik": [
                    {"tid": _iso(e.at), "handelse": e.title, "text": e.text}
                    for e in case_data.case_history(case.id)
                ],
                "kontakter": [
                    {
                        "id": c.id,
                        "tid": _iso(c.occurred_at),
                        "typ": c.kind_label,
                        "amne": c.subject,
                        "anteckningar": c.notes,
                        "sekretessmarkering": c.is_restricted,
                    }
                    for c in contacts.get(case.id, [])
                ],
            }
        )
    return records


def _records_xml(records: list[dict[str, Any]], created: datetime, creator: str) -> bytes:
    root = etree.Element(
        f"{{{LOTSBOK}}}arenden", nsmap={None: LOTSBOK}, skapad=created.isoformat(), arkivbildare=creator
    )

    def add(parent: etree._Element, name: str, value: Any) -> None:
        if isinstance(value, dict):
            node = etree.SubElement(parent, f"{{{LOTSBOK}}}{name}")
            for key, inner in value.items():
                add(node, key, inner)
        elif isinstance(value, list):
            node = etree.SubElement(parent, f"{{{LOTSBOK}}}{name}")
            for inner in value:
                add(node, LIST_ITEMS.get(name, "post"), inner)
        else:
            node = etree.SubElement(parent, f"{{{LOTSBOK}}}{name}")
            node.text = "ja" if value is True else "nej" if value is False else str(value)

    for record in records:
        case = etree.SubElement(root, f"{{{LOTSBOK}}}arende", id=str(record["id"]))
        for key, value in record.items():
            if key != "id":
                add(case, key, value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _description_xml(
    object_id: str, records: list[dict[str, Any]], closed_before: date, created: datetime, creator: str
) -> bytes:
    root = etree.Element(f"{{{LOTSBOK}}}arkivbeskrivning", nsmap={None: LOTSBOK})
    for name, value in (
        ("paket", object_id),
        ("arkivbildare", creator),
        ("system", "Lotsbok"),
        ("innehall", "Avslutade lotsärenden med historik och kopplade kontakter"),
        ("avslutade_fore", closed_before.isoformat()),
        ("antal_arenden", str(len(records))),
        ("skapad", created.isoformat()),
        ("sekretess", "Poster markerade för sekretessprövning har sekretessmarkering=ja."),
    ):
        etree.SubElement(root, f"{{{LOTSBOK}}}{name}").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _file_element(parent: etree._Element, file: PackageFile, href: str, file_id: str) -> None:
    element = etree.SubElement(
        parent,
        m("file"),
        ID=file_id,
        MIMETYPE=file.mimetype,
        SIZE=str(len(file.data)),
        CREATED=file.created.isoformat(),
        CHECKSUM=file.sha256,
        CHECKSUMTYPE="SHA-256",
    )
    etree.SubElement(
        element, m("FLocat"), {f"{{{XLINK}}}href": href, f"{{{XLINK}}}type": "simple", "LOCTYPE": "URL"}
    )


def _mets_root(object_id: str, label: str, created: datetime, creator: str) -> etree._Element:
    root = etree.Element(
        m("mets"),
        nsmap=NSMAP,
        OBJID=object_id,
        LABEL=label,
        TYPE="Mixed",
        PROFILE="https://earksip.dilcis.eu/profile/E-ARK-SIP.xml",
    )
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    root.set(f"{{{CSIP}}}CONTENTINFORMATIONTYPE", "OTHER")
    root.set(f"{{{CSIP}}}OTHERCONTENTINFORMATIONTYPE", CONTENT_TYPE)
    header = etree.SubElement(root, m("metsHdr"), CREATEDATE=created.isoformat(), RECORDSTATUS="NEW")
    header.set(f"{{{CSIP}}}OAISPACKAGETYPE", "SIP")
    agent = etree.SubElement(header, m("agent"), ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    etree.SubElement(agent, m("name")).text = "Lotsbok"
    note = etree.SubElement(agent, m("note"))
    note.text = "1.0"
    note.set(f"{{{CSIP}}}NOTETYPE", "SOFTWARE VERSION")
    archivist = etree.SubElement(header, m("agent"), ROLE="ARCHIVIST", TYPE="ORGANIZATION")
    etree.SubElement(archivist, m("name")).text = creator
    return root


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _representation_mets(object_id: str, files: list[PackageFile], created: datetime, creator: str) -> bytes:
    root = _mets_root(f"{object_id}-rep1", "Lotsärenden, representation 1", created, creator)
    file_sec = etree.SubElement(root, m("fileSec"), ID="filesec-rep1")
    group = etree.SubElement(file_sec, m("fileGrp"), ID="filegrp-rep1-data", USE="Data")
    ids = []
    for n, file in enumerate(files, 1):
        file_id = f"file-rep1-{n}"
        ids.append(file_id)
        _file_element(group, file, file.path.removeprefix("representations/rep1/"), file_id)
    struct = etree.SubElement(root, m("structMap"), ID="structmap-rep1", TYPE="PHYSICAL", LABEL="CSIP")
    outer = etree.SubElement(struct, m("div"), ID="div-rep1", LABEL=f"{object_id}-rep1")
    data = etree.SubElement(outer, m("div"), ID="div-rep1-data", LABEL="Data")
    for file_id in ids:
        etree.SubElement(data, m("fptr"), FILEID=file_id)
    return _serialise(root)


def _root_mets(
    object_id: str,
    description: PackageFile,
    schema: PackageFile,
    rep_mets: PackageFile,
    documentation: PackageFile,
    created: datetime,
    creator: str,
) -> bytes:
    root = _mets_root(object_id, "Lotsbok: avslutade lotsärenden", created, creator)
    dmd = etree.SubElement(root, m("dmdSec"), ID="dmd-1", CREATED=created.isoformat(), STATUS="CURRENT")
    etree.SubElement(
        dmd,
        m("mdRef"),
        {
            "LOCTYPE": "URL",
            "MDTYPE": "OTHER",
            "OTHERMDTYPE": "LOTSBOK-ARKIVBESKRIVNING",
            "MIMETYPE": "application/xml",
            "SIZE": str(len(description.data)),
            "CREATED": created.isoformat(),
            "CHECKSUM": description.sha256,
            "CHECKSUMTYPE": "SHA-256",
            f"{{{XLINK}}}type": "simple",
            f"{{{XLINK}}}href": description.path,
        },
    )
    file_sec = etree.SubElement(root, m("fileSec"), ID="filesec-1")
    docs = etree.SubElement(file_sec, m("fileGrp"), ID="filegrp-documentation", USE="Documentation")
    _file_element(docs, documentation, documentation.path, "file-documentation-1")
    schemas = etree.SubElement(file_sec, m("fileGrp"), ID="filegrp-schemas", USE="Schemas")
    _file_element(schemas, schema, schema.path, "file-schema-1")
    rep = etree.SubElement(file_sec, m("fileGrp"), ID="filegrp-rep1", USE="Representations/rep1")
    rep.set(f"{{{CSIP}}}CONTENTINFORMATIONTYPE", "OTHER")
    rep.set(f"{{{CSIP}}}OTHERCONTENTINFORMATIONTYPE", CONTENT_TYPE)
    _file_element(rep, rep_mets, rep_mets.path, "file-rep1-mets")
    struct = etree.SubElement(root, m("structMap"), ID="structmap-1", TYPE="PHYSICAL", LABEL="CSIP")
    outer = etree.SubElement(struct, m("div"), ID="div-root", LABEL=object_id)
    etree.SubElement(outer, m("div"), ID="div-metadata", LABEL="Metadata", DMDID="dmd-1")
    doc_div = etree.SubElement(outer, m("div"), ID="div-documentation", LABEL="Documentation")
    etree.SubElement(doc_div, m("fptr"), FILEID="file-documentation-1")
    schema_div = etree.SubElement(outer, m("div"), ID="div-schemas", LABEL="Schemas")
    etree.SubElement(schema_div, m("fptr"), FILEID="file-schema-1")
    reps = etree.SubElement(outer, m("div"), ID="div-representations", LABEL="Representations")
    etree.SubElement(reps, m("fptr"), FILEID="file-rep1-mets")
    rep_div = etree.SubElement(reps, m("div"), ID="div-rep1", LABEL="Representations/rep1")
    etree.SubElement(
        rep_div,
        m("mptr"),
        {
            f"{{{XLINK}}}href": rep_mets.path,
            f"{{{XLINK}}}type": "simple",
            f"{{{XLINK}}}title": "filegrp-rep1",
            "LOCTYPE": "URL",
        },
    )
    return _serialise(root)


def _documentation(object_id: str, count: int, closed_before: date, creator: str) -> str:
    return (
        f"Informationspaket {object_id}\n\n"
        f"Arkivbildare: {creator}\nSystem: Lotsbok (CRM för näringslivskontoret)\n"
        f"Innehåll: {count} lotsärenden avslutade före {closed_before.isoformat()}, med historik och kopplade kontakter.\n\n"
        "representations/rep1/data/arenden.xml  posterna som XML (schema: schemas/lotsbok-arenden.xsd)\n"
        "representations/rep1/data/arenden.json samma poster som JSON\n"
        "representations/rep1/data/arende-N.html utskriftsvänlig återgivning av varje ärende\n\n"
        "sekretessmarkering=ja betyder att posten markerats som möjligen sekretessbelagd (OSL):\n"
        "gör en sekretessprövning innan den lämnas ut.\n"
    )


@dataclass(frozen=True)
class Package:
    object_id: str
    case_count: int
    files: dict[str, bytes]  # path under the package folder → content

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, data in sorted(self.files.items()):
                archive.writestr(f"{self.object_id}/{path}", data)
        return buffer.getvalue()

    def write_to(self, directory: Path) -> Path:
        root = directory / self.object_id
        for path, data in self.files.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return root


def build_package(
    closed_before: date,
    *,
    actor: Any,
    creator: str = "Kommunstyrelsen, näringslivskontoret",
    now: datetime | None = None,
) -> Package:
    """The information package of every case closed before `closed_before`. Audited (action
    "export"); flushes. Raises ValidationError when no case qualifies."""
    require(actor, Perm.PRIVACY_MANAGE)
    now = (now or utcnow()).replace(microsecond=0)
    with force_locale("sv"):  # the archive's records: the code labels in them stay Swedish
        records = case_records(closed_before)
    if not records:
        raise ValidationError("Inga avslutade ärenden före det datumet.", field="closed_before")
    object_id = f"lotsbok-{closed_before.isoformat()}-{uuid.uuid4()}"
    data_files = [
        PackageFile(
            "representations/rep1/data/arenden.xml",
            _records_xml(records, now, creator),
            "application/xml",
            now,
        ),
        PackageFile(
            "representations/rep1/data/arenden.json",
            json.dumps({"arenden": records}, ensure_ascii=False, indent=2).encode("utf-8"),
            "application/json",
            now,
        ),
    ]
    for record in records:
        html = render_template("privacy/earkiv_case.html", case=record, created=now, creator=creator)
        data_files.append(
            PackageFile(
                f"representations/rep1/data/arende-{record['id']}.html",
                html.encode("utf-8"),
                "text/html",
                now,
            )
        )
    rep_mets = PackageFile(
        "representations/rep1/METS.xml",
        _representation_mets(object_id, data_files, now, creator),
        "application/xml",
        now,
    )
    description = PackageFile(
        "metadata/descriptive/arkivbeskrivning.xml",
        _description_xml(object_id, records, closed_before, now, creator),
        "application/xml",
        now,
    )
    schema = PackageFile("schemas/lotsbok-arenden.xsd", RECORDS_XSD.encode("utf-8"), "application/xml", now)
    documentation = PackageFile(
        "documentation/om-paketet.txt",
        _documentation(object_id, len(records), closed_before, creator).encode("utf-8"),
        "text/plain",
        now,
    )
    root_mets = _root_mets(object_id, description, schema, rep_mets, documentation, now, creator)
    files = {f.path: f.data for f in (*data_files, rep_mets, description, schema, documentation)}
    files["METS.xml"] = root_mets
    audit.record(
        actor,
        "export",
        "earkiv",
        None,
        now=now,
        summary=f"E-arkivpaket {object_id}: {len(records)} avslutade lotsärenden före {closed_before.isoformat()}",
    )
    db.session.flush()
    return Package(object_id, len(records), files)
