"""How a query worker process is started (its snapshot path follows), known to the pool that starts it
(server.executor) and to the audit hook that allows exactly that process start (server.audit)."""

from __future__ import annotations

import sys

#: ``-c`` rather than ``-m server.executor``, which imports that module twice (once through the package)
#: and warns about it on every start.
WORKER_COMMAND = (sys.executable, "-c", "import sys; from server.executor import worker; worker(sys.argv[1])")
