"""safety flags get a tier (full protocol or gentle check); handoffs can be urgent

A gentle check is logged as a flag of tier "check" (staff review it, no alert); a
request for a person right after a crisis reply is urgent and names its flag.

Revision ID: b7c1d2e3f4a5
Revises: 4a3e3c9b0a03
Create Date: 2026-12-05 02:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7c1d2e3f4a5"
down_revision: str | Sequence[str] | None = "4a3e3c9b0a03"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("safety_flags") as batch:
        batch.add_column(
            sa.Column("tier", sa.String(length=8), nullable=False, server_default="full")
        )
    with op.batch_alter_table("handoff_requests") as batch:
        batch.add_column(
            sa.Column("urgent", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("flag_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handoff_requests") as batch:
        batch.drop_column("flag_id")
        batch.drop_column("urgent")
    with op.batch_alter_table("safety_flags") as batch:
        batch.drop_column("tier")
