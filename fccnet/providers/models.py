"""The provider record: towns and neighborhoods, the provider, their household, caseloads."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fccnet.auth.models import User
from fccnet.database import UTCDateTime, utcnow
from fccnet.extensions import db


class Town(db.Model):
    """A town the network serves (a managed list)."""

    __tablename__ = "towns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    active: Mapped[bool] = mapped_column(default=True)

    neighborhoods: Mapped[list["Neighborhood"]] = relationship(
        back_populates="town", order_by="Neighborhood.name"
    )


class Neighborhood(db.Model):
    """A neighborhood of a town that reports by neighborhood (Hartford's 17)."""

    __tablename__ = "neighborhoods"
    __table_args__ = (UniqueConstraint("town_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"))
    name: Mapped[str] = mapped_column(String(80))
    # The North Hartford Promise Zone is reported as its own group.
    promise_zone: Mapped[bool] = mapped_column(default=False)

    town: Mapped[Town] = relationship(back_populates="neighborhoods")


class ReferralSource(db.Model):
    """How someone heard of the network (a managed list, in both languages)."""

    __tablename__ = "referral_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(80), unique=True)
    name_es: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(default=True)

    def name(self, locale: str) -> str:
        return self.name_es if locale == "es" else self.name_en


class Provider(db.Model):
    __tablename__ = "providers"
    __table_args__ = (
        Index("ix_providers_coach_id_deleted_at", "coach_id", "deleted_at"),
        Index("ix_providers_stage_id_deleted_at", "stage_id", "deleted_at"),
        Index("ix_providers_town_id", "town_id"),
        Index("ix_providers_legal_name", "legal_name", "id"),
        Index("ix_providers_phone", "phone"),
        Index("ix_providers_email", "email"),
        CheckConstraint("capacity_full_time >= 0", name="capacity_full_time_not_negative"),
        CheckConstraint("capacity_school_age >= 0", name="capacity_school_age_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(120))
    preferred_name: Mapped[str | None] = mapped_column(String(120))
    business_name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164, e.g. +18605550123
    email: Mapped[str | None] = mapped_column(String(254))
    street: Mapped[str | None] = mapped_column(String(200))
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"))
    neighborhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighborhoods.id"))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    preferred_language: Mapped[str] = mapped_column(String(5), default="en")
    first_contact_on: Mapped[date]
    referral_source_id: Mapped[int | None] = mapped_column(ForeignKey("referral_sources.id"))
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    # Written by staff; never shown to the provider.
    staff_notes: Mapped[str | None] = mapped_column(Text)
    has_well: Mapped[bool] = mapped_column(Boolean, default=False)

    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    stage_entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_reason: Mapped[str | None] = mapped_column(String(200))

    license_number: Mapped[str | None] = mapped_column(String(40))
    license_issued_on: Mapped[date | None]
    license_expires_on: Mapped[date | None]
    capacity_full_time: Mapped[int | None]
    capacity_school_age: Mapped[int | None]
    ages_served: Mapped[str | None] = mapped_column(String(120))
    hours_of_operation: Mapped[str | None] = mapped_column(String(120))
    accepts_care4kids: Mapped[bool] = mapped_column(Boolean, default=False)

    # Lower-cased names, email and phone digits: searched with one LIKE, no function per row.
    search_text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_reason: Mapped[str | None] = mapped_column(String(200))

    town: Mapped[Town] = relationship()
    neighborhood: Mapped["Neighborhood | None"] = relationship()
    referral_source: Mapped[ReferralSource | None] = relationship()
    coach: Mapped[User | None] = relationship(foreign_keys=[coach_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    stage: Mapped["Stage"] = relationship()  # noqa: F821 - fccnet.licensing.models
    household: Mapped[list["HouseholdMember"]] = relationship(
        back_populates="provider", order_by="HouseholdMember.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.legal_name

    @property
    def in_promise_zone(self) -> bool:
        return bool(self.neighborhood and self.neighborhood.promise_zone)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class HouseholdMember(db.Model):
    __tablename__ = "household_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    relationship_to_provider: Mapped[str] = mapped_column(String(60))
    born_on: Mapped[date]
    moved_in_on: Mapped[date | None]
    moved_out_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)

    provider: Mapped[Provider] = relationship(back_populates="household")

    __mapper_args__ = {"version_id_col": version}

    def age_on(self, day: date) -> int:
        years = day.year - self.born_on.year
        return years - ((day.month, day.day) < (self.born_on.month, self.born_on.day))


class CoachAssignment(db.Model):
    """The history of who coached a provider."""

    __tablename__ = "coach_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    from_coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    to_coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    from_coach: Mapped[User | None] = relationship(foreign_keys=[from_coach_id])
    to_coach: Mapped[User | None] = relationship(foreign_keys=[to_coach_id])
