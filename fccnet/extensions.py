"""Extension objects, created unbound and initialised in create_app()."""

from flask import request
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# No list has this many pages; a larger ?page= would overflow SQLite's OFFSET.
MAX_PAGE = 1_000_000


class Database(SQLAlchemy):
    def paginate(self, select, *, page=None, **kwargs):
        """?page= as Flask-SQLAlchemy reads it, but an absurd page number means page 1."""
        if page is None:
            page = request.args.get("page", 1, type=int)
            page = page if 1 <= page <= MAX_PAGE else 1
        return super().paginate(select, page=page, **kwargs)


db = Database(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
