"""atheris harness: kg.records.read_file on .ttl files (see fuzz/common.py, docs/reliability.md)."""

from records import fuzz_format

if __name__ == "__main__":
    fuzz_format(".ttl")
