"""Serve the knowledge graph: a SPARQL 1.1 endpoint and web pages, under the waitress WSGI server.

Read-only unless a bearer token is configured (environment variable OPENNESS_TOKEN, or --token-file);
then SPARQL Update at /update and Graph Store writes at /store accept requests carrying it.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from kg.errors import ConfigurationError

NAME = "serve"
HELP = "SPARQL endpoint and web pages over the bundled KG (default) or a given store"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080; 0 picks one)")
    parser.add_argument("--store", default=None,
                        help="'bundled' (default), 'memory', a directory (on-disk store) or a SPARQL endpoint URL "
                             "(QUERY_URL[,UPDATE_URL])")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds a query may run (default 30)")
    parser.add_argument("--row-limit", type=int, default=10_000, help="rows per result before truncation")
    parser.add_argument("--workers", type=int, default=None, help="query worker processes (default: CPUs + 1)")
    parser.add_argument("--memory-limit", type=int, default=1024, metavar="MIB",
                        help="MiB of memory one query or update may use before it is stopped with 507 "
                             "(default 1024; 0: no ceiling)")
    parser.add_argument("--threads", type=int, default=8, help="HTTP threads (default 8)")
    parser.add_argument("--allow-host", action="append", default=[], metavar="HOST",
                        help="a host SERVICE/LOAD/FROM may name (repeatable; '*.example.org' works)")
    parser.add_argument("--token-file", type=Path, default=None,
                        help="file holding the bearer token that enables writes (or set OPENNESS_TOKEN)")
    parser.add_argument("--max-concurrent", type=int, default=6,
                        help="SPARQL operations in flight before 429 (default 6; keep it below --threads)")
    parser.add_argument("--admission-wait", type=float, default=0.5,
                        help="seconds a request may wait for a free slot before 429 (default 0.5)")
    parser.add_argument("--client-concurrent", type=int, default=2,
                        help="SPARQL operations one client address may have in flight before 429 (default 2; "
                             "0 = no cap)")
    parser.add_argument("--request-timeout", type=float, default=15.0, metavar="SECONDS",
                        help="seconds a client may take to send one whole request (default 15)")
    parser.add_argument("--client-rate", type=float, default=20.0,
                        help="SPARQL requests per second per client address before 429 (default 20; 0 = off)")
    parser.add_argument("--client-burst", type=int, default=40,
                        help="requests a client may send at once before --client-rate applies (default 40)")
    parser.add_argument("--trusted-proxy", default=None, metavar="ADDR",
                        help="address of a reverse proxy whose X-Forwarded-For names the client (default: none)")


def _token(args: argparse.Namespace) -> str | None:
    if args.token_file is not None:
        try:
            token = args.token_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigurationError(f"--token-file {args.token_file}: {exc.strerror}") from None
        if len(token) < 16:
            raise ConfigurationError(f"--token-file {args.token_file}: the token must be at least 16 characters")
        return token
    token = os.environ.get("OPENNESS_TOKEN", "").strip()
    if token and len(token) < 16:
        raise ConfigurationError("OPENNESS_TOKEN must be at least 16 characters")
    return token or None


def run(args: argparse.Namespace) -> int:
    import waitress

    from server import create_app
    from server.context import engine_of
    from server.http import make_server as create_server

    if not 0 <= args.port <= 65535:
        raise ConfigurationError(f"--port {args.port}: expected 0-65535")
    if args.client_concurrent < 0 or args.request_timeout <= 0:
        raise ConfigurationError("--client-concurrent must not be negative, --request-timeout above 0")
    if args.memory_limit < 0:
        raise ConfigurationError(f"--memory-limit {args.memory_limit}: expected 0 or more MiB")
    if args.max_concurrent < 1 or args.client_burst < 1 or args.client_rate < 0 or args.admission_wait < 0:
        raise ConfigurationError("--max-concurrent and --client-burst must be at least 1, --client-rate and "
                                 "--admission-wait not negative")
    proxy: dict[str, object] = {}
    if args.trusted_proxy:
        proxy = {"trusted_proxy": args.trusted_proxy, "trusted_proxy_count": 1,
                 "trusted_proxy_headers": {"x-forwarded-for"}}
    app = create_app({
        "STORE": args.store,
        "TOKEN": _token(args),
        "QUERY_TIMEOUT": args.timeout,
        "ROW_LIMIT": args.row_limit,
        "WORKERS": args.workers,
        "MEMORY_LIMIT": args.memory_limit << 20,
        "ALLOWED_HOSTS": tuple(args.allow_host),
        "MAX_CONCURRENT": args.max_concurrent,
        "ADMISSION_WAIT": args.admission_wait,
        "CLIENT_RATE": args.client_rate,
        "CLIENT_CONCURRENT": args.client_concurrent,
        "CLIENT_BURST": args.client_burst,
    })
    try:
        server = create_server(app, host=args.host, port=args.port, threads=args.threads,
                               ident="openness", clear_untrusted_proxy_headers=True,
                               request_timeout=args.request_timeout, **proxy)
    except OSError as exc:
        engine_of(app).close()
        raise ConfigurationError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    host, port = server.effective_host, server.effective_port  # type: ignore[union-attr]
    shown = f"[{host}]" if ":" in str(host) else host
    mode = "read-write (token)" if app.config["TOKEN"] else "read-only"
    print(f"openness serve: http://{shown}:{port}/ ({mode}, store {engine_of(app).spec}); Ctrl-C stops",
          file=sys.stderr, flush=True)
    del waitress

    def _stop(_signum: int, _frame: object) -> None:
        raise SystemExit(0)  # run the finally below: stop the workers, remove snapshots

    signal.signal(signal.SIGTERM, _stop)
    try:
        server.run()
    except KeyboardInterrupt:  # Ctrl-C: a normal way to stop (waitress usually takes it itself)
        pass
    finally:
        engine_of(app).close()
    print("openness serve: stopped", file=sys.stderr, flush=True)
    return 0
