"""kg.parsing, the one safe parse every input path uses: XML declarations refused on the parsed prolog,
parsed size bounded by the input, JSON nesting and YAML aliases bounded; the server's Graph Store writes
and the record readers both go through it."""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kg.errors import UnreadableInputError
from kg.parsing import (
    ALIAS_ALLOWANCE,
    MAX_DEPTH,
    InputTooLargeError,
    load_json,
    load_yaml,
    parse_rdf,
    refuse_xml_declarations,
)
from tests.conftest import TOKEN

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML_OK = f"""<?xml version="1.0"?>
<!-- a comment mentioning <!DOCTYPE x> is not a declaration -->
<?pi data?>
<rdf:RDF xmlns:rdf="{RDF}" xmlns:ex="http://ex.org/">
  <rdf:Description rdf:about="http://ex.org/s"><ex:p>x</ex:p></rdf:Description>
</rdf:RDF>"""


def lol_xml(levels: int = 9) -> str:
    """The classic entity bomb: each entity ten copies of the previous one."""
    entities = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{n} "{"".join(f"&l{n - 1};" for _ in range(10))}">' for n in range(1, levels + 1)]
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{chr(10).join(entities)}\n]>\n'
            f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:ex="http://ex.org/"><rdf:Description rdf:about="http://ex.org/s">'
            f'<ex:p>&l{levels};</ex:p></rdf:Description></rdf:RDF>')


def yaml_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{n}: &a{n} [{','.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_plain_rdf_xml_parses_and_comments_do_not_count():
    assert len(parse_rdf(XML_OK, "xml")) == 1


@pytest.mark.parametrize("document, line", [
    (lol_xml(), 2),
    ('<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd">\n<r/>', 2),
    ('<!DOCTYPE r>\n<r/>', 1),
    ('<?xml version="1.0" encoding="UTF-8"?>\n\n\n<!DOCTYPE r [<!ENTITY % p "x">]><r/>', 4),
])
def test_xml_declarations_are_refused_with_their_line(document, line):
    with pytest.raises(UnreadableInputError) as caught:
        parse_rdf(document, "xml", source="upload.rdf")
    assert caught.value.line == line and "document type declaration" in caught.value.message
    assert str(caught.value).startswith(f"upload.rdf:{line}: ")


def test_xml_refusal_reads_only_the_prolog():
    body = f'<rdf:RDF xmlns:rdf="{RDF}">'.encode() + b"<x>" * 100_000  # unclosed: the root is all we read
    refuse_xml_declarations(body, "x.rdf")
    with pytest.raises(UnreadableInputError, match="not well-formed XML"):
        refuse_xml_declarations(b"<?xml version='1.0'?>\n<<<", "x.rdf")


def test_prefix_expansion_is_bounded_by_the_input():
    long_prefix = "@prefix p: <http://ex.org/" + "x" * 100_000 + "#> .\n"
    with pytest.raises(InputTooLargeError, match="32 times the input"):
        parse_rdf(long_prefix + "p:a p:b p:c .\n" * 2000, "turtle", source="prefix.ttl")
    assert len(parse_rdf(long_prefix + "p:a p:b p:c .\n" * 3, "turtle")) == 3


def test_input_larger_than_the_limit_is_refused_before_parsing():
    with pytest.raises(InputTooLargeError, match="larger than the limit of 100 bytes"):
        parse_rdf("<http://a> <http://b> <http://c> .\n" * 10, "nt", max_bytes=100)


def test_json_nesting_is_refused_quickly():
    start = time.perf_counter()
    for depth in (MAX_DEPTH + 1, 200_000):
        with pytest.raises(UnreadableInputError, match=f"nested deeper than {MAX_DEPTH} levels"):
            load_json("[" * depth + "]" * depth, "deep.json")
    assert load_json("[" * MAX_DEPTH + "]" * MAX_DEPTH, "ok.json") is not None
    assert time.perf_counter() - start < 5


def test_yaml_alias_bomb_is_refused_after_composing():
    with pytest.raises(InputTooLargeError, match="YAML aliases expand 28 nodes to 490,329,064"):
        load_yaml(yaml_bomb(), "bomb.yaml")


def test_recursive_yaml_is_refused():
    with pytest.raises(UnreadableInputError, match="recursive structure") as caught:
        load_yaml("a: &x\n  b: *x\n", "cycle.yaml")
    assert caught.value.line == 1  # where the anchored node starts


def test_ordinary_aliases_are_fine():
    text = "src: &src https://example.org/card\nmodels:\n" + "".join(
        f"  - {{id: m{n}, source: *src}}\n" for n in range(ALIAS_ALLOWANCE // 2))
    data = load_yaml(text, "many.yaml")
    assert data["models"][-1]["source"] == "https://example.org/card"


def test_yaml_nesting_is_refused():
    with pytest.raises(UnreadableInputError, match="not valid YAML|nested deeper"):
        load_yaml("[" * 200_000 + "]" * 200_000, "deep.yaml")
    with pytest.raises(UnreadableInputError, match=f"nested deeper than {MAX_DEPTH}"):
        load_yaml("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "deep.yaml")


@pytest.mark.parametrize("name, content", [
    ("bomb.rdf", lol_xml()),
    ("bomb.yaml", yaml_bomb()),
    ("deep.json", "[" * 200_000 + "]" * 200_000),
    ("deep.jsonld", json.dumps({"@id": "urn:a"})[:-1] + ', "urn:p": ' + "[" * 200_000 + "]" * 200_000 + "}"),
])
def test_record_readers_refuse_bombs(tmp_path: Path, name, content):
    from kg.records import read_file

    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UnreadableInputError) as caught:
        read_file(path)
    assert caught.value.file == str(path)


def test_graph_store_writes_refuse_entities_and_expansion(make_app):
    client = make_app().test_client()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = client.get("/store?graph=urn:g").status_code
    response = client.post("/store?graph=urn:g", data=lol_xml(), content_type="application/rdf+xml", headers=auth)
    assert response.status_code == 400 and b"document type declaration" in response.data
    prefix = "@prefix p: <http://ex.org/" + "x" * 60_000 + "#> .\n"
    response = client.post("/store?graph=urn:g", data=prefix + "p:a p:b p:c .\n" * 1000,
                           content_type="text/turtle", headers=auth)
    assert response.status_code == 413 and b"expand" in response.data
    assert client.get("/store?graph=urn:g").status_code == before == 404


class _Hostile(BaseHTTPRequestHandler):
    """An endpoint answering with an entity bomb in SPARQL XML, or JSON nested 200,000 deep."""

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        if self.path.startswith("/xml"):
            body, ctype = lol_xml().encode(), "application/sparql-results+xml"
        else:
            body, ctype = ("[" * 200_000 + "]" * 200_000).encode(), "application/sparql-results+json"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.mark.parametrize("path, message", [("/xml", "answered application/sparql-results+xml, not SPARQL JSON"),
                                           ("/deep", "sent unreadable results (nested deeper than 100 levels")])
def test_wikidata_answers_are_parsed_safely(path, message):
    from kg.importers.wikidata import QueryFailed, run_query

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(QueryFailed, match=re.escape(message)):
            run_query("SELECT * {}", f"http://127.0.0.1:{server.server_address[1]}{path}", timeout=10)
    finally:
        server.shutdown()
        server.server_close()


def test_a_remote_stores_rdf_answer_goes_through_the_safe_parse():
    from kg.store import StoreUnavailableError
    from kg.store.remote import parse_remote_result

    with pytest.raises(StoreUnavailableError, match="document type declaration"):
        parse_remote_result(lol_xml().encode(), "application/rdf+xml")
    assert len(parse_remote_result(b"<http://a> <http://b> <http://c> .\n", "application/n-triples")) == 1
