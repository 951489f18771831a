"""The SPARQL endpoint and web pages: a Flask application factory.

``create_app(config)`` builds the app over a store (``STORE``: a store spec, see kg.store; default the
bundled KG). One blueprint per concern: ``server.sparql`` (SPARQL 1.1 Protocol query and update),
``server.gsp`` (Graph Store Protocol), ``server.describe`` (Service Description and VoID),
``server.pages`` (query UI, model pages, ontology), ``server.openapi`` and the analysts' pages
(``server.site``). Settings live in
``server.config``, error responses in ``server.errors``, shared request hooks in ``server.hooks``.
``openness serve`` runs it under waitress (``server.http``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from server.config import DEFAULTS, engine_settings
from server.context import ENGINE, engine_of

__all__ = ["create_app", "engine_of"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; raises kg.errors.ConfigurationError for an unusable store.

    The blueprints and the engine are imported here, not at the top: the query workers import
    ``server.executor``, and with it this package, and need none of them."""
    from server import describe, gsp, openapi, pages, protocol, site, sparql
    from server.engine import Engine
    from server.errors import install_errors
    from server.hooks import install_admission, install_limits
    from server.templating import install_templating

    blueprints = (sparql.bp, gsp.bp, describe.bp, pages.bp, openapi.bp, protocol.bp)
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    if config:
        app.config.update(config)
    store = app.config["STORE"]
    backend = None if isinstance(store, str | type(None)) else store
    app.extensions[ENGINE] = Engine(engine_settings(app.config), backend)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    site.register(app)
    install_limits(app)
    protocol.install(app)
    install_admission(app)
    install_errors(app)
    install_templating(app)
    return app
