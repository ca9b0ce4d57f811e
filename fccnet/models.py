"""Every domain's models, imported so Alembic and the shell see them all."""

from fccnet.audit.models import AuditEvent
from fccnet.auth.models import Role, SetPasswordLink, User
from fccnet.coaching.models import (
    ActionItem,
    CoachingTopic,
    Contact,
    ContactAddendum,
    ContactVersion,
    Goal,
    GoalProgress,
)
from fccnet.licensing.models import ChecklistItem, Document, Requirement, Stage, StageChange
from fccnet.providers.models import (
    CoachAssignment,
    HouseholdMember,
    Neighborhood,
    Provider,
    ReferralSource,
    Town,
)
from fccnet.settings.models import NetworkSetting
from fccnet.training.models import (
    CalendarFeed,
    CkcArea,
    Course,
    Credential,
    Credit,
    Registration,
    TrainingSession,
)

__all__ = [
    "ActionItem",
    "AuditEvent",
    "CalendarFeed",
    "ChecklistItem",
    "CkcArea",
    "CoachAssignment",
    "CoachingTopic",
    "Contact",
    "ContactAddendum",
    "ContactVersion",
    "Course",
    "Credential",
    "Credit",
    "Document",
    "Goal",
    "GoalProgress",
    "HouseholdMember",
    "Neighborhood",
    "NetworkSetting",
    "Provider",
    "ReferralSource",
    "Registration",
    "Requirement",
    "Role",
    "SetPasswordLink",
    "Stage",
    "StageChange",
    "Town",
    "TrainingSession",
    "User",
]
