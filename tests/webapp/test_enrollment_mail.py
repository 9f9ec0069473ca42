"""The enrollment confirmation travels over SMTP to a real local server (aiosmtpd)."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as Server
from aiosmtpd.smtp import Envelope, Session
from flask import Flask
from sqlalchemy import func, select

from issuer.db.models import OutboxMessage
from tests.webapp.test_enrollment import _count, _program, _send
from webapp import create_app
from webapp.settings import Settings


class Inbox:
    """Every message the local SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Server, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler, port = Inbox(), _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def mailing_app(settings: Settings, inbox: tuple[Inbox, int]) -> Iterator[Flask]:
    app = create_app(dataclasses.replace(settings, smtp_url=f"smtp://127.0.0.1:{inbox[1]}"))
    app.config["TESTING"] = True
    yield app
    app.extensions["tessera.database"].dispose()


def test_the_confirmation_is_sent_in_the_members_language(
    mailing_app: Flask, inbox: tuple[Inbox, int]
) -> None:
    _, _, location = _send(mailing_app.test_client(), _program(mailing_app), language="pl")
    [message] = inbox[0].messages
    assert message["To"] == "olena@acme.example"
    assert message["Subject"].startswith("Twoja karta")
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert f"https://tessera.test{location}" in body.decode()
    assert _count(mailing_app, OutboxMessage) == 0


def test_an_unreachable_smtp_server_keeps_the_mail_in_the_outbox(settings: Settings) -> None:
    app = create_app(dataclasses.replace(settings, smtp_url=f"smtp://127.0.0.1:{_free_port()}"))
    status, _, _ = _send(app.test_client(), _program(app))
    with app.extensions["tessera.database"].read() as session:
        kept = session.scalar(select(func.count()).select_from(OutboxMessage))
    app.extensions["tessera.database"].dispose()
    assert (status, kept) == (303, 1)
