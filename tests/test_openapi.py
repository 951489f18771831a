"""The OpenAPI description (server/openapi.yaml, served at /openapi.json) checked against the app with
schemathesis: no generated request gets a 5xx, a status the description does not list, or an undocumented
content type. Writes are authorised (the bearer token is sent), so the checked-write pipeline is exercised.
"""

from __future__ import annotations

import pytest

pytest.importorskip("schemathesis", reason="schemathesis is in the test extra: pip install -e .[test]")

import schemathesis  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    status_code_conformance,
)

from server import create_app, engine_of  # noqa: E402
from tests.conftest import TOKEN  # noqa: E402

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def api_app():  # type: ignore[no-untyped-def]
    app = create_app({"TESTING": True, "STORE": "memory", "TOKEN": TOKEN, "WORKERS": 1, "QUERY_TIMEOUT": 5.0,
                      "MAX_CONCURRENT": 4})
    app.test_client().post("/update", data="INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> \"c\" } }",
                           content_type="application/sparql-update", headers={"Authorization": f"Bearer {TOKEN}"})
    yield app
    engine_of(app).close()


@pytest.fixture(scope="module")
def api_schema(api_app):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_wsgi("/openapi.json", api_app)


def test_description_is_served(api_app):
    response = api_app.test_client().get("/openapi.json")
    assert response.status_code == 200 and response.json["openapi"].startswith("3.")
    routes = {rule.rule.replace("<", "{").replace(">", "}") for rule in api_app.url_map.iter_rules()
              if not rule.rule.startswith("/static")}
    assert routes == set(response.json["paths"]), "every route is described and every description routed"


def run_operations(api_schema, examples: int) -> int:  # type: ignore[no-untyped-def]
    """Every described operation, ``examples`` generated requests each; returns how many were sent.

    (Driven by hand rather than schemathesis' pytest plugin, which does not run under pytest 9 yet.)
    """
    sent = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case) -> None:  # type: ignore[no-untyped-def]
            nonlocal sent
            sent += 1
            case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS)

        check()
    print("schemathesis requests:", sent)
    return sent


def test_api_conforms(api_schema):
    assert run_operations(api_schema, 12) > 80


@pytest.mark.slow
def test_api_conforms_long(api_schema):
    assert run_operations(api_schema, 300) > 80
