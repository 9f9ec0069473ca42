"""Where one request's time goes, in-process and without an HTTP server.

A noisy shared machine makes requests-per-second figures wander; the CPU a request costs the
web process, and the statements it sends, do not. This runs the benchmarks' requests through
the WSGI app directly, prints the CPU time per request next to ``GET /livez``, the number of
statements per request, and (with ``--profile``) cProfile's heaviest functions.

    .venv/bin/python -m bench.profile orders|apple [--requests 2000] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from werkzeug.test import EnvironBuilder

from bench import apple_ws, orders
from bench.server import scratch_database_url
from passes.apple import write_dev_chain
from webapp import create_app
from webapp.database import database
from webapp.settings import Settings

SORT = os.environ.get("BENCH_PROFILE_SORT", "tottime")
PRINT_FILTER = os.environ.get("BENCH_PROFILE_FILTER", "")
Request = Callable[[int], dict[str, Any]]
ROUND = 200


def order_requests(url: str) -> tuple[dict[str, str], Request]:
    """Settings for the orders benchmark, and its n-th request."""
    key, spread, _, _ = orders.seed(url)

    def request(n: int) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": f"profile-{n}"}
        return _environ("POST", f"/api/v1/cards/{spread[n % len(spread)]}/orders", headers)

    return {"TESSERA_EMBEDDED_WORKER": "0"}, request


def pass_requests(url: str, folder: Path) -> tuple[dict[str, str], Request]:
    """Settings for the pass download benchmark, and its n-th request."""
    pairs = apple_ws.seed(url)
    certs = folder / "certs"
    write_dev_chain(
        certs / "dev", pass_type_id=Settings.apple_pass_type_id, team_id=Settings.apple_team_id
    )

    def request(n: int) -> dict[str, Any]:
        serial, token = pairs[n % len(pairs)]
        path = f"/apple/v1/passes/{Settings.apple_pass_type_id}/{serial}"
        return _environ("GET", path, {"Authorization": f"ApplePass {token}"})

    return {"TESSERA_CERTS_PATH": str(certs)}, request


def _environ(method: str, path: str, headers: dict[str, str]) -> dict[str, Any]:
    body = '{"amount": 12345}' if method == "POST" else None
    builder = EnvironBuilder(
        path=path,
        method=method,
        headers=list(headers.items()),
        data=body,
        content_type="application/json",
    )
    environ: dict[str, Any] = builder.get_environ()
    environ["REMOTE_ADDR"] = "127.0.0.1"
    return environ


def call(app: Flask, environ: dict[str, Any]) -> str:
    """Run one request through the app; its status line."""
    status: list[str] = []

    def start_response(line: str, headers: Any, exc_info: Any = None) -> Callable[[bytes], None]:
        status.append(line)
        return lambda _: None

    body = app(environ, start_response)
    b"".join(body)  # the whole answer is made, as a server would send it
    getattr(body, "close", lambda: None)()
    return status[0]


@contextmanager
def counted_statements(app: Flask) -> Iterator[list[int]]:
    """Count the statements the app sends while the block runs."""
    count = [0]

    def tick(*_: Any) -> None:
        count[0] += 1

    with app.app_context():
        engine = database().engine
    event.listen(engine, "before_cursor_execute", tick)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", tick)


def cpu_per_request(app: Flask, request: Request, count: int, offset: int) -> float:
    """Microseconds of this process's CPU per request."""
    started = time.process_time()
    for n in range(offset, offset + count):
        call(app, request(n))
    return (time.process_time() - started) / count * 1e6


def main() -> None:
    """Seed, build the app, and print what a request costs."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["orders", "apple"])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = scratch_database_url("postgresql", Path(folder))
        seeded = order_requests(url) if args.what == "orders" else pass_requests(url, Path(folder))
        env, request = seeded
        env |= {"TESSERA_DATABASE_URL": url, "TESSERA_INSTANCE_PATH": folder}
        report(_app(env), request, args.requests, args.profile)


def _app(env: dict[str, str]) -> Flask:
    return create_app(Settings.from_env(env | {"TESSERA_SECRET_KEY": "bench"}))


def report(app: Flask, request: Request, count: int, profile: bool) -> None:
    """Warm up, then print CPU per request, statements per request and a profile.

    Rounds of 200 requests alternate with rounds of ``GET /livez``; the quietest round of
    each is quoted, as other work on a shared machine only ever adds to a round's CPU.
    """
    livez = _environ("GET", "/livez", {})
    print("first answer:", call(app, request(0)))
    cpu_per_request(app, request, 200, 1)
    trivial, measured = [], []
    with counted_statements(app) as statements:
        for n in range(max(1, count // ROUND)):
            trivial.append(cpu_per_request(app, lambda _: livez, ROUND, 0))
            measured.append(cpu_per_request(app, request, ROUND, 1000 + n * ROUND))
    quiet_trivial, quiet = min(trivial), min(measured)
    rounds = len(trivial)
    print(f"GET /livez: {quiet_trivial:8.0f} us CPU per request (quietest of {rounds} rounds)")
    print(f"measured:   {quiet:8.0f} us CPU per request ({quiet / quiet_trivial:.1f}x livez)")
    print(f"statements per request: {statements[0] / (len(measured) * ROUND):.2f}")
    if profile:
        _profile(app, request, count)


def _profile(app: Flask, request: Request, count: int) -> None:
    profiler = cProfile.Profile(time.process_time)  # CPU, not waiting on the database
    profiler.runcall(cpu_per_request, app, request, count, 10 * count)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(SORT).print_stats(PRINT_FILTER, 35)
    print(out.getvalue())


if __name__ == "__main__":
    main()
