"""Faster reports: when each stay in a stage ended (stage_changes.left_at, kept by
triggers) with the index the pipeline reads stays from; copies of each contact's provider,
day, minutes and deletion on its topic rows (kept by triggers) with the index the coaching
report counts topics from; a provider's contacts with their deletion; action items by
status and day, and by creation.

Revision ID: 5b1e7c9a4d21
Revises: 2d3a8cc71023
Create Date: 2026-12-06 02:00:00

"""

import sqlalchemy as sa
from alembic import op

from fccnet.coaching.models import CONTACT_COPY_TRIGGERS, COPY_CONTACTS_TO_TOPICS
from fccnet.licensing.models import LEFT_AT_TRIGGERS, SET_LEFT_AT

# revision identifiers, used by Alembic.
revision = "5b1e7c9a4d21"
down_revision = "2d3a8cc71023"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("stage_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("left_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(SET_LEFT_AT)
    with op.batch_alter_table("stage_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stage_changes_left_at_to_stage_id",
            ["left_at", "to_stage_id", "changed_at", "provider_id"],
            unique=False,
        )
        batch_op.drop_index("ix_stage_changes_to_stage_id_changed_at_provider_id")
        batch_op.create_index(
            "ix_stage_changes_to_stage_id_changed_at_provider_id",
            ["to_stage_id", "changed_at", "provider_id", "left_at"],
            unique=False,
        )
    with op.batch_alter_table("contact_topics", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provider_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("contacted_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(COPY_CONTACTS_TO_TOPICS)
    for name, columns in (
        (
            "ix_contact_topics_topic_id_contacted_on",
            ["topic_id", "contacted_on", "minutes", "provider_id"],
        ),
        (
            "ix_contact_topics_provider_id_contacted_on",
            ["provider_id", "contacted_on", "topic_id", "minutes"],
        ),
    ):
        op.create_index(
            name,
            "contact_topics",
            columns,
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_provider_id_contacted_on")
        batch_op.create_index(
            "ix_contacts_provider_id_contacted_on",
            ["provider_id", "contacted_on", "deleted_at"],
            unique=False,
        )
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_index("ix_action_items_status_due_on")
        batch_op.create_index(
            "ix_action_items_status_due_on", ["status", "due_on", "provider_id"], unique=False
        )
        batch_op.create_index(
            "ix_action_items_status_closed_on", ["status", "closed_on", "provider_id"], unique=False
        )
        batch_op.create_index(
            "ix_action_items_created_at", ["created_at", "provider_id"], unique=False
        )
    # The models' triggers, as they are: a later change to them comes with a revision that
    # replaces them.
    dialect = op.get_bind().dialect.name
    for statement in [*LEFT_AT_TRIGGERS[dialect], *CONTACT_COPY_TRIGGERS[dialect]]:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER contacts_copy_to_topics ON contacts")
        op.execute("DROP TRIGGER contact_topics_copy_contact ON contact_topics")
        op.execute("DROP TRIGGER stage_changes_set_left_at ON stage_changes")
        op.execute("DROP FUNCTION contacts_copy_to_topics()")
        op.execute("DROP FUNCTION contact_topics_copy_contact()")
        op.execute("DROP FUNCTION stage_changes_set_left_at()")
    else:
        for trigger in (
            "contacts_copy_to_topics",
            "contact_topics_copy_contact",
            "stage_changes_left_at_insert",
            "stage_changes_left_at_update",
            "stage_changes_left_at_delete",
        ):
            op.execute(f"DROP TRIGGER {trigger}")
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_index("ix_action_items_created_at")
        batch_op.drop_index("ix_action_items_status_closed_on")
        batch_op.drop_index("ix_action_items_status_due_on")
        batch_op.create_index("ix_action_items_status_due_on", ["status", "due_on"], unique=False)
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_provider_id_contacted_on")
        batch_op.create_index(
            "ix_contacts_provider_id_contacted_on", ["provider_id", "contacted_on"], unique=False
        )
    op.drop_index("ix_contact_topics_provider_id_contacted_on", table_name="contact_topics")
    op.drop_index("ix_contact_topics_topic_id_contacted_on", table_name="contact_topics")
    with op.batch_alter_table("contact_topics", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
        batch_op.drop_column("minutes")
        batch_op.drop_column("contacted_on")
        batch_op.drop_column("provider_id")
    with op.batch_alter_table("stage_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_stage_changes_to_stage_id_changed_at_provider_id")
        batch_op.create_index(
            "ix_stage_changes_to_stage_id_changed_at_provider_id",
            ["to_stage_id", "changed_at", "provider_id"],
            unique=False,
        )
        batch_op.drop_index("ix_stage_changes_left_at_to_stage_id")
        batch_op.drop_column("left_at")
