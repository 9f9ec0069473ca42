"""apple delivery

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import issuer.db.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "device_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", issuer.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_log")),
    )
    with op.batch_alter_table("device_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_device_log_created_at"), ["created_at"], unique=False)

    op.create_table(
        "update_counter",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_update_counter")),
    )
    # The one counter row every Apple update tag is drawn from.
    op.execute("INSERT INTO update_counter (id, value) VALUES (1, 0)")
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("apple_tag", sa.BigInteger(), nullable=False, server_default=sa.text("0"))
        )
        batch_op.add_column(
            sa.Column("apple_modified_at", issuer.db.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "apple_claimed_until", issuer.db.base.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.create_index(
            "ix_cards_apple_pending",
            ["id"],
            unique=False,
            postgresql_where=sa.text("apple_delivered_version < version"),
            sqlite_where=sa.text("apple_delivered_version < version"),
        )


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_cards_apple_pending",
            postgresql_where=sa.text("apple_delivered_version < version"),
            sqlite_where=sa.text("apple_delivered_version < version"),
        )
        batch_op.drop_column("apple_claimed_until")
        batch_op.drop_column("apple_modified_at")
        batch_op.drop_column("apple_tag")

    op.drop_table("update_counter")
    with op.batch_alter_table("device_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_log_created_at"))

    op.drop_table("device_log")
