"""The reasoner: each model's openness category, MOF class and ten dimension values, with reasons.

The meaning is in the OWL axioms of ``ontology/``; ``classify_*`` runs the rule path compiled from
them (fast), and ``kg.reasoner.hermit`` runs HermiT over the same axioms (the reference).
"""

from kg.reasoner.classify import (
    Classification,
    RulePath,
    classify_facts,
    classify_records,
    classify_recordset,
    classify_store,
    classify_triples,
    inferred_quads,
    materialise,
)

__all__ = [
    "Classification", "RulePath", "classify_facts", "classify_records", "classify_recordset", "classify_store",
    "classify_triples", "inferred_quads", "materialise",
]
