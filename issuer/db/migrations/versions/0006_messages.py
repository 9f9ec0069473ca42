"""messages to card holders and their delivery per card

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import issuer.db.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
PENDING = "google_status = 'pending'"


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "messages",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("program_id", ID, nullable=False),
        sa.Column("title", sa.String(length=60), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("segment", sa.String(length=32), nullable=False),
        sa.Column("segment_value", sa.Integer(), nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", issuer.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"], ["programs.id"], name=op.f("fk_messages_program_id_programs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    op.create_index(op.f("ix_messages_program_id"), "messages", ["program_id"])
    op.create_index(op.f("ix_messages_created_at"), "messages", ["created_at"])
    op.create_table(
        "message_deliveries",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("message_id", ID, nullable=False),
        sa.Column("card_id", ID, nullable=False),
        sa.Column("card_version", sa.Integer(), nullable=False),
        sa.Column("apple_pushed_at", issuer.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("google_status", sa.String(length=16), nullable=False),
        sa.Column("google_notified", sa.Boolean(), nullable=False),
        sa.Column("google_delivered_at", issuer.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("google_claimed_until", issuer.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("google_attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["card_id"], ["cards.id"], name=op.f("fk_message_deliveries_card_id_cards")
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_message_deliveries_message_id_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_deliveries")),
        sa.UniqueConstraint(
            "message_id", "card_id", name=op.f("uq_message_deliveries_message_id_card_id")
        ),
    )
    op.create_index(op.f("ix_message_deliveries_card_id"), "message_deliveries", ["card_id"])
    op.create_index(op.f("ix_message_deliveries_message_id"), "message_deliveries", ["message_id"])
    op.create_index(
        "ix_message_deliveries_google_pending",
        "message_deliveries",
        ["id"],
        postgresql_where=sa.text(PENDING),
        sqlite_where=sa.text(PENDING),
    )


def downgrade() -> None:
    """Revert this migration."""
    op.drop_table("message_deliveries")
    op.drop_table("messages")
