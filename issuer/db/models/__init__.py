"""Every Tessera model, importable from one place (Alembic reads the metadata here)."""

from issuer.db.base import Base
from issuer.db.models.access import ApiKey, AuditEntry, Location, Role, Scope, Staff
from issuer.db.models.accounts import Account, Card, CardStatus
from issuer.db.models.analytics import AnalyticsClosedUntil, ClosedDayFigures, ClosedMonthRevenue
from issuer.db.models.devices import (
    AppleDevice,
    DeviceLogEntry,
    DeviceRegistration,
    UpdateCounter,
)
from issuer.db.models.invites import Invite
from issuer.db.models.ledger import Transaction, TransactionKind
from issuer.db.models.mail import OutboxMessage
from issuer.db.models.messages import GoogleStatus, Message, MessageDelivery
from issuer.db.models.people import Member, Partner
from issuer.db.models.programs import (
    DesignImage,
    DesignVersion,
    Enrollment,
    Pooling,
    Program,
    ProgramStatus,
)

__all__ = [
    "Account",
    "AnalyticsClosedUntil",
    "ApiKey",
    "AppleDevice",
    "AuditEntry",
    "Base",
    "Card",
    "CardStatus",
    "ClosedDayFigures",
    "ClosedMonthRevenue",
    "DesignImage",
    "DesignVersion",
    "DeviceLogEntry",
    "DeviceRegistration",
    "Enrollment",
    "GoogleStatus",
    "Invite",
    "Location",
    "Member",
    "Message",
    "MessageDelivery",
    "OutboxMessage",
    "Partner",
    "Pooling",
    "Program",
    "ProgramStatus",
    "Role",
    "Scope",
    "Staff",
    "Transaction",
    "TransactionKind",
    "UpdateCounter",
]
