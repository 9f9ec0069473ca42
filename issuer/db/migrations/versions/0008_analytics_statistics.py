"""analytics: tell PostgreSQL how many groups the daily ledger rollup makes

Without it PostgreSQL guesses one group per ledger entry for the grouping by UTC day,
currency, staff member and location (issuer.analytics.rollup), plans a single-process
aggregate and runs the analytics summary about twice as slowly. The statistics object
gives the real count after ANALYZE, and the aggregate runs in parallel. SQLite has no
such statistics and needs none.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE STATISTICS st_transactions_rollup (ndistinct) "
        "ON (CAST(timezone('UTC', created_at) AS DATE)), currency, staff_id, location_id "
        "FROM transactions"
    )
    op.execute("ANALYZE transactions")


def downgrade() -> None:
    """Revert this migration."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP STATISTICS IF EXISTS st_transactions_rollup")
