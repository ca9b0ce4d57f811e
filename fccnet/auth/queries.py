"""Reading accounts."""

from sqlalchemy import Select, func, or_, select

from fccnet.auth.models import Role, User
from fccnet.database import contains_pattern


def list_users(*, search: str = "", role: str = "", status: str = "") -> Select:
    query = select(User).order_by(User.name, User.id)
    if search:
        pattern = contains_pattern(search)
        query = query.where(
            or_(User.name.ilike(pattern, escape="\\"), User.email.like(pattern, escape="\\"))
        )
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    if status == "active":
        query = query.where(User.active.is_(True))
    elif status == "inactive":
        query = query.where(User.active.is_(False))
    return query


def list_user_choices() -> Select:
    return select(User.id, User.name, User.email).order_by(User.name, User.id)


def count_active_users_by_role() -> Select:
    return select(User.role, func.count()).where(User.active.is_(True)).group_by(User.role)
