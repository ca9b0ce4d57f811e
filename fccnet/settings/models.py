"""Network settings a manager can change (the licensing rules are defaults, not law)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fccnet.database import UTCDateTime, utcnow
from fccnet.extensions import db


class NetworkSetting(db.Model):
    __tablename__ = "network_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
