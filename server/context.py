"""Where a request finds the application's shared objects (the Engine, admission control)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask

if TYPE_CHECKING:
    from server.admission import Admission
    from server.engine import Engine

ENGINE = "openness"
ADMISSION = "openness.admission"


def engine_of(app: Flask) -> Engine:
    """The app's Engine."""
    return app.extensions[ENGINE]


def admission_of(app: Flask) -> Admission:
    """The app's admission control."""
    return app.extensions[ADMISSION]
