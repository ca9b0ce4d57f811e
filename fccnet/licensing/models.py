"""The licensing pipeline, the requirement checklist and its evidence."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from fccnet.auth.models import User
from fccnet.database import UTCDateTime, create_triggers_with, string_enum, utcnow
from fccnet.extensions import db
from fccnet.providers.models import HouseholdMember, Provider


class Stage(db.Model):
    """A pipeline stage (a managed, ordered list). Closed stages need a reason."""

    __tablename__ = "stages"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable name the code relies on ("licensed"); managers may rename the labels.
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(80))
    name_es: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]
    is_closed: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    def name(self, locale: str) -> str:
        return self.name_es if locale == "es" else self.name_en


LICENSED_STAGE_KEY = "licensed"


class StageChange(db.Model):
    __tablename__ = "stage_changes"
    __table_args__ = (
        # A provider's history in order; the id settles two changes at the same moment.
        Index("ix_stage_changes_provider_id_changed_at_id", "provider_id", "changed_at", "id"),
        # Who moved into a stage (first licensed), when, and whether they were still in it
        # at a given moment, without reading the table.
        Index(
            "ix_stage_changes_to_stage_id_changed_at_provider_id",
            "to_stage_id",
            "changed_at",
            "provider_id",
            "left_at",
        ),
        # Stays that ended in a period (the pipeline's time in each stage), read from the
        # index alone.
        Index(
            "ix_stage_changes_left_at_to_stage_id",
            "left_at",
            "to_stage_id",
            "changed_at",
            "provider_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"))
    from_stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"))
    to_stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(String(200))
    # When the provider left the stage this change moved them into: the moment of their
    # next change (ordered by changed_at, then id), or None while they are in it. Kept by
    # the database (LEFT_AT_TRIGGERS) whatever writes the history, back-dated or not.
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    from_stage: Mapped[Stage | None] = relationship(foreign_keys=[from_stage_id])
    to_stage: Mapped[Stage] = relationship(foreign_keys=[to_stage_id])
    changed_by: Mapped[User | None] = relationship()


# Every change's left_at, worked out from the history; the triggers add a WHERE clause to
# work out one provider's (or two: a change moved from one provider to another).
SET_LEFT_AT = """UPDATE stage_changes SET left_at = (
    SELECT later.changed_at FROM stage_changes AS later
    WHERE later.provider_id = stage_changes.provider_id
        AND (later.changed_at > stage_changes.changed_at
            OR (later.changed_at = stage_changes.changed_at AND later.id > stage_changes.id))
    ORDER BY later.changed_at, later.id
    LIMIT 1
)"""
LEFT_AT_TRIGGERS = {
    "sqlite": [
        f"""CREATE TRIGGER stage_changes_left_at_insert AFTER INSERT ON stage_changes
        BEGIN {SET_LEFT_AT} WHERE provider_id = NEW.provider_id; END""",
        f"""CREATE TRIGGER stage_changes_left_at_update
        AFTER UPDATE OF provider_id, changed_at ON stage_changes
        BEGIN {SET_LEFT_AT} WHERE provider_id IN (OLD.provider_id, NEW.provider_id); END""",
        f"""CREATE TRIGGER stage_changes_left_at_delete AFTER DELETE ON stage_changes
        BEGIN {SET_LEFT_AT} WHERE provider_id = OLD.provider_id; END""",
    ],
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION stage_changes_set_left_at() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                {SET_LEFT_AT} WHERE provider_id = NEW.provider_id;
            ELSIF TG_OP = 'DELETE' THEN
                {SET_LEFT_AT} WHERE provider_id = OLD.provider_id;
            ELSE
                {SET_LEFT_AT} WHERE provider_id IN (OLD.provider_id, NEW.provider_id);
            END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER stage_changes_set_left_at
        AFTER INSERT OR DELETE OR UPDATE OF provider_id, changed_at ON stage_changes
        FOR EACH ROW EXECUTE FUNCTION stage_changes_set_left_at()""",
    ],
}
create_triggers_with(StageChange.__table__, LEFT_AT_TRIGGERS)


class AppliesTo(enum.StrEnum):
    PROVIDER = "provider"
    # Household members at or above the background-check age (a setting).
    EACH_ADULT = "each_adult"
    PROVIDER_AND_ADULTS = "provider_and_adults"


class Condition(enum.StrEnum):
    """When a requirement applies at all."""

    ALWAYS = "always"
    HAS_WELL = "has_well"


class Requirement(db.Model):
    """A requirement template (managed by managers), in both languages."""

    __tablename__ = "requirements"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_es: Mapped[str] = mapped_column(String(120))
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_es: Mapped[str] = mapped_column(Text, default="")
    applies_to: Mapped[AppliesTo] = mapped_column(
        string_enum(AppliesTo), default=AppliesTo.PROVIDER
    )
    condition: Mapped[Condition] = mapped_column(string_enum(Condition), default=Condition.ALWAYS)
    before_licensing: Mapped[bool] = mapped_column(default=True)
    # Empty: valid for ever. The first one, at application, may be shorter
    # (a medical statement: 12 months at application, then 36).
    valid_months: Mapped[int | None]
    valid_months_at_application: Mapped[int | None]
    position: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)

    def name(self, locale: str) -> str:
        return self.name_es if locale == "es" else self.name_en


class ItemStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    DONE = "done"
    WAIVED = "waived"


class ChecklistItem(db.Model):
    """One requirement for one provider (or one adult of their household)."""

    __tablename__ = "checklist_items"
    __table_args__ = (
        # member_key is the household member's id, or 0 for the provider: NULLs
        # would not count as equal in a unique constraint.
        UniqueConstraint("provider_id", "requirement_id", "member_key"),
        Index("ix_checklist_items_due_on", "due_on"),
        Index("ix_checklist_items_expires_on", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("requirements.id"))
    household_member_id: Mapped[int | None] = mapped_column(ForeignKey("household_members.id"))
    member_key: Mapped[int] = mapped_column(default=0)
    status: Mapped[ItemStatus] = mapped_column(
        string_enum(ItemStatus), default=ItemStatus.NOT_STARTED
    )
    due_on: Mapped[date | None]
    submitted_on: Mapped[date | None]
    completed_on: Mapped[date | None]
    expires_on: Mapped[date | None]
    waived_reason: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    provider: Mapped[Provider] = relationship()
    requirement: Mapped[Requirement] = relationship()
    household_member: Mapped[HouseholdMember | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def attention_on(self) -> date | None:
        """When the item next needs attention (as licensing.queries.item_due_date)."""
        if self.status is ItemStatus.DONE:
            return self.expires_on
        if self.status is ItemStatus.WAIVED:
            return None
        return self.due_on


class Document(db.Model):
    """Uploaded evidence, kept in the database so every worker sees the same files."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    checklist_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("checklist_items.id"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    # Loaded only when downloaded, never with a list of documents.
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    uploaded_by: Mapped[User | None] = relationship()
    checklist_item: Mapped[ChecklistItem | None] = relationship()
