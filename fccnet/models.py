"""Every domain's models, imported so Alembic and the shell see them all."""

from fccnet.audit.models import AuditEvent
from fccnet.auth.models import Role, SetPasswordLink, User

__all__ = ["AuditEvent", "Role", "SetPasswordLink", "User"]
