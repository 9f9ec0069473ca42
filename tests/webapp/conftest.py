"""What the web tests share: a logged-in admin's pages."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from issuer.db.models import Role
from tests.webapp.staff_pages import StaffPages, make_staff


@pytest.fixture
def admin_pages(app: Flask, client: FlaskClient) -> StaffPages:
    """The pages as an admin who has just logged in sees them."""
    with app.extensions["tessera.database"].write() as session:
        email = make_staff(session, role=Role.ADMIN).email
        session.commit()
    pages = StaffPages(app, client)
    pages.login(email)
    return pages
