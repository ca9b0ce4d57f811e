"""Reading accounts."""

from sqlalchemy import ColumnElement, Select, func, or_, select

from fccnet.auth.models import Role, User
from fccnet.database import contains_pattern


def user_matches(search: str) -> ColumnElement[bool]:
    """Users whose name or email contains `search`, in any case."""
    pattern = contains_pattern(search)
    return or_(User.name.ilike(pattern, escape="\\"), User.email.like(pattern, escape="\\"))


def list_users(*, search: str = "", role: str = "", status: str = "") -> Select:
    query = select(User).order_by(User.name, User.id)
    if search:
        query = query.where(user_matches(search))
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    if status == "active":
        query = query.where(User.active.is_(True))
    elif status == "inactive":
        query = query.where(User.active.is_(False))
    return query


def count_active_users_by_role() -> Select:
    return select(User.role, func.count()).where(User.active.is_(True)).group_by(User.role)
