"""APNs fan-out: 10,000 distinct pushes from one client over one HTTP/2 connection.

The local APNs stand-in (tests/apns_server, real TLS with a client certificate and real
HTTP/2) runs in a child process so that it has its own interpreter and core, as APNs would.
The client is one `ApnsClient` in this process. Prints pushes/s per round, the median over
the rounds, the CPU each side spent per push (to tell which one limits the rate) and the TCP
connections the stand-in accepted. Target (DESIGN.md section 10): at least 2,000 pushes/s
over one connection.

Run from the repository root:
``.venv/bin/python bench/push.py [--pushes N] [--rounds R] [--concurrency C]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

# Run as a script, Python puts bench/ on the path rather than the repository root.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from passes.apple.apns import ApnsClient, ApnsConfig, PushAction  # noqa: E402
from tests.apns_server import PASS_TYPE_ID, ApnsServer, Pki, make_pki  # noqa: E402


@dataclass(frozen=True)
class Round:
    """One timed batch: throughput and CPU microseconds per push on each side."""

    rate: float
    client_us: float
    server_us: float


def serve(pki: Pki, control: Connection) -> None:
    """Child process: run the stand-in, report its URL, answer `stats` until `stop`."""
    with ApnsServer(pki) as server:
        control.send(server.url)
        while control.recv() == "stats":
            control.send((len(server.requests), server.connections_accepted, time.process_time()))


def stand_in_stats(control: Connection) -> tuple[int, int, float]:
    """Requests received, connections accepted and CPU seconds used by the stand-in."""
    control.send("stats")
    requests, connections, cpu = control.recv()
    return requests, connections, cpu


def timed_round(client: ApnsClient, control: Connection, pushes: int) -> Round:
    """Push `pushes` fresh tokens in one batch and measure it."""
    tokens = [secrets.token_hex(32) for _ in range(pushes)]
    server_cpu = stand_in_stats(control)[2]
    started, client_cpu = time.perf_counter(), time.process_time()
    results = client.push_many(tokens)
    elapsed, client_cpu = time.perf_counter() - started, time.process_time() - client_cpu
    server_cpu = stand_in_stats(control)[2] - server_cpu
    delivered = sum(r.action is PushAction.DELIVERED for r in results)
    if delivered != pushes:
        raise SystemExit(f"only {delivered} of {pushes} pushes were delivered")
    return Round(pushes / elapsed, client_cpu / pushes * 1e6, server_cpu / pushes * 1e6)


def run(url: str, pki: Pki, control: Connection, args: argparse.Namespace) -> list[Round]:
    """All rounds from one client, hence over one connection."""
    config = ApnsConfig(
        topic=PASS_TYPE_ID,
        cert_file=pki.client_cert,
        key_file=pki.client_key,
        base_url=url,
        ca_file=pki.server_ca,
        concurrency=args.concurrency,
    )
    with ApnsClient(config) as client:
        client.push(secrets.token_hex(32))  # connect outside the timed rounds
        return [timed_round(client, control, args.pushes) for _ in range(args.rounds)]


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pushes", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=100, help="streams in flight")
    args = parser.parse_args()
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as directory:
        pki = make_pki(Path(directory))
        control, child = spawn.Pipe()
        process = spawn.Process(target=serve, args=(pki, child))
        process.start()
        try:
            rounds = run(control.recv(), pki, control, args)
            requests, connections, _ = stand_in_stats(control)
        finally:
            control.send("stop")
            process.join()
    print(f"rounds: {', '.join(f'{r.rate:,.0f}' for r in rounds)} pushes/s")
    print(f"median: {statistics.median(r.rate for r in rounds):,.0f} pushes/s", end=" ")
    print(f"({args.pushes:,} distinct tokens per round, one client, one process)")
    client_us = statistics.median(r.client_us for r in rounds)
    server_us = statistics.median(r.server_us for r in rounds)
    print(f"CPU per push: client {client_us:.0f} us, stand-in {server_us:.0f} us")
    print(f"requests received: {requests:,}; TCP connections used: {connections}")


if __name__ == "__main__":
    main()
