"""Staff pages in tests: staff users and locations, and a client that logs in and sends forms."""

from __future__ import annotations

import itertools
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from issuer import access, clock
from issuer.db.models import Location, Role, Staff

PASSWORD = "correct horse battery"
_number = itertools.count(1)
_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


def make_staff(
    session: Session, *, role: Role = Role.STAFF, locations: tuple[Location, ...] = ()
) -> Staff:
    """A staff user (or admin) with the test password and these locations."""
    number = next(_number)
    staff = access.create_staff(
        session, f"staff{number}@example.com", f"Staff {number}", PASSWORD, role, clock.now()
    )
    staff.locations.extend(locations)
    session.flush()
    return staff


def make_location(session: Session, name: str) -> Location:
    """A store or branch."""
    location = Location(name=name, created_at=clock.now())
    session.add(location)
    session.flush()
    return location


class StaffPages:
    """A browser stand-in: logs in, keeps the session cookie, sends forms with their CSRF token."""

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self.app = app
        self.client = client

    def login(self, email: str, password: str = PASSWORD) -> TestResponse:
        """Send the login form."""
        return self.post(
            "/staff/login", {"email": email, "password": password}, page="/staff/login"
        )

    def token(self, page: str = "/staff/login") -> str:
        """The CSRF token the page carries for this session."""
        found = _TOKEN.search(self.client.get(page).get_data(as_text=True))
        assert found is not None, f"no CSRF token on {page}"
        return found.group(1)

    def post(self, path: str, data: dict[str, Any], page: str = "/staff/") -> TestResponse:
        """Send a form as the page ``page`` would, with its CSRF token."""
        return self.client.post(path, data={"csrf_token": self.token(page), **data})

    def script(self, path: str, data: dict[str, Any], page: str = "/staff/") -> TestResponse:
        """Send a request as the pages' scripts do: the token in a header, JSON answers."""
        headers = {"X-CSRFToken": self.token(page), "Accept": "application/json"}
        return self.client.post(path, data=data, headers=headers)

    def text(self, path: str) -> str:
        """A page's HTML."""
        return self.client.get(path).get_data(as_text=True)
