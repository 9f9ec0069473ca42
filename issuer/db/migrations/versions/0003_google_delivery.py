"""google delivery

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import issuer.db.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "google_claimed_until", issuer.db.base.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.create_index(
            "ix_cards_google_pending",
            ["id"],
            unique=False,
            postgresql_where=sa.text("google_delivered_version BETWEEN 1 AND version - 1"),
            sqlite_where=sa.text("google_delivered_version BETWEEN 1 AND version - 1"),
        )


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_cards_google_pending",
            postgresql_where=sa.text("google_delivered_version BETWEEN 1 AND version - 1"),
            sqlite_where=sa.text("google_delivered_version BETWEEN 1 AND version - 1"),
        )
        batch_op.drop_column("google_claimed_until")
