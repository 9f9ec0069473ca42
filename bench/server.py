"""A Tessera app under gunicorn on a scratch database, and wrk to load it (for benchmarks)."""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
# Engineers benchmarking at the same time each name their own scratch database.
BENCH_DATABASE = os.environ.get("TESSERA_BENCH_DATABASE", "tessera_bench")


@dataclass(frozen=True)
class Load:
    """What wrk measured."""

    requests_per_second: float
    requests: int
    non_2xx: int
    latency_p50_ms: float


def scratch_database_url(kind: str, folder: Path) -> str:
    """An empty database for the benchmark: a SQLite file, or a fresh PostgreSQL database."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'bench.db'}"
    engine = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {BENCH_DATABASE}"))
    engine.dispose()
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{BENCH_DATABASE}"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def gunicorn(
    env: dict[str, str], workers: int = 4, threads: int = 8, app: str = "wsgi:app"
) -> Iterator[str]:
    """Serve ``app`` under gunicorn (gthread workers) and yield its base URL."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app,
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ | env)
    try:
        _wait_until_up(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_up(port: int, answers: int = 20) -> None:
    """Wait until the app answers /livez ``answers`` times in a row (workers boot slowly)."""
    deadline, answered = time.monotonic() + 120, 0
    while answered < answers:
        if time.monotonic() > deadline:
            raise RuntimeError("gunicorn did not come up")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=5) as reply:
                answered = answered + 1 if reply.status == 200 else 0
        except OSError:
            answered = 0
            time.sleep(0.2)


def wrk(url: str, *, connections: int, seconds: int, script: str | None = None) -> Load:
    """Load ``url`` with wrk and parse its report."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script or "")
        lua.flush()
        args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", lua.name, url]
        report = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return _parse(report)


def _parse(report: str) -> Load:
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", report).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", report)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = float(p50.group(1)) * scale[p50.group(2)] if p50 else float("nan")
    return Load(rate, total, int(bad.group(1)) if bad else 0, latency)


SERVER = "gunicorn 4 gthread workers x 8 threads"


def arguments(description: str | None) -> argparse.Namespace:
    """The options every server benchmark takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    return parser.parse_args()


@dataclass(frozen=True)
class Comparison:
    """Rounds of an endpoint and of GET /livez, alternated on one server in one run."""

    trivial: list[Load]
    measured: list[Load]
    reference: list[Load]

    def lines(self, name: str, target: float) -> list[str]:
        """The figures as the benchmarks print them."""
        t, m = _median(self.trivial), _median(self.measured)
        return [
            f"{'GET /livez (trivial)':36s} {t:9.0f} req/s   (rounds: {_rates(self.trivial)})",
            f"{name:36s} {m:9.0f} req/s   (rounds: {_rates(self.measured)})",
            f"{'ratio to the trivial endpoint':36s} {m / t if t else float('nan'):9.2f}"
            f"         (target >= {target})",
            f"non-2xx answers in the measured rounds: {sum(x.non_2xx for x in self.measured)}",
        ]

    def reference_lines(self, name: str) -> list[str]:
        """The reference rounds, with the trivial endpoint's and the measured one's share."""
        t, m, r = _median(self.trivial), _median(self.measured), _median(self.reference)
        return [
            f"{name:36s} {r:9.0f} req/s   (rounds: {_rates(self.reference)})",
            f"{'its ratio to the trivial endpoint':36s} {r / t if t else float('nan'):9.2f}",
            f"{'measured / this reference':36s} {m / r if r else float('nan'):9.2f}",
            f"non-2xx answers in the reference rounds: {sum(x.non_2xx for x in self.reference)}",
        ]


def compare_with_trivial(
    base: str,
    args: argparse.Namespace,
    script: Callable[[str], str],
    warm_requests: int = 0,
    reference: Callable[[str], str] | None = None,
) -> Comparison:
    """Warm every worker up, then alternate rounds of /livez, of ``script(phase)`` and (when
    given) of ``reference(phase)``.

    The measured endpoint is warmed for at least 3 seconds and ``warm_requests`` requests (at
    most a minute): on a busy machine 3 seconds may not fill every worker's caches.
    """
    # gunicorn opens its port before its workers finish booting: warm up before measuring.
    wrk(f"{base}/livez", connections=args.connections, seconds=3)
    _warm(base, args, script, warm_requests)
    if reference is not None:
        _warm(base, args, reference, warm_requests)
    trivial, measured, referred = [], [], []
    for n in range(args.rounds):
        trivial.append(wrk(f"{base}/livez", connections=args.connections, seconds=args.seconds))
        measured.append(_round(base, args, script(f"r{n}")))
        if reference is not None:
            referred.append(_round(base, args, reference(f"r{n}")))
    return Comparison(trivial, measured, referred)


def _round(base: str, args: argparse.Namespace, script: str) -> Load:
    return wrk(base, connections=args.connections, seconds=args.seconds, script=script)


def _warm(base: str, args: argparse.Namespace, script: Callable[[str], str], requests: int) -> None:
    deadline, done, n = time.monotonic() + 60, 0, 0
    while n == 0 or (done < requests and time.monotonic() < deadline):
        n += 1
        warm = wrk(base, connections=args.connections, seconds=3, script=script(f"warm{n}"))
        done += warm.requests


def _median(loads: list[Load]) -> float:
    return statistics.median(load.requests_per_second for load in loads)


def _rates(loads: list[Load]) -> str:
    return ", ".join(f"{load.requests_per_second:.0f}" for load in loads)
