"""Requests per second of ``GET /apple/v1/passes/{type}/{serial}`` under gunicorn.

Measured next to ``GET /livez`` (a trivial endpoint of the same app) on the same server in
the same run, as DESIGN.md section 10 asks; the target is a ratio of at least 0.5. Wallet
asks for a pass it already has often (pull to refresh, every registered device after a
push), so built passes are kept per card version: this measures that path, with the
authentication token checked on every request.

    .venv/bin/python -m bench.apple_ws [--database postgresql|sqlite] [--seconds 8] [--rounds 3]
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.server import SERVER, arguments, compare_with_trivial, gunicorn, scratch_database_url
from issuer import cards, clock, programs
from issuer.db.migrate import upgrade
from issuer.db.session import open_database
from issuer.rules import Kind
from passes.apple import write_dev_chain
from webapp.settings import Settings

CARDS = 200
DOWNLOAD_SCRIPT = """
local cards = {%(cards)s}
local counter = 0
function request()
  counter = counter + 1
  local card = cards[(counter %% #cards) + 1]
  local headers = {["Authorization"] = "ApplePass " .. card[2]}
  return wrk.format("GET", "/apple/v1/passes/%(pass_type)s/" .. card[1], headers)
end
"""


def seed(url: str) -> list[tuple[str, str]]:
    """A published stamp program with cards; returns each card's serial and token."""
    database = open_database(url)
    upgrade(database.engine)
    with database.write() as session:
        now = clock.now()
        fields = programs.ProgramFields(kind=Kind.STAMP, name="Bench", slug="bench")
        program = programs.create_program(session, fields, "bench", now)
        programs.publish_program(session, program, "bench", now)
        issued = [
            cards.issue_card(
                session, program, cards.Holder(name=f"M {n}", email=f"m{n}@bench.example"), now
            )
            for n in range(CARDS)
        ]
        session.commit()
        pairs = [(card.serial, card.auth_token) for card in issued]
    database.dispose()
    return pairs


def script(pairs: list[tuple[str, str]]) -> str:
    """The wrk Lua script asking for each card's pass in turn, with its token."""
    listed = ",".join(f'{{"{serial}","{token}"}}' for serial, token in pairs)
    return DOWNLOAD_SCRIPT % {"cards": listed, "pass_type": Settings.apple_pass_type_id}


def main() -> None:
    """Run the benchmark and print its figures."""
    args = arguments(__doc__)
    with tempfile.TemporaryDirectory() as folder:
        url = scratch_database_url(args.database, Path(folder))
        pairs = seed(url)
        certs = Path(folder) / "certs"
        write_dev_chain(
            certs / "dev",
            pass_type_id=Settings.apple_pass_type_id,
            team_id=Settings.apple_team_id,
        )
        env = {
            "TESSERA_DATABASE_URL": url,
            "TESSERA_INSTANCE_PATH": folder,
            "TESSERA_CERTS_PATH": str(certs),
            "TESSERA_SECRET_KEY": "bench",
        }
        with gunicorn(env) as base:
            # Each worker keeps its own built passes: ask for every card often enough that
            # all four have built them all before measuring.
            warm = 20 * CARDS
            comparison = compare_with_trivial(base, args, lambda _: script(pairs), warm)
        print(f"database: {args.database}; {SERVER}; wrk -t2 -c{args.connections}; {CARDS} cards")
        print("\n".join(comparison.lines("GET /apple/v1/passes/... (.pkpass)", 0.5)))


if __name__ == "__main__":
    main()
