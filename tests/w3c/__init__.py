"""W3C SPARQL 1.1 conformance, run over HTTP against live servers."""
