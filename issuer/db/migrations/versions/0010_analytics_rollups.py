"""analytics rollups: figures of closed UTC days and months, and how far they are filled

The analytics summary over a year read every ledger entry of the year (1.6 s over a million
entries on PostgreSQL). Closed days never change (the ledger is append-only and entries
count on the day they are written), so their figures are summed once into these tables by
the worker or `tessera analytics rollup`, and the summary reads them for the closed part of a
period. Empty after this migration: the first fill rolls up the whole ledger.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
FIGURES = (
    "orders",
    "revenue",
    "discount",
    "cashback_earned",
    "cashback_redeemed",
    "stamps_given",
    "rewards_redeemed",
)


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "analytics_closed_until",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_closed_until")),
    )
    _day_figures()
    _month_revenue()


def _id() -> sa.Column[int]:
    return sa.Column("id", ID, autoincrement=True, nullable=False)


def _foreign(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _day_figures() -> None:
    table = "closed_day_figures"
    op.create_table(
        table,
        _id(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("program_id", ID, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("staff_id", ID, nullable=True),
        sa.Column("location_id", ID, nullable=True),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in FIGURES),
        _foreign(table, "location_id", "locations"),
        _foreign(table, "program_id", "programs"),
        _foreign(table, "staff_id", "staff"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    )
    op.create_index(op.f(f"ix_{table}_day"), table, ["day"], unique=False)


def _month_revenue() -> None:
    table = "closed_month_revenue"
    op.create_table(
        table,
        _id(),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("program_id", ID, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("revenue", sa.BigInteger(), nullable=False),
        _foreign(table, "account_id", "accounts"),
        _foreign(table, "program_id", "programs"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    )
    op.create_index(op.f(f"ix_{table}_month"), table, ["month"], unique=False)


def downgrade() -> None:
    """Revert this migration."""
    op.drop_index(op.f("ix_closed_month_revenue_month"), table_name="closed_month_revenue")
    op.drop_table("closed_month_revenue")
    op.drop_index(op.f("ix_closed_day_figures_day"), table_name="closed_day_figures")
    op.drop_table("closed_day_figures")
    op.drop_table("analytics_closed_until")
