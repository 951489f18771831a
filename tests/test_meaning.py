"""kg.meaning: the order and names code reads from the ontology, and that they follow the ontology."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import RDFS, Literal

from kg.meaning import OntologyShapeError, meaning, meaning_of
from kg.ontology import class_modules
from kg.vocab import AIO, DIMENSIONS


def copy() -> rdflib.Graph:
    g = rdflib.Graph()
    for t in class_modules():
        g.add(t)
    return g


def test_mof_classes_lowest_first_with_their_labels() -> None:
    got = [(c.name, c.label, c.rank) for c in meaning().mof_classes]
    assert got == [("III", "Class III Open Model", 0), ("II", "Class II Open Tooling", 1),
                   ("I", "Class I Open Science", 2)]
    m = meaning()
    assert m.mof_above(None).name == "III" and m.mof_above("III").name == "II" and m.mof_above("I") is None
    assert [c.name for c in m.mof_included("II")] == ["III", "II"]
    assert m.mof_highest({str(AIO.MOFClassIII), str(AIO.MOFClassII)}) == "II"
    assert m.mof_highest(set()) is None


def test_dimensions_in_design_order_with_ranked_levels() -> None:
    m = meaning()
    # docs/design.md section 2: the dimension slugs, in order
    assert [d.slug for d in m.dimensions] == [
        "artifact_access", "auditability", "reproducibility", "fine_tuning", "deployment_control", "risk_surface",
        "innovation", "lock_in", "governance", "knowledge_diffusion"]
    assert [d.iri for d in m.dimensions] == [str(p) for p in DIMENSIONS]
    assert [lv.slug for lv in m.levels] == ["full", "partial", "limited", "none"]
    assert m.lowest_level.slug == "none"
    for d in m.dimensions:
        assert [lc.level.slug for lc in d.level_classes] == ["full", "partial", "limited"], d.slug
    assert m.dimensions[4].level_classes[1].iri == str(AIO.DeploymentControlPartial)


def test_tables_follow_the_ontology() -> None:
    """Swap two ranks, reverse the MOF chain: the tables change with the ontology, not with code."""
    g = copy()
    g.set((AIO.FullLevel, AIO.rank, Literal(1)))
    g.set((AIO.LimitedLevel, AIO.rank, Literal(3)))
    assert [lv.slug for lv in meaning_of(g).levels] == ["limited", "partial", "full", "none"]
    g = copy()
    g.remove((AIO.MOFClassII, RDFS.subClassOf, AIO.MOFClassIII))
    g.remove((AIO.MOFClassI, RDFS.subClassOf, AIO.MOFClassII))
    g.add((AIO.MOFClassIII, RDFS.subClassOf, AIO.MOFClassII))
    g.add((AIO.MOFClassII, RDFS.subClassOf, AIO.MOFClassI))
    assert [c.name for c in meaning_of(g).mof_classes] == ["I", "II", "III"]


def test_a_missing_fact_is_named() -> None:
    g = copy()
    g.remove((AIO.MOFClassI, RDFS.subClassOf, AIO.MOFClassII))
    with pytest.raises(OntologyShapeError, match="rdfs:subClassOf chain"):
        meaning_of(g)
    g = copy()
    g.remove((AIO.PartialLevel, AIO.slug, None))
    with pytest.raises(OntologyShapeError, match="PartialLevel"):
        meaning_of(g)


def reasons_of(artifacts: dict[str, str]) -> str:
    from kg.reasoner import classify_records

    record = {"id": "m", "name": "M", "developer": "D",
              "artifacts": {k: {"availability": v, "source": f"https://s.example/{k}"} for k, v in artifacts.items()}}
    return classify_records([record])[0].reasons[0]


def test_category_reasons_name_what_the_definitions_require() -> None:
    """The reasons come from the category definitions of ontology/aio.ttl: the claims each one requires, of a
    union those the model meets, and for an unclassified model the availability that is missing."""
    assert reasons_of({"weights": "unknown"}) == (
        "unclassified: the availability of the weights is unknown; every category needs it "
        "(public, gated or not-released)")
    assert reasons_of({"architecture": "public"}).startswith(
        "unclassified: the availability of the weights is not stated")
    assert reasons_of({"weights": "public", "architecture": "public", "training_data": "unknown"}) == (
        "unclassified: weights are available, but the availability of training code, training data is unknown or "
        "not stated, so open-weight and open-source cannot be told apart")
    assert reasons_of({"weights": "gated", "architecture": "public", "training_code": "not-released",
                       "training_data": "not-released"}) == (
        "open-weight: weights gated [https://s.example/weights]; training code not released [https://s.example/"
        "training_code]; training data not released [https://s.example/training_data]")
    assert reasons_of({"weights": "not-released"}) == "closed-source: weights not released [https://s.example/weights]"


def test_example_query_gives_each_model_its_highest_mof_class(client) -> None:  # type: ignore[no-untyped-def]
    """The "Models by category" example picks the highest MOF class by the ontology's rdfs:subClassOf chain:
    one row per model, and a Class I model shows ClassI (not also II and III)."""
    import json

    from server.examples import BY_CATEGORY

    response = client.post("/sparql", data={"query": BY_CATEGORY})
    assert response.status_code == 200, response.data
    rows = json.loads(response.data)["results"]["bindings"]
    models = [r["model"]["value"] for r in rows]
    assert len(models) == len(set(models))
    assert {r["mof"]["value"] for r in rows if "mof" in r} == {"ClassI", "ClassII", "ClassIII"}
