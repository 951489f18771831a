"""Record readers and writers: every format gives the same graph; bad input gives one clear error."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.compare import isomorphic

from kg.errors import UnreadableInputError
from kg.records import read_file, to_string
from kg.vocab import AIO

DATA = Path(__file__).parent / "data" / "records"
SAMPLE = DATA / "sample.yaml"
EXT = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld", "xml": "rdf", "json": "json", "yaml": "yaml", "csv": "csv"}


@pytest.fixture(scope="module")
def sample():
    return read_file(SAMPLE)


@pytest.mark.parametrize("fmt", list(EXT))
def test_round_trip_gives_isomorphic_graph(sample, fmt, tmp_path):
    path = tmp_path / f"records.{EXT[fmt]}"
    path.write_text(to_string(sample, fmt), encoding="utf-8")
    again = read_file(path)
    assert len(again.triples) == len(sample.triples)
    assert isomorphic(again.graph(), sample.graph()), f"{fmt} round trip changed the graph"


def test_plain_record_maps_to_design_terms(sample):
    g = sample.graph()
    from rdflib import URIRef

    model = URIRef("https://w3id.org/ai-openness/model/demo-open-weight")
    release = URIRef(str(model) + "#weights")
    assert (model, AIO.hasRelease, release) in g
    assert (release, AIO.availability, AIO.Gated) in g
    assert (release, URIRef("http://purl.org/dc/terms/license"),
            URIRef("https://w3id.org/ai-openness/license/llama3.1")) in g
    assert (model, URIRef("http://www.w3.org/2004/02/skos/core#exactMatch"),
            URIRef("https://huggingface.co/example/demo-open-weight")) in g
    assert (model, URIRef("http://www.w3.org/2004/02/skos/core#exactMatch"),
            URIRef("http://www.wikidata.org/entity/Q4200001")) in g


def test_bad_values_are_kept_for_validation(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,name,developer,date,weights,weights_license\nx,X,Y,2024-13,maybe,Apache-3.0\n")
    rs = read_file(path)
    values = {(t.predicate.value, t.object.value) for t in rs.triples}
    assert (str(AIO.availability), "maybe") in values
    assert ("http://purl.org/dc/terms/issued", "2024-13") in values
    loc = rs.location("https://w3id.org/ai-openness/model/x#weights", str(AIO.availability))
    assert (loc.row, loc.column) == (2, "weights")
    loc = rs.location("https://w3id.org/ai-openness/model/x#weights", "http://purl.org/dc/terms/license")
    assert (loc.row, loc.column) == (2, "weights_license")
    loc = rs.location("https://w3id.org/ai-openness/model/x", "http://purl.org/dc/terms/issued")
    assert (loc.row, loc.column) == (2, "date")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("binary.ttl", b"\x00\x01\x02binary", "binary data"),
        ("latin1.csv", "id,name\nx,Caf\xe9\n".encode("latin-1"), "not UTF-8"),
        ("broken.ttl", b"@prefix ex: <http://e/> .\nex:a ex:b .\n", "syntax error"),
        ("ragged.csv", b"id,name,developer\na,A,Dev\nb,B\n", "row has 2 cells"),
        ("empty.yaml", b"", "empty"),
        ("entity.rdf", b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaa">]>\n<r/>', "DOCTYPE"),
        ("remote.jsonld", b'{"@context": "https://evil.example/ctx.jsonld", "@id": "http://a"}', "not fetched"),
        ("bad.json", b'{"id": "x",, }', "JSON syntax error"),
        ("bad.yaml", b"- id: x\n  name: [unclosed\n", "not valid YAML"),
        ("notes.txt", b"hello", "unknown file extension"),
    ],
)
def test_unreadable_input_names_file_and_problem(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableInputError) as info:
        read_file(path)
    assert expected in str(info.value)
    assert str(path) in str(info.value)


def test_line_numbers_where_the_parser_knows_them(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("id,name\na,A\nb,B,extra\n")
    with pytest.raises(UnreadableInputError) as info:
        read_file(path)
    assert info.value.line == 3
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix ex: <http://e/> .\n\nex:a ex:b .\n")
    with pytest.raises(UnreadableInputError) as info:
        read_file(path)
    assert info.value.line == 3


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableInputError, match="no such file"):
        read_file(tmp_path / "nope.ttl")


def test_jsonld_with_project_context_is_read_offline(tmp_path):
    path = tmp_path / "m.jsonld"
    path.write_text(
        '{"@context": "https://w3id.org/ai-openness/context.jsonld", "@id": "model:m", "@type": "AIModel",'
        ' "id": "m", "name": "M", "releases": [{"@id": "model:m#weights", "artifact": "weights",'
        ' "availability": "public", "license": "spdx:MIT"}]}'
    )
    rs = read_file(path)
    assert ox.Triple(ox.NamedNode("https://w3id.org/ai-openness/model/m#weights"),
                     ox.NamedNode(str(AIO.availability)), ox.NamedNode(str(AIO.Public))) in rs.triples
