"""Data files installed with the package: the ontology modules and the SHACL shapes (see setup.py)."""
