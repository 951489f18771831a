"""RDF exports stand alone: plain pySHACL and Jena SHACL give ``openness validate``'s results on them, the
JSON-LD reads offline, no statement repeats, and files get the user's umask."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import SH

from kg.cli import main
from tests.jena import jena, jena_classpath

ROOT = Path(__file__).resolve().parents[1]
#: Every shapes file ``openness validate`` applies (records, licences, entities).
ALL_SHAPES = sorted((ROOT / "shapes").glob("*.ttl"))


def _shapes_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in ALL_SHAPES:
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def turtle_export(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "kg.ttl"
    assert main(["export", "--format", "turtle", "-o", str(out)]) == 0
    return out


def _validate_json(path: Path, capsys) -> dict:
    main(["validate", str(path), "--format", "json"])
    return json.loads(capsys.readouterr().out)


def _result_keys(graph: rdflib.Graph) -> Counter:
    """(focus, severity, source shape) of every result of a SHACL report graph."""
    keys: Counter = Counter()
    for result in graph.objects(None, SH.result):
        keys[(str(graph.value(result, SH.focusNode)), str(graph.value(result, SH.resultSeverity)).split("#")[-1],
              str(graph.value(result, SH.sourceShape)))] += 1
    return keys


def test_plain_pyshacl_gives_the_verdict_of_openness_validate(turtle_export, capsys):
    import pyshacl

    ours = _validate_json(turtle_export, capsys)
    assert ours["violations"] == 0 and ours["warnings"] > 0  # the bundled KG: warnings only
    conforms, report, _ = pyshacl.validate(rdflib.Graph().parse(turtle_export), shacl_graph=_shapes_graph())
    theirs = Counter(k[1] for k in _result_keys(report).elements())
    assert theirs == Counter({"Warning": ours["warnings"]})
    assert conforms is False  # SHACL: any result, of any severity, means the data does not conform


def test_plain_pyshacl_agrees_on_an_export_with_violations(tmp_path, capsys):
    import pyshacl

    records = tmp_path / "bad.yaml"
    records.write_text("- id: bad\n  name: Bad\n  developer: D\n  source: https://example.org/s\n"
                       "  artifacts:\n    weights: {availability: public, license: Apache-3.0}\n"
                       "    training_data: {availability: public, license: MIT}\n")
    out = tmp_path / "bad.ttl"
    assert main(["export", str(records), "-o", str(out)]) == 0
    ours = _validate_json(out, capsys)
    conforms, report, _ = pyshacl.validate(rdflib.Graph().parse(out), shacl_graph=_shapes_graph())
    severities = Counter(k[1] for k in _result_keys(report).elements())
    assert severities == Counter({"Violation": ours["violations"], "Warning": ours["warnings"]})
    assert ours["violations"] == 1 and not conforms


def test_our_turtle_report_says_conforms_as_the_spec_does(turtle_export, capsys):
    assert main(["validate", str(turtle_export), "--format", "turtle"]) == 0  # warnings pass the exit code
    report = rdflib.Graph().parse(data=capsys.readouterr().out, format="turtle")
    assert len(list(report.objects(None, SH.result))) > 0
    assert next(report.objects(None, SH.conforms)).toPython() is False


@pytest.mark.skipif(jena_classpath() is None, reason="Jena (Debian libapache-jena-java) is not installed")
def test_jena_shacl_gives_the_verdict_of_openness_validate(turtle_export, capsys, tmp_path):
    ours = _validate_json(turtle_export, capsys)
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(_shapes_graph().serialize(format="turtle"))
    run = jena("shacl.shacl", "validate", "--shapes", str(shapes), "--data", str(turtle_export))
    assert run.returncode == 0, run.stderr
    report = rdflib.Graph().parse(data=run.stdout, format="turtle")
    assert Counter(k[1] for k in _result_keys(report).elements()) == Counter({"Warning": ours["warnings"]})
    assert next(report.objects(None, SH.conforms)).toPython() is False


def test_jsonld_export_embeds_its_context_and_reads_offline(tmp_path, turtle_export):
    from pyld import jsonld

    out = tmp_path / "kg.jsonld"
    assert main(["export", "--format", "jsonld", "-o", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert isinstance(doc["@context"], dict)

    def no_network(url, options=None):
        raise AssertionError(f"pyld tried to fetch {url}")

    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": no_network})
    from_pyld = rdflib.Graph().parse(data=nquads, format="nquads")
    from_rdflib = rdflib.Graph().parse(out, format="json-ld")
    expected = rdflib.Graph().parse(turtle_export)
    from rdflib.compare import isomorphic

    assert isomorphic(from_rdflib, expected)
    assert isomorphic(from_pyld, expected)


def test_jsonld_remote_context_names_the_served_iri(tmp_path):
    out = tmp_path / "kg.jsonld"
    assert main(["export", "--format", "jsonld", "--context", "remote", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["@context"] == "https://w3id.org/ai-openness/context.jsonld"


@pytest.mark.skipif(jena_classpath() is None, reason="Jena (Debian libapache-jena-java) is not installed")
def test_jena_riot_reads_the_jsonld_export_offline(tmp_path, turtle_export):
    trivial = tmp_path / "trivial.jsonld"
    trivial.write_text('{"@context": {"@version": 1.1, "n": "https://schema.org/name"}, "@id": "http://x/a", "n": "A"}')
    if jena("riotcmd.riot", "--output=nt", str(trivial)).returncode != 0:
        pytest.skip("this Jena cannot read any JSON-LD 1.1 (Debian's build has no Jakarta JSON-P provider)")
    out = tmp_path / "kg.jsonld"
    assert main(["export", "--format", "jsonld", "-o", str(out)]) == 0
    run = jena("riotcmd.riot", "--output=nt", str(out))
    assert run.returncode == 0, run.stderr
    from rdflib.compare import isomorphic

    assert isomorphic(rdflib.Graph().parse(data=run.stdout, format="nt"), rdflib.Graph().parse(turtle_export))


@pytest.mark.parametrize("fmt", ["nt", "turtle", "xml", "jsonld"])
def test_no_export_repeats_a_statement(tmp_path, fmt):
    out = tmp_path / f"kg.{fmt}"
    assert main(["export", "--format", fmt, "--inferred", "-o", str(out)]) == 0
    if fmt == "nt":
        lines = [line for line in out.read_text().splitlines() if line]
        assert len(lines) == len(set(lines)) and len(lines) > 10_000
    else:  # the parsed graph keeps one copy: the N-Triples written from it have as many lines as the export
        graph = rdflib.Graph().parse(out, format={"turtle": "turtle", "xml": "xml", "jsonld": "json-ld"}[fmt])
        nt = tmp_path / "kg.nt"
        assert main(["export", "--format", "nt", "--inferred", "-o", str(nt)]) == 0
        assert len(graph) == len([line for line in nt.read_text().splitlines() if line])


def test_export_carries_fair4ml_types_and_licence_typing(turtle_export):
    g = rdflib.Graph().parse(turtle_export)
    aio = rdflib.Namespace("https://w3id.org/ai-openness/ontology#")
    models = set(g.subjects(rdflib.RDF.type, aio.AIModel))
    assert models
    for cls in (rdflib.URIRef("https://w3id.org/fair4ml#MLModel"), rdflib.URIRef("https://schema.org/CreativeWork")):
        assert set(g.subjects(rdflib.RDF.type, cls)) == models
    assert (rdflib.URIRef("http://spdx.org/licenses/Apache-2.0"), rdflib.RDF.type, aio.License) in g


@pytest.mark.parametrize("mask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_exported_files_get_the_umask(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        out = tmp_path / "kg.nt"
        assert main(["export", "--format", "nt", "-o", str(out)]) == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == mode
