"""The fast engine against the text of the SHACL Core specification (https://www.w3.org/TR/shacl/).

Each case is written from the section it cites, not from what an engine does: shapes, data and the
results the specification's definition gives, as (focus, path, value, component, severity). Where
pySHACL gives something else the docstring says so, and docs/validation.md lists the difference; the
fast engine follows the specification.
"""

from __future__ import annotations

from collections import Counter

import pytest
from shacl_harness import fast_results, shapes, triples

from kg.validation import engine as fast
from kg.validation.shapes import MalformedShapesError

EX = "http://example.org/"


def results(shapes_ttl: str, data_ttl: str) -> Counter:
    return fast_results(shapes(shapes_ttl), triples(data_ttl))


def result(focus: str, component: str, value: str = "", path: str = "", severity: str = "Violation") -> tuple:
    return (focus, path, value, component + "ConstraintComponent", severity)


def iri(name: str) -> str:
    return f"<{EX}{name}>"


# 4.4.4 sh:uniqueLang: "If $uniqueLang is true then for each non-empty language tag that is used by at
# least two value nodes, there is a validation result." Its values are true or false.
UNIQUE_DATA = 'ex:a ex:p "x"@en, "y"@en, "z"@de, "w" .'


def test_unique_lang_true_gives_one_result_per_shared_tag() -> None:
    found = results("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:uniqueLang true ] .", UNIQUE_DATA)
    assert found == Counter({result(iri("a"), "UniqueLang", path=f"{EX}p"): 1})


@pytest.mark.parametrize("value", ["false", '"1"^^xsd:boolean', '"0"^^xsd:boolean'])
def test_unique_lang_is_active_only_when_true(value: str) -> None:
    """Only the literal true activates the constraint; pySHACL also activates it for "1"^^xsd:boolean."""
    found = results(f"ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:uniqueLang {value} ] .",
                    UNIQUE_DATA)
    assert found == Counter()


def test_unique_lang_must_be_a_boolean() -> None:
    with pytest.raises(MalformedShapesError, match="expected true or false"):
        shapes('ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:uniqueLang "yes" ] .')


# 4.4.2 sh:pattern: "For each value node that is a blank node or where the string representation (as
# defined by the SPARQL str function) does not match the regular expression (as defined by the SPARQL
# REGEX function), there is a validation result". REGEX is XPath fn:matches: a search, not anchored.
PATTERN_DATA = """ex:a ex:p "abc", "ABC", "xbz"@en, ex:abc, _:b, "a.c", "a c", "ab\\nc", "abc\\n" ."""


@pytest.mark.parametrize("pattern,flags,failing", [
    ("b", "", ['"ABC"', "_:b", '"a.c"', '"a c"']),  # unanchored: "b" anywhere; IRIs by their text; blank nodes fail
    ("^a", "", ['"ABC"', '"xbz"@en', f"<{EX}abc>", "_:b"]),
    ("B", "i", ["_:b", '"a.c"', '"a c"']),
    ("a.c", "q", ['"abc"', '"ABC"', '"xbz"@en', f"<{EX}abc>", "_:b", '"a c"', '"ab\\nc"', '"abc\\n"']),
    ("a b c", "x", ['"ABC"', '"xbz"@en', "_:b", '"a.c"', '"a c"', '"ab\\nc"']),  # x drops whitespace
    # s: "." matches a newline, so only "ab\nc" has b, one character, c
    ("b.c", "s", ['"abc"', '"ABC"', '"xbz"@en', f"<{EX}abc>", "_:b", '"a.c"', '"a c"', '"abc\\n"']),
    ("c$", "", ['"ABC"', '"xbz"@en', "_:b", '"abc\\n"']),  # "$" is the very end without flag m
    ("c$", "m", ['"ABC"', '"xbz"@en', "_:b"]),
])
def test_pattern_is_sparql_regex(pattern: str, flags: str, failing: list[str]) -> None:
    """pySHACL ignores the flags q, x and s, and its "$" (Python's) also matches before a final newline."""
    flag = f' ; sh:flags "{flags}"' if flags else ""
    found = results(f'ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:pattern "{pattern}"{flag} ] .',
                    PATTERN_DATA)
    values = sorted(key[2] for key in found.elements())
    data = {t.object: str(t.object) for t in triples(PATTERN_DATA)}
    assert values == sorted(str(v) for v, text in data.items() if _shown(text) in failing)


def _shown(text: str) -> str:
    return "_:b" if text.startswith("_:") else text


def test_pattern_with_several_values_is_one_constraint_each() -> None:
    """Each value of a parameter is its own constraint (3.5): both patterns must match."""
    found = results('ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:pattern "^a", "c$" ] .',
                    'ex:a ex:p "abc", "abx", "xbc" .')
    assert sorted(k[2] for k in found.elements()) == ['"abx"', '"xbc"']


def test_invalid_pattern_or_flag_is_a_malformed_shapes_graph() -> None:
    for text in ('sh:pattern "a("', 'sh:pattern "a" ; sh:flags "g"', 'sh:pattern "(?i)a"'):
        with pytest.raises(MalformedShapesError):
            shapes(f"ex:S sh:targetNode ex:a ; {text} .")


# 4.4.1 and 4.4.2 sh:minLength / sh:maxLength: a blank node value always gives a result.
def test_min_length_zero_still_fails_a_blank_node() -> None:
    """pySHACL lets every value pass sh:minLength 0, blank nodes included."""
    found = results("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minLength 0 ] .",
                    'ex:a ex:p _:b, "" .')
    assert [k[2].startswith("_:") for k in found.elements()] == [True]


def test_length_counts_characters_of_the_string_form() -> None:
    found = results("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:maxLength 3 ] .",
                    'ex:a ex:p "abc", "abcd", "été"@fr, 1234, ex:x .')
    assert sorted(k[2] for k in found.elements()) == [
        '"1234"^^<http://www.w3.org/2001/XMLSchema#integer>', '"abcd"', f"<{EX}x>"]


# 4.4.3 sh:languageIn: a value passes when it is a literal whose language tag matches one of the ranges by
# SPARQL langMatches (RFC 4647 basic filtering).
def test_language_in_uses_lang_matches() -> None:
    """pySHACL compares only the first subtag, so the range "en-US" rejects "en-US-x-twain"."""
    found = results('ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:languageIn ( "en-US" "de" ) ] .',
                    'ex:a ex:p "a"@en-US-x-twain, "b"@EN-us, "c"@en, "d"@de-CH, "e", "f"@fr, ex:g .')
    assert sorted(k[2] for k in found.elements()) == ['"c"@en', '"e"', '"f"@fr', f"<{EX}g>"]


def test_language_in_wildcard_needs_a_tag() -> None:
    found = results('ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:languageIn ( "*" ) ] .',
                    'ex:a ex:p "a"@en, "b" .')
    assert [k[2] for k in found.elements()] == ['"b"']


# 2.1.3.3 implicit class targets: "If s is a SHACL instance of rdfs:Class in the shapes graph and s is a
# shape, then s is a class-based target": its SHACL instances in the data graph are focus nodes.
def test_implicit_class_target_includes_subclass_instances() -> None:
    found = results("ex:Person a rdfs:Class, sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .",
                    "ex:Student rdfs:subClassOf ex:Person . ex:a a ex:Person . ex:b a ex:Student . "
                    "ex:c a ex:Other . ex:d a ex:Person ; ex:name 'D' .")
    assert sorted(k[0] for k in found.elements()) == [iri("a"), iri("b")]


def test_implicit_class_target_through_a_metaclass() -> None:
    """A SHACL instance of rdfs:Class: typed with a subclass of rdfs:Class, and a shape by its constraint
    (no sh:NodeShape type needed)."""
    found = results("ex:Meta rdfs:subClassOf rdfs:Class . ex:Person a ex:Meta ; "
                    "sh:property [ sh:path ex:name ; sh:minCount 1 ] .", "ex:a a ex:Person .")
    assert list(found) == [result(iri("a"), "MinCount", path=f"{EX}name")]


# 4.8.1 sh:closed: a result for each triple of a value node whose predicate is neither the sh:path (an IRI)
# of a property shape of the shape nor in sh:ignoredProperties; result path the predicate, value the object.
def test_closed_with_ignored_properties() -> None:
    shapes_ttl = ("ex:S sh:targetNode ex:a ; sh:closed true ; sh:ignoredProperties ( rdf:type ) ; "
                  "sh:property [ sh:path ex:p ] , [ sh:path [ sh:inversePath ex:q ] ] .")
    found = results(shapes_ttl, "ex:a a ex:T ; ex:p 1 ; ex:q ex:b, ex:c ; ex:r 'x' . ex:z ex:q ex:a .")
    assert sorted(found.elements()) == sorted([
        result(iri("a"), "Closed", iri("b"), f"{EX}q"), result(iri("a"), "Closed", iri("c"), f"{EX}q"),
        result(iri("a"), "Closed", '"x"', f"{EX}r")])


def test_closed_false_or_not_boolean_true_is_inactive() -> None:
    for value in ("false", '"1"^^xsd:boolean'):
        assert results(f"ex:S sh:targetNode ex:a ; sh:closed {value} .", "ex:a ex:p 1 .") == Counter()


# 2.1.5 sh:deactivated: "If the value of sh:deactivated in a shape is true, then all RDF terms conform".
def test_deactivated_only_by_true() -> None:
    data = "ex:a ex:p 1 ."
    assert results("ex:S sh:targetNode ex:a ; sh:deactivated true ; sh:datatype xsd:string .", data) == Counter()
    assert len(results('ex:S sh:targetNode ex:a ; sh:deactivated "1"^^xsd:boolean ; sh:nodeKind sh:Literal .',
                       data)) == 1
    nested = "ex:S sh:targetNode ex:a ; sh:node [ sh:deactivated true ; sh:nodeKind sh:Literal ] ."
    assert results(nested, data) == Counter()


# 2.3.1 property paths, with SPARQL 1.1's meaning: ^(r/q) is ^q/^r.
def test_inverse_of_a_sequence_path() -> None:
    """pySHACL reads ^(r/q) as ^r/^q."""
    shapes_ttl = ("ex:S sh:targetNode ex:a ; sh:property [ sh:path [ sh:inversePath ( ex:r ex:q ) ] ; "
                  "sh:nodeKind sh:Literal ] .")
    found = results(shapes_ttl, "ex:b ex:r ex:a . ex:a ex:q ex:b . ex:c ex:r ex:d . ex:d ex:q ex:a .")
    assert [k[2] for k in found.elements()] == [iri("c")]


def test_value_nodes_are_a_set() -> None:
    """ex:b is reached by two alternatives and through two sequences, and counts once."""
    found = results("ex:S sh:targetNode ex:a ; sh:property [ sh:path [ sh:alternativePath ( ex:p ex:q ) ] ; "
                    "sh:maxCount 1 ] ; sh:property [ sh:path ( ex:r ex:p ) ; sh:maxCount 1 ] .",
                    "ex:a ex:p ex:b ; ex:q ex:b ; ex:r ex:x, ex:y . ex:x ex:p ex:b . ex:y ex:p ex:b .")
    assert found == Counter()


# 4.8.3 sh:in and 4.8.2 sh:hasValue compare RDF terms: "01"^^xsd:integer is not "1"^^xsd:integer.
def test_in_and_has_value_compare_terms() -> None:
    found = results('ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:in ( 1 "x" ) ] ; '
                    'sh:property [ sh:path ex:q ; sh:hasValue "01"^^xsd:integer ] .',
                    'ex:a ex:p "01"^^xsd:integer, 1, "x"@en ; ex:q 1 .')
    assert sorted(found.elements()) == sorted([
        result(iri("a"), "In", '"01"^^<http://www.w3.org/2001/XMLSchema#integer>', f"{EX}p"),
        result(iri("a"), "In", '"x"@en', f"{EX}p"), result(iri("a"), "HasValue", path=f"{EX}q")])


# 4.1.2 sh:datatype: a result for a value that is not a literal, has another datatype, or "is an
# ill-formed literal with datatype $datatype".
def test_datatype_fails_ill_typed_literals() -> None:
    found = results("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:datatype xsd:integer ] ; "
                    "sh:property [ sh:path ex:q ; sh:datatype rdf:langString ] .",
                    'ex:a ex:p "aldi"^^xsd:integer, 12, "12", ex:b ; ex:q "x"@en, "x" .')
    assert sorted(k[2] for k in found.elements()) == sorted([
        '"aldi"^^<http://www.w3.org/2001/XMLSchema#integer>', '"12"', iri("b"), '"x"'])


def test_several_datatypes_are_several_constraints() -> None:
    """Each value of sh:datatype is its own constraint (3.5); pySHACL refuses a second sh:datatype."""
    found = results("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:datatype xsd:integer, "
                    "xsd:string ] .", 'ex:a ex:p 1, "x" .')
    assert len(found) == 2


# 4.1.1 sh:class: literals fail; instances of subclasses (rdfs:subClassOf* in the data graph) pass.
def test_class_with_subclasses() -> None:
    found = results("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:class ex:C ] .",
                    "ex:D rdfs:subClassOf ex:C . ex:E rdfs:subClassOf ex:D . ex:b a ex:E . ex:c a ex:F . "
                    "ex:a ex:p ex:b, ex:c, 'lit' .")
    assert sorted(k[2] for k in found.elements()) == ['"lit"', iri("c")]


# 4.6.4 sh:xone: a result when the value conforms to a number of the shapes other than one.
def test_xone_exactly_one() -> None:
    found = results("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:xone ( [ sh:nodeKind sh:IRI ] "
                    "[ sh:class ex:C ] ) ] .", "ex:b a ex:C . ex:a ex:p ex:b, ex:c, 'x' .")
    assert sorted(k[2] for k in found.elements()) == ['"x"', iri("b")]


# 4.5.1 sh:equals and 4.5.2 sh:disjoint compare the value nodes with the values of a property.
def test_equals_and_disjoint() -> None:
    found = results("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:equals ex:q ; sh:disjoint ex:r ] .",
                    "ex:a ex:p 1, 2 ; ex:q 2, 3 ; ex:r 2 .")
    assert sorted((k[3], k[2]) for k in found.elements()) == [
        ("DisjointConstraintComponent", '"2"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        ("EqualsConstraintComponent", '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        ("EqualsConstraintComponent", '"3"^^<http://www.w3.org/2001/XMLSchema#integer>')]


# 2.1.4 and 3.4: a nested property shape's results carry its own severity and the value node as focus.
def test_severity_of_nested_shapes() -> None:
    found = results("ex:S sh:targetNode ex:a ; sh:severity sh:Info ; sh:property [ sh:path ex:p ; "
                    "sh:severity sh:Warning ; sh:property [ sh:path ex:q ; sh:minCount 1 ] ] .", "ex:a ex:p ex:b .")
    assert list(found) == [result(iri("b"), "MinCount", path=f"{EX}q")]


# Syntax rules: what makes a shapes graph ill-formed.
@pytest.mark.parametrize("text,words", [
    ("ex:S sh:targetNode ex:a ; sh:node [ sh:path ex:p ] .", "node shape"),  # 4.7.1: sh:node names node shapes
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:path ex:p .", "sh:NodeShape"),  # 2.2: no sh:path
    ("ex:S sh:targetNode ex:a ; sh:minCount 1 .", "property shape"),  # 4.2.1: property shapes only
    ("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p, ex:q ] .", "more than one value"),
    ("ex:S sh:targetNode ex:a ; sh:property [ sh:path [ sh:zeroOrMorePath ex:p ; sh:oneOrMorePath ex:p ] ] .",
     "not exactly one of"),
    ("ex:S sh:targetNode ex:a ; sh:languageIn ( ex:en ) .", "strings"),
    ("ex:S sh:targetNode ex:a ; sh:class 'C' .", "expected an IRI"),
])
def test_ill_formed_shapes(text: str, words: str) -> None:
    with pytest.raises(MalformedShapesError, match=words):
        shapes(text)


def test_recursive_shapes_are_left_to_pyshacl() -> None:
    """SHACL leaves recursion undefined (3.4.2); the fast engine does not evaluate a recursive shape."""
    shape_set = shapes("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:node ex:S ] .")
    assert not fast.supports(shape_set.shapes[0])
