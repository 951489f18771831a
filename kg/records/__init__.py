"""Model records: read them from any supported format, write them to any, as RDF in the ontology's terms."""

from kg.records.model import Location, RecordSet
from kg.records.plain import record_to_triples, records_to_recordset
from kg.records.rdf_to_plain import records_from_triples
from kg.records.readers import FORMATS, read_file, read_files
from kg.records.writers import WRITE_FORMATS, to_string, write

__all__ = [
    "FORMATS", "WRITE_FORMATS", "Location", "RecordSet", "read_file", "read_files", "record_to_triples",
    "records_from_triples", "records_to_recordset", "to_string", "write",
]
