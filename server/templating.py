"""What every page template writes: control characters a record may hold made visible, never written raw.

A stored name may hold a NUL or another control character (RDF allows them in literals); written raw into
HTML it can truncate or confuse what a browser or a copy-paste sees. Every ``{{ value }}`` of every
template passes :func:`visible_controls` before Jinja escapes it.
"""

from __future__ import annotations

import re

from flask import Flask

#: C0 controls but tab, line feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def visible_controls(value: object) -> object:
    """``value`` with each control character written as ``\\uXXXX`` (other values unchanged).

    >>> visible_controls("a\\x00b")
    'a\\\\u0000b'
    """
    if isinstance(value, str) and _CONTROL.search(value):
        return type(value)(_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", value))
    return value


def install_templating(app: Flask) -> None:
    """Make every template expression pass :func:`visible_controls`."""
    app.jinja_env.finalize = visible_controls
