"""SPDX 3.0.1 AI-BOMs (AI, Dataset and SimpleLicensing profiles), built and read with ``spdx-python-model``.

Each model is an ``ai_AIPackage`` whose ``spdxId`` is its KG IRI, supplied by its developer, with the
weights' URL as download location and their licence as a ``hasDeclaredLicense`` relationship to a
licence expression; its training data is a ``dataset_DatasetPackage`` it is ``trainedOn``, with the
dataset availability SPDX defines (public: ``directDownload``, gated: ``registration``). The openness
category, MOF class, the weights' licence terms (commercial use, derivatives, redistribution, user cap,
excluded territories, use restrictions, with sources) and the whole record are annotations on the package.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from kg.bom.facts import (
    AVAILABLE,
    ModelFacts,
    licence_expression,
    licences_of_expression,
    record_json,
    slug_of,
)
from kg.errors import UnreadableInputError
from kg.vocab import BASE, MODEL, ORG

RECORD_PREFIX = "ai-openness:record "
OPENNESS_PREFIX = "ai-openness:openness "
_AVAILABILITY_TO = {"public": "directDownload", "gated": "registration"}
_AVAILABILITY_FROM = {"directDownload": "public", "query": "public", "scrapingScript": "public",
                      "registration": "gated", "clickthrough": "gated"}
_NO_LOCATION = {"", "NOASSERTION", "NONE"}


def _spdx():  # type: ignore[no-untyped-def]
    from spdx_python_model import v3_0_1

    return v3_0_1


def _release_time(date: Any) -> dt.datetime | None:
    """A record date (YYYY, YYYY-MM or YYYY-MM-DD) as the first instant it names, in UTC."""
    text = str(date or "")
    parts = [int(p) for p in text.split("-")] if text else []
    if not parts or not all(parts):
        return None
    while len(parts) < 3:
        parts.append(1)
    try:
        return dt.datetime(parts[0], parts[1], parts[2], tzinfo=dt.timezone.utc)
    except ValueError:
        return None


class _Builder:
    """Collects the SPDX elements of a document."""

    def __init__(self) -> None:
        s = _spdx()
        self.s = s
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        self.info = s.CreationInfo(specVersion="3.0.1", created=now)
        self.creator = s.Organization(spdxId=BASE, name="AI Openness KG", creationInfo=self.info)
        self.info.createdBy.append(self.creator)
        self.elements: list[Any] = [self.creator]
        self.roots: list[Any] = []
        self.agents: dict[str, Any] = {}

    def add(self, element: Any) -> Any:
        self.elements.append(element)
        return element

    def agent(self, record: dict[str, Any]) -> Any | None:
        name = record.get("developer")
        if not name:
            return None
        orgs = record.get("organisations")
        slug = (orgs[0] if isinstance(orgs, list) else orgs) if orgs else slug_of(str(name))
        iri = str(ORG[str(slug)])
        if iri not in self.agents:
            self.agents[iri] = self.add(self.s.Organization(spdxId=iri, name=str(name), creationInfo=self.info))
        return self.agents[iri]

    def licence(self, subject: Any, licences: Any, iri: str) -> None:
        expression = licence_expression(licences)
        if expression is None:
            return
        s = self.s
        lic = self.add(s.simplelicensing_LicenseExpression(spdxId=iri + "-license", creationInfo=self.info,
                                                          simplelicensing_licenseExpression=expression))
        self.add(s.Relationship(spdxId=iri + "-declared-license", creationInfo=self.info, from_=subject, to=[lic],
                                relationshipType=s.RelationshipType.hasDeclaredLicense))

    def model(self, facts: ModelFacts) -> None:
        s, record = self.s, facts.record
        iri = str(MODEL[facts.id])
        weights = facts.claim("weights")
        pkg = s.ai_AIPackage(spdxId=iri, name=str(record.get("name") or facts.id), creationInfo=self.info,
                             software_primaryPurpose=s.software_SoftwarePurpose.model)
        supplier = self.agent(record)
        if supplier is not None:
            pkg.suppliedBy = supplier
        released = _release_time(record.get("date"))
        if released is not None:
            pkg.releaseTime = released
        url = weights.get("url")
        if weights.get("availability") in AVAILABLE and url:
            pkg.software_downloadLocation = url[0] if isinstance(url, list) else url
        self.roots.append(self.add(pkg))
        if weights.get("availability") in AVAILABLE:
            self.licence(pkg, weights.get("license"), iri + "#spdx-weights")
        self.dataset(facts, pkg, iri)
        openness = {"category": facts.category, "mof_class": facts.mof_class, "license_terms": facts.license_terms}
        for name, statement in (("openness", OPENNESS_PREFIX + json.dumps(openness, sort_keys=True)),
                                ("record", RECORD_PREFIX + record_json(record))):
            self.add(s.Annotation(spdxId=f"{iri}#spdx-{name}", creationInfo=self.info, subject=pkg,
                                  annotationType=s.AnnotationType.other, statement=statement))

    def dataset(self, facts: ModelFacts, pkg: Any, iri: str) -> None:
        claim = facts.claim("training_data")
        availability = claim.get("availability")
        if availability in (None, "unknown"):
            return
        s = self.s
        data = s.dataset_DatasetPackage(
            spdxId=iri + "#spdx-training-data", name=f"{facts.record.get('name') or facts.id} training data",
            creationInfo=self.info, software_primaryPurpose=s.software_SoftwarePurpose.data,
            dataset_datasetType=[s.dataset_DatasetType.noAssertion])
        if availability in _AVAILABILITY_TO:
            data.dataset_datasetAvailability = getattr(s.dataset_DatasetAvailabilityType,
                                                       _AVAILABILITY_TO[availability])
            url = claim.get("url")
            if url:
                data.software_downloadLocation = url[0] if isinstance(url, list) else url
            self.licence(data, claim.get("license"), iri + "#spdx-training-data")
        else:
            data.comment = "not released"
        self.add(data)
        self.add(s.Relationship(spdxId=iri + "#spdx-trained-on", creationInfo=self.info, from_=pkg, to=[data],
                                relationshipType=s.RelationshipType.trainedOn))

    def document(self) -> str:
        s = self.s
        profiles = [s.ProfileIdentifierType.core, s.ProfileIdentifierType.software, s.ProfileIdentifierType.ai,
                    s.ProfileIdentifierType.dataset, s.ProfileIdentifierType.simpleLicensing]
        doc = s.SpdxDocument(spdxId=BASE + "bom", creationInfo=self.info, name="AI Openness KG AI-BOM",
                             rootElement=self.roots, element=self.elements, profileConformance=profiles)
        objects = s.SHACLObjectSet()
        for element in [doc, *self.elements]:
            objects.add(element)
        buf = io.BytesIO()
        s.JSONLDSerializer().write(objects, buf, indent=2)
        return buf.getvalue().decode("utf-8") + "\n"


def to_spdx3(models: list[ModelFacts]) -> str:
    """The SPDX 3.0.1 JSON-LD document describing ``models``."""
    builder = _Builder()
    for facts in models:
        builder.model(facts)
    return builder.document()


def from_spdx3(data: dict[str, Any], file: str) -> list[dict[str, Any]]:
    """The records of the AI packages of an SPDX 3 document (its ``ai-openness:record`` where present)."""
    import spdx_python_model

    try:
        model, objects = spdx_python_model.load_data(data)
    except Exception as exc:  # the library raises TypeError, ValueError, KeyError or its LoadError
        raise UnreadableInputError(file, f"not an SPDX 3 document: {exc}") from None
    annotations: dict[str, list[str]] = {}
    relationships: list[Any] = []
    for obj in objects.foreach():
        if isinstance(obj, model.Annotation) and obj.subject is not None:
            annotations.setdefault(_id(obj.subject), []).append(obj.statement or "")
        elif isinstance(obj, model.Relationship):
            relationships.append(obj)
    records = []
    for pkg in objects.foreach_type(model.ai_AIPackage):
        mine = [a[len(RECORD_PREFIX):] for a in annotations.get(_id(pkg), []) if a.startswith(RECORD_PREFIX)]
        if mine:
            try:
                records.append(json.loads(mine[0]))
            except json.JSONDecodeError as exc:
                raise UnreadableInputError(file, f"{_id(pkg)}: its ai-openness:record is not JSON: {exc.msg}") from None
            continue
        records.append(_native_record(model, pkg, relationships))
    if not records:
        raise UnreadableInputError(file, "the SPDX document describes no AI package (ai_AIPackage)")
    return records


def _id(element: Any) -> str:
    return element if isinstance(element, str) else str(element._id)


def _licences(relationships: list[Any], subject: Any, model: Any) -> list[str]:
    kinds = {model.RelationshipType.hasDeclaredLicense, model.RelationshipType.hasConcludedLicense}
    out: list[str] = []
    for rel in relationships:
        if rel.from_ is not None and _id(rel.from_) == _id(subject) and rel.relationshipType in kinds:
            for target in rel.to:
                expression = getattr(target, "simplelicensing_licenseExpression", None)
                if expression:
                    out.extend(lic for lic in licences_of_expression(expression) if lic not in out)
    return out


def _native_record(model: Any, pkg: Any, relationships: list[Any]) -> dict[str, Any]:
    """A record from an AI package's own SPDX fields (for BOMs written by other tools)."""
    pid = _id(pkg)
    record: dict[str, Any] = {"id": pid[len(str(MODEL)):] if pid.startswith(str(MODEL)) else slug_of(pkg.name or pid),
                              "name": pkg.name or pid}
    supplier = pkg.suppliedBy
    if supplier is not None and not isinstance(supplier, str) and supplier.name:
        record["developer"] = supplier.name
    if pkg.releaseTime is not None:
        record["date"] = pkg.releaseTime.date().isoformat()
    artifacts: dict[str, Any] = {}
    location = pkg.software_downloadLocation or ""
    if location not in _NO_LOCATION:
        artifacts["weights"] = {"availability": "public", "url": location}
        licences = _licences(relationships, pkg, model)
        if licences:
            artifacts["weights"]["license"] = licences[0] if len(licences) == 1 else licences
    for rel in relationships:
        if rel.from_ is not None and _id(rel.from_) == pid and rel.relationshipType == model.RelationshipType.trainedOn:
            for data in rel.to:
                artifacts.setdefault("training_data", _dataset_claim(model, data, relationships))
    if artifacts:
        record["artifacts"] = artifacts
    return record


def _dataset_claim(model: Any, data: Any, relationships: list[Any]) -> dict[str, Any]:
    if isinstance(data, str):
        return {"availability": "unknown"}
    availability = data.dataset_datasetAvailability if isinstance(data, model.dataset_DatasetPackage) else None
    name = str(availability).rsplit("/", 1)[-1] if availability else None
    claim: dict[str, Any] = {"availability": _AVAILABILITY_FROM.get(name or "", "unknown")}
    location = data.software_downloadLocation or ""
    if location not in _NO_LOCATION:
        claim["url"] = location
    licences = _licences(relationships, data, model)
    if licences:
        claim["license"] = licences[0] if len(licences) == 1 else licences
    return claim
