"""AI Openness KG: how open is this AI model, really?

The package reads model records, reasons over them with the project's OWL ontology,
validates them with SHACL and serves them over SPARQL.
"""

__version__ = "0.1.0"
