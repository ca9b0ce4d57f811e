"""Business coaching: contacts with their history, action items and goals."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fccnet.auth.models import User
from fccnet.database import (
    OrderedBilingualList,
    UTCDateTime,
    create_triggers_with,
    month_start,
    string_enum,
    utcnow,
)
from fccnet.extensions import db
from fccnet.providers.models import Provider


class CoachingTopic(OrderedBilingualList, db.Model):
    """What a contact covered (a managed list, in both languages)."""

    __tablename__ = "coaching_topics"


class ContactMode(enum.StrEnum):
    HOME_VISIT = "home_visit"
    PHONE = "phone"
    VIDEO = "video"
    OFFICE = "office"
    TEXT = "text"
    EMAIL = "email"


# Which topics a contact covered. The last four columns are copies of the contact's,
# kept by the database (CONTACT_COPY_TRIGGERS, below): the coaching report counts a
# year's contacts by topic from an index over this table alone, where joining every
# topic row to its contact took five times as long. The app never writes them.
contact_topics = Table(
    "contact_topics",
    db.metadata,
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("coaching_topics.id"), primary_key=True),
    Column("provider_id", Integer),
    Column("contacted_on", Date),
    Column("minutes", Integer),
    Column("deleted_at", UTCDateTime()),
    # The network's contacts by topic, and a selection of providers' (a caseload, a town).
    Index(
        "ix_contact_topics_topic_id_contacted_on",
        "topic_id",
        "contacted_on",
        "minutes",
        "provider_id",
        sqlite_where=text("deleted_at IS NULL"),
        postgresql_where=text("deleted_at IS NULL"),
    ),
    Index(
        "ix_contact_topics_provider_id_contacted_on",
        "provider_id",
        "contacted_on",
        "topic_id",
        "minutes",
        sqlite_where=text("deleted_at IS NULL"),
        postgresql_where=text("deleted_at IS NULL"),
    ),
)


class Contact(db.Model):
    """A coach's contact with a provider. The summary and next steps are shared with the
    provider; internal notes are for staff only. Editable by its author for a few days,
    every edit keeping the earlier version; locked after that (addenda only)."""

    __tablename__ = "contacts"
    __table_args__ = (
        CheckConstraint("minutes > 0 AND minutes <= 1440", name="minutes_range"),
        # A provider's contacts by day; with deleted_at, "contacted lately?" and "last
        # contacted when?" are answered from the index alone.
        Index("ix_contacts_provider_id_contacted_on", "provider_id", "contacted_on", "deleted_at"),
        Index("ix_contacts_coach_id_contacted_on", "coach_id", "contacted_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"))
    # The author: the coach (or manager) who logged it.
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    contacted_on: Mapped[date]
    minutes: Mapped[int]
    mode: Mapped[ContactMode] = mapped_column(string_enum(ContactMode))
    summary: Mapped[str] = mapped_column(Text, default="")
    internal_notes: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_reason: Mapped[str | None] = mapped_column(String(200))
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    provider: Mapped[Provider] = relationship()
    coach: Mapped[User | None] = relationship(foreign_keys=[coach_id])
    topics: Mapped[list[CoachingTopic]] = relationship(
        secondary=contact_topics, order_by=CoachingTopic.position
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


# The coaching report groups the period's contacts by month, coach and mode: in this
# index's order, so both databases aggregate as they read it, without a sort, and never
# touch the table. (Not a partial index: PostgreSQL keeps no statistics on the month
# expression of a partial one, and then misjudges how many contacts a period holds.)
Index(
    "ix_contacts_month_coach_id_mode",
    month_start(Contact.contacted_on),
    Contact.coach_id,
    Contact.mode,
    Contact.contacted_on,
    Contact.minutes,
    Contact.provider_id,
    Contact.deleted_at,
)


# The copies in contact_topics follow the contact whatever writes it (the services, a
# bulk load, a correction by hand in SQL): a topic row takes the contact's values when
# it is added, and every topic row of a contact takes the new ones when they change.
# Every topic row's copies, taken from its contact; the SQLite trigger adds a WHERE clause.
COPY_CONTACTS_TO_TOPICS = """UPDATE contact_topics
SET (provider_id, contacted_on, minutes, deleted_at) = (
    SELECT provider_id, contacted_on, minutes, deleted_at
    FROM contacts WHERE contacts.id = contact_topics.contact_id
)"""
CONTACT_COPY_TRIGGERS = {
    "sqlite": [
        f"""CREATE TRIGGER contact_topics_copy_contact AFTER INSERT ON contact_topics
        BEGIN
            {COPY_CONTACTS_TO_TOPICS}
            WHERE contact_id = NEW.contact_id AND topic_id = NEW.topic_id;
        END""",
        """CREATE TRIGGER contacts_copy_to_topics
        AFTER UPDATE OF provider_id, contacted_on, minutes, deleted_at ON contacts
        BEGIN
            UPDATE contact_topics SET provider_id = NEW.provider_id,
                contacted_on = NEW.contacted_on, minutes = NEW.minutes,
                deleted_at = NEW.deleted_at
            WHERE contact_id = NEW.id;
        END""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION contact_topics_copy_contact() RETURNS trigger AS $$
        BEGIN
            SELECT provider_id, contacted_on, minutes, deleted_at
            INTO NEW.provider_id, NEW.contacted_on, NEW.minutes, NEW.deleted_at
            FROM contacts WHERE id = NEW.contact_id;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER contact_topics_copy_contact BEFORE INSERT ON contact_topics
        FOR EACH ROW EXECUTE FUNCTION contact_topics_copy_contact()""",
        """CREATE OR REPLACE FUNCTION contacts_copy_to_topics() RETURNS trigger AS $$
        BEGIN
            UPDATE contact_topics SET provider_id = NEW.provider_id,
                contacted_on = NEW.contacted_on, minutes = NEW.minutes,
                deleted_at = NEW.deleted_at
            WHERE contact_id = NEW.id;
            RETURN NULL;
        END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER contacts_copy_to_topics
        AFTER UPDATE OF provider_id, contacted_on, minutes, deleted_at ON contacts
        FOR EACH ROW WHEN (
            (OLD.provider_id, OLD.contacted_on, OLD.minutes, OLD.deleted_at)
            IS DISTINCT FROM (NEW.provider_id, NEW.contacted_on, NEW.minutes, NEW.deleted_at)
        ) EXECUTE FUNCTION contacts_copy_to_topics()""",
    ],
}
# contact_topics is created after contacts (its foreign key), so both exist by then.
create_triggers_with(contact_topics, CONTACT_COPY_TRIGGERS)


class ContactVersion(db.Model):
    """The contact as it was before an edit (managers read the history)."""

    __tablename__ = "contact_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    version: Mapped[int]
    contacted_on: Mapped[date]
    minutes: Mapped[int]
    mode: Mapped[ContactMode] = mapped_column(string_enum(ContactMode))
    summary: Mapped[str] = mapped_column(Text)
    internal_notes: Mapped[str] = mapped_column(Text)
    next_steps: Mapped[str] = mapped_column(Text)
    topic_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # When this version was replaced, and by whom.
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ContactAddendum(db.Model):
    """A dated addition to a contact that can no longer be edited."""

    __tablename__ = "contact_addenda"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    # Internal addenda are for staff only, like internal notes.
    internal: Mapped[bool] = mapped_column(default=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship()


class ItemOwner(enum.StrEnum):
    PROVIDER = "provider"
    COACH = "coach"


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class ActionItem(db.Model):
    """Something agreed, in a contact or on its own, that the provider or coach will do."""

    __tablename__ = "action_items"
    __table_args__ = (
        Index("ix_action_items_provider_id_status", "provider_id", "status"),
        # The coaching report's counts of items opened, done and overdue: each an index
        # range that holds the provider too, so the table is never read.
        Index("ix_action_items_status_due_on", "status", "due_on", "provider_id"),
        Index("ix_action_items_status_closed_on", "status", "closed_on", "provider_id"),
        Index("ix_action_items_created_at", "created_at", "provider_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    owner: Mapped[ItemOwner] = mapped_column(string_enum(ItemOwner))
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(
        string_enum(ActionStatus), default=ActionStatus.OPEN
    )
    closed_on: Mapped[date | None]
    closing_comment: Mapped[str | None] = mapped_column(String(500))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    provider: Mapped[Provider] = relationship()
    contact: Mapped[Contact | None] = relationship()
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])

    __mapper_args__ = {"version_id_col": version}


class GoalStatus(enum.StrEnum):
    ACTIVE = "active"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


class Goal(db.Model):
    """A business goal of the provider's, with dated progress notes."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    target_on: Mapped[date | None]
    status: Mapped[GoalStatus] = mapped_column(string_enum(GoalStatus), default=GoalStatus.ACTIVE)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    progress: Mapped[list["GoalProgress"]] = relationship(
        order_by="(GoalProgress.noted_on.desc(), GoalProgress.id.desc())"
    )

    __mapper_args__ = {"version_id_col": version}


class GoalProgress(db.Model):
    __tablename__ = "goal_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id"), index=True)
    noted_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship()
