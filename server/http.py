"""The WSGI server ``openness serve`` runs the app under: waitress, hardened against slow clients.

- ``send_bytes`` above a typical answer: with waitress's default (1) its event loop spins while a task
  thread answers, taking the GIL from the thread doing the work.
- **A deadline per request.** waitress's ``channel_timeout`` closes a connection idle for that long, but a
  client sending one byte a second is never idle. Here a request must arrive whole (headers and body)
  within ``request_timeout`` seconds of its first byte, or its connection is closed; the check runs every
  ``cleanup_interval`` seconds.
- **Connections per client address** are capped (``client_connections``; past it a new connection is
  closed at once), so one address cannot take all of ``connection_limit``.
- **A chunk-size line** (chunked transfer encoding) longer than :data:`MAX_CHUNK_LINE` bytes closes the
  connection: waitress buffers that line without a bound.
"""

from __future__ import annotations

import time
from typing import Any

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import MultiSocketServer, TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

#: waitress adjustments; callers' keyword arguments override them.
ADJUSTMENTS: dict[str, Any] = {"send_bytes": 65536, "connection_limit": 200, "cleanup_interval": 2,
                               "channel_timeout": 60}
#: Seconds a client may take to send one whole request, and connections per client address.
REQUEST_TIMEOUT = 15.0
CLIENT_CONNECTIONS = 48
#: Longest chunk-size line of a chunked body (the size in hex and extensions) before the connection closes.
MAX_CHUNK_LINE = 4096


class GuardedChannel(HTTPChannel):
    """A waitress channel that notes when its current request started and bounds chunk-size lines."""

    request_started: float | None = None

    def received(self, data: bytes) -> bool:
        if self.request is None and data:
            self.request_started = time.monotonic()
        result = super().received(data)
        body = getattr(self.request, "body_rcv", None) if self.request is not None else None
        if body is not None and len(getattr(body, "control_line", b"")) > MAX_CHUNK_LINE:
            self.will_close = True
        if self.request is None:
            self.request_started = None
        return result


class _Guards:
    """What both of waitress's server classes get: the request deadline and the per-address cap."""

    request_timeout: float = REQUEST_TIMEOUT
    client_connections: int = CLIENT_CONNECTIONS
    channel_class = GuardedChannel

    def maintenance(self, now: float) -> None:
        super().maintenance(now)  # type: ignore[misc]
        cutoff = time.monotonic() - self.request_timeout
        for channel in list(self.active_channels.values()):  # type: ignore[attr-defined]
            started = getattr(channel, "request_started", None)
            if started is not None and started < cutoff and not channel.requests:
                channel.will_close = True

    def handle_accept(self) -> None:
        before = set(self._map)  # type: ignore[attr-defined]
        super().handle_accept()  # type: ignore[misc]
        for fd in set(self._map) - before:  # type: ignore[attr-defined]
            channel = self._map[fd]  # type: ignore[attr-defined]
            address = channel.addr[0] if isinstance(channel.addr, tuple) else channel.addr
            same = sum(1 for c in self.active_channels.values()  # type: ignore[attr-defined]
                       if c is not channel and (c.addr[0] if isinstance(c.addr, tuple) else c.addr) == address)
            if same >= self.client_connections:
                channel.handle_close()


class GuardedServer(_Guards, TcpWSGIServer):
    """waitress's TCP server with :class:`_Guards`."""


def make_server(app: Any, *, request_timeout: float = REQUEST_TIMEOUT, client_connections: int = CLIENT_CONNECTIONS,
                **options: Any) -> Any:
    """A waitress server for ``app`` (as ``waitress.server.create_server`` builds it for TCP) with
    :data:`ADJUSTMENTS` as defaults and the guards above."""
    adj = Adjustments(**{**ADJUSTMENTS, **options})
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adj.threads)
    socket_map: dict = {}
    servers = []
    for sockinfo in adj.listen:
        server = GuardedServer(app, socket_map, True, None, dispatcher=dispatcher, adj=adj, sockinfo=sockinfo)
        server.request_timeout = request_timeout
        server.client_connections = client_connections
        servers.append(server)
    if len(servers) == 1:
        return servers[0]
    listening = [(s.effective_host, s.effective_port) for s in servers]
    return MultiSocketServer(socket_map, adj, listening, dispatcher, servers[-1].log_info)
