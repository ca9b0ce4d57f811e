"""The training catalog, its sessions, registrations with attendance, and credits.

Hours are kept as whole minutes so that sums are exact on every database.
"""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fccnet.auth.models import User
from fccnet.database import OrderedBilingualList, UTCDateTime, string_enum, utcnow
from fccnet.extensions import db
from fccnet.licensing.models import Document, Requirement
from fccnet.providers.models import Provider


class CkcArea(OrderedBilingualList, db.Model):
    """A Core Knowledge and Competencies area (a managed list, in both languages)."""

    __tablename__ = "ckc_areas"


class Credential(OrderedBilingualList, db.Model):
    """What a course grants (First Aid, CPR, ...), valid for some months (a managed list).

    When it answers a checklist requirement, earning it completes the provider's
    item there, so its expiry shows on the compliance calendar.
    """

    __tablename__ = "credentials"

    # Empty: valid for ever (a one-time orientation).
    valid_months: Mapped[int | None]
    requirement_id: Mapped[int | None] = mapped_column(ForeignKey("requirements.id"))

    requirement: Mapped[Requirement | None] = relationship()


class Delivery(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE_LIVE = "online_live"
    SELF_PACED = "self_paced"


class Course(db.Model):
    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint(
            "credit_minutes > 0 AND credit_minutes <= 2400", name="credit_minutes_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title_en: Mapped[str] = mapped_column(String(160))
    title_es: Mapped[str] = mapped_column(String(160))
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_es: Mapped[str] = mapped_column(Text, default="")
    ckc_area_id: Mapped[int] = mapped_column(ForeignKey("ckc_areas.id"))
    credit_minutes: Mapped[int]
    delivery: Mapped[Delivery] = mapped_column(string_enum(Delivery))
    credential_id: Mapped[int | None] = mapped_column(ForeignKey("credentials.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    ckc_area: Mapped[CkcArea] = relationship()
    credential: Mapped[Credential | None] = relationship()

    def title(self, locale: str) -> str:
        return self.title_es if locale == "es" else self.title_en

    def description(self, locale: str) -> str:
        return self.description_es if locale == "es" else self.description_en


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class TrainingSession(db.Model):
    """One offering of a course. Times are stored in UTC and shown in the network's zone."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        # Registration claims a seat with a conditional UPDATE on this counter,
        # which is atomic on SQLite and PostgreSQL alike.
        CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"
        ),
        Index("ix_training_sessions_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    location: Mapped[str | None] = mapped_column(String(200))
    meeting_url: Mapped[str | None] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(5), default="en")
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    trainer_name: Mapped[str | None] = mapped_column(String(120))
    capacity: Mapped[int]
    seats_taken: Mapped[int] = mapped_column(default=0)
    status: Mapped[SessionStatus] = mapped_column(
        string_enum(SessionStatus), default=SessionStatus.SCHEDULED
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    course: Mapped[Course] = relationship()
    trainer: Mapped[User | None] = relationship()

    @property
    def trainer_label(self) -> str:
        return self.trainer.name if self.trainer is not None else (self.trainer_name or "")

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)


class RegistrationStatus(enum.StrEnum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class Attendance(enum.StrEnum):
    ATTENDED = "attended"
    PARTIAL = "partial"
    NO_SHOW = "no_show"


class Registration(db.Model):
    """A provider's place (or place in line) in a session, and then their attendance.

    One row per provider and session: registering again after cancelling reuses it.
    """

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("session_id", "provider_id"),
        Index("ix_registrations_provider_id_status", "provider_id", "status"),
        # The waitlist in order; the training report reads who attended from it alone.
        Index(
            "ix_registrations_session_id_status_queued_at",
            "session_id",
            "status",
            "queued_at",
            "provider_id",
            "attendance",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"))
    status: Mapped[RegistrationStatus] = mapped_column(string_enum(RegistrationStatus))
    # The waitlist is served in this order.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    walk_in: Mapped[bool] = mapped_column(default=False)
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attendance: Mapped[Attendance | None] = mapped_column(string_enum(Attendance))
    attended_minutes: Mapped[int | None]
    attendance_marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    session: Mapped[TrainingSession] = relationship()
    provider: Mapped[Provider] = relationship()


class CreditSource(enum.StrEnum):
    SESSION = "session"
    EXTERNAL = "external"


class CreditStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Credit(db.Model):
    """Professional development hours on a provider's record.

    From a network session (made and corrected from attendance, approved at once)
    or from elsewhere (with evidence, counted once a manager approves it).
    """

    __tablename__ = "credits"
    __table_args__ = (
        CheckConstraint("minutes > 0 AND minutes <= 2400", name="minutes_range"),
        Index("ix_credits_status_created_at", "status", "created_at"),
        # The covering indexes below let the training report and the report card add up
        # hours and find held credentials from the indexes alone, at any network size.
        # A provider's hours (the record, and who is short of the annual requirement).
        Index(
            "ix_credits_provider_id_status_taken_on",
            "provider_id",
            "status",
            "taken_on",
            "ckc_area_id",
            "minutes",
        ),
        # A provider's latest credit for a credential (the one they hold).
        Index(
            "ix_credits_provider_id_status_credential_id",
            "provider_id",
            "status",
            "credential_id",
            "taken_on",
            "credential_expires_on",
        ),
        # The network's hours in a period.
        Index(
            "ix_credits_status_taken_on",
            "status",
            "taken_on",
            "ckc_area_id",
            "provider_id",
            "minutes",
        ),
        # Credentials expiring soon.
        Index(
            "ix_credits_status_credential_expires_on",
            "status",
            "credential_expires_on",
            "credential_id",
            "provider_id",
            "taken_on",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"))
    source: Mapped[CreditSource] = mapped_column(string_enum(CreditSource))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id"), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    organisation: Mapped[str | None] = mapped_column(String(160))
    taken_on: Mapped[date]
    minutes: Mapped[int]
    ckc_area_id: Mapped[int] = mapped_column(ForeignKey("ckc_areas.id"))
    credential_id: Mapped[int | None] = mapped_column(ForeignKey("credentials.id"))
    credential_expires_on: Mapped[date | None]
    status: Mapped[CreditStatus] = mapped_column(string_enum(CreditStatus))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rejection_reason: Mapped[str | None] = mapped_column(String(300))

    provider: Mapped[Provider] = relationship()
    registration: Mapped[Registration | None] = relationship()
    ckc_area: Mapped[CkcArea] = relationship()
    credential: Mapped[Credential | None] = relationship()
    document: Mapped[Document | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])


class CalendarFeed(db.Model):
    """The secret address of a provider's personal calendar feed (regenerated on request)."""

    __tablename__ = "calendar_feeds"

    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
