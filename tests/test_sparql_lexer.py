"""The one SPARQL lexer (kg.sparql_lexer): keywords are tokens, never text inside strings, IRIs, comments,
prefixed names, variables or language tags; the store's dataset decision follows it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.sparql_lexer import has_dataset_clause, query_form, tokens
from kg.store import run_local_query


@pytest.mark.parametrize("query", [
    "SELECT * FROM <http://e/g> { ?s ?p ?o }",
    "select * from named <http://e/g> { graph ?g { ?s ?p ?o } }",
    "PREFIX e: <http://e/> SELECT*FROM e:g{?s ?p ?o}",
    "CONSTRUCT { ?s ?p ?o } FROM <http://e/g> WHERE { ?s ?p ?o }",
])
def test_a_from_keyword_is_a_dataset_clause(query):
    assert has_dataset_clause(query)


@pytest.mark.parametrize("query", [
    'SELECT * { ?s ?p "FROM <http://e/g>" }',
    "SELECT * { ?s ?p '''\nFROM <http://e/g>\n''' }",
    "SELECT * { ?s ?p <http://e/FROM> }",
    "# FROM <http://e/g>\nSELECT * { ?s ?p ?o }",
    "PREFIX from: <http://e/> SELECT * { ?s from:p ex:from }",
    "SELECT ?from $FROM { ?from ?p ?o }",
    'SELECT * { ?s ?p "x"@from }',
    "SELECT * { ?s ?p ?o FILTER(?o != fromage) }",
])
def test_from_elsewhere_is_no_dataset_clause(query):
    assert not has_dataset_clause(query)


def test_the_query_form_is_the_first_form_keyword():
    assert query_form('PREFIX ask: <http://e/select#> # SELECT\nDESCRIBE <http://e/construct>') == "DESCRIBE"
    assert query_form('ask { ?s ?p "SELECT" }') == "ASK"
    assert query_form("PREFIX e: <http://e/>") is None


def test_an_unterminated_string_is_a_query_error():
    with pytest.raises(QueryError, match="unterminated string"):
        list(tokens('SELECT * { ?s ?p "open }'))


def test_the_store_uses_the_union_unless_the_query_names_a_dataset():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("FROM"),
                      ox.NamedNode("http://e/g")))
    seen = run_local_query(store, 'SELECT ?o { ?s ?p ?o FILTER(?o = "FROM") } # FROM <http://e/none>')
    assert [row["o"].value for row in seen] == ["FROM"]
    named = run_local_query(store, "SELECT ?o FROM <http://e/none> { ?s ?p ?o }")
    assert list(named) == []
