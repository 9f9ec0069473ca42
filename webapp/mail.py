"""Outgoing mail: over SMTP (``TESSERA_SMTP_URL``), else to the log and the outbox table.

``smtp://user:password@host:port`` speaks plain SMTP upgraded with STARTTLS when the server
offers it; ``smtps://`` speaks SMTP over TLS from the start.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from issuer import clock, outbox
from webapp.database import session
from webapp.settings import current_settings

log = logging.getLogger(__name__)
TIMEOUT = 20


@dataclass(frozen=True, slots=True)
class Mail:
    """One plain-text email."""

    recipient: str
    subject: str
    body: str


def deliver(mail: Mail) -> None:
    """Send ``mail`` over SMTP; without SMTP, log it and keep it in the outbox (committed)."""
    settings = current_settings()
    if settings.smtp_url:
        try:
            _send(settings.smtp_url, _message(mail, settings.mail_from))
        except (OSError, smtplib.SMTPException):
            log.exception("mail to %s not sent; kept in the outbox", mail.recipient)
        else:
            return
    log.info("mail to %s: %s", mail.recipient, mail.subject)
    outbox.record(session(write=True), mail.recipient, mail.subject, mail.body, clock.now())
    session().commit()


def _message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    return message


def _send(url: str, message: EmailMessage) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "localhost", parts.port
    if parts.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(host, port or 465, timeout=TIMEOUT)
    else:
        client = smtplib.SMTP(host, port or 25, timeout=TIMEOUT)
    with client:
        client.ehlo()
        if parts.scheme == "smtp" and client.has_extn("starttls"):
            client.starttls()
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)
