"""What a slug in a page URL may be (``/model/<slug>``, ``/org/<slug>``, ...), shared by the page modules."""

from __future__ import annotations

import re

SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
