"""API: programs (admin scope)."""

from __future__ import annotations

from issuer import clock, programs
from issuer.access import AuthorizedKey
from webapp.api import schemas
from webapp.api.blueprint import api
from webapp.api.presenters import program_out
from webapp.database import session


def actor(key: AuthorizedKey) -> str:
    """How the audit log names an API key."""
    return f"apikey:{key.id}:{key.name}"


@api.operation(
    "GET", "/programs", scope="admin", summary="List programs", response=schemas.ProgramList
)
def list_programs(key: AuthorizedKey) -> schemas.ProgramList:
    """Every program, newest first."""
    return schemas.ProgramList(programs=[program_out(p) for p in programs.list_programs(session())])


@api.operation(
    "POST", "/programs", scope="admin", summary="Create a draft program",
    body=schemas.ProgramCreate, response=schemas.ProgramOut, status=201,
)  # fmt: skip
def create_program(key: AuthorizedKey, body: schemas.ProgramCreate) -> schemas.ProgramOut:
    """Create a draft program; rules and design default to the kind's starter design."""
    fields = programs.ProgramFields(**body.model_dump())
    program = programs.create_program(session(), fields, actor(key), clock.now())
    session().commit()
    return program_out(program)


@api.operation(
    "GET", "/programs/<int:program_id>", scope="admin", summary="Get a program",
    response=schemas.ProgramOut,
)  # fmt: skip
def get_program(key: AuthorizedKey, program_id: int) -> schemas.ProgramOut:
    """One program."""
    return program_out(programs.get_program(session(), program_id))


@api.operation(
    "PATCH", "/programs/<int:program_id>", scope="admin", summary="Change a program's draft",
    body=schemas.ProgramPatch, response=schemas.ProgramOut,
)  # fmt: skip
def patch_program(
    key: AuthorizedKey, program_id: int, body: schemas.ProgramPatch
) -> schemas.ProgramOut:
    """Change the working copy; issued cards follow when the program is published again."""
    program = programs.get_program(session(), program_id)
    changes = body.model_dump(exclude_unset=True)
    programs.update_program(session(), program, changes, actor(key), clock.now())
    session().commit()
    return program_out(program)


@api.operation(
    "POST", "/programs/<int:program_id>/publish", scope="admin",
    summary="Publish the program's draft as a new design version", response=schemas.ProgramOut,
)  # fmt: skip
def publish_program(key: AuthorizedKey, program_id: int) -> schemas.ProgramOut:
    """Freeze the draft as a design version; every issued card is marked for update."""
    program = programs.get_program(session(), program_id)
    programs.publish_program(session(), program, actor(key), clock.now())
    session().commit()
    return program_out(program)
