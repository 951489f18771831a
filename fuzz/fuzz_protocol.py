"""atheris harness: whole HTTP requests to the app (Flask test client): never a 5xx, never a traceback."""

from __future__ import annotations

import atheris
from common import run

APP = None
METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"]
PATHS = ["/sparql", "/update", "/store", "/model/", "/.well-known/void", "/ontology", "/"]
TYPES = ["application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update",
         "text/turtle", "application/ld+json", "application/rdf+xml", "", "multipart/form-data"]


def test_one(data: bytes) -> None:
    global APP
    from server import create_app

    if APP is None:
        APP = create_app({"TESTING": True, "STORE": "memory", "TOKEN": "fuzz-token-0123456789",
                          "USE_WORKERS": False, "MAX_CONCURRENT": 1000})
    fdp = atheris.FuzzedDataProvider(data)
    method = fdp.PickValueInList(METHODS)
    path = fdp.PickValueInList(PATHS) + fdp.ConsumeUnicodeNoSurrogates(40).replace("?", "%3F")
    query = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 200))
    headers = {"Content-Type": fdp.PickValueInList(TYPES), "Accept": fdp.ConsumeUnicodeNoSurrogates(40),
               "Authorization": "Bearer fuzz-token-0123456789" if fdp.ConsumeBool() else ""}
    body = fdp.ConsumeBytes(2048)
    try:
        response = APP.test_client().open(path, method=method, query_string=query.decode("latin-1"),
                                          headers=headers, data=body)
    except (ValueError, UnicodeError):
        return  # the test client itself refuses the request (e.g. a header with a newline)
    text = response.get_data()
    if response.status_code >= 500 or b"Traceback" in text:
        raise AssertionError(f"{method} {path}: {response.status_code} {text[:300]!r}")


if __name__ == "__main__":
    run(test_one, "server", "server.sparql", "server.gsp", "server.guard", "server.results", "server.engine",
        "server.admission", "server.pages", "server.describe")
