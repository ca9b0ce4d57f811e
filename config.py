"""Configuration classes, read from the environment.

`FCCNET_ENV` picks the class (production, development, test); production is
the default so that a forgotten variable never yields a lax deployment.
"""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def normalise_database_url(url: str) -> str:
    """Accept postgres://, postgresql:// and postgresql+psycopg://; always use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def development_secret_key() -> str:
    """A random key kept in instance/, so development sessions survive restarts."""
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        INSTANCE_DIR.mkdir(exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


class Config:
    ENV_NAME = "base"
    NETWORK_NAME = os.environ.get("FCCNET_NETWORK_NAME", "Hartford Family Child Care Network")

    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'fccnet.sqlite'}")
    )
    # hide_parameters: a database error in the log never shows the values (names, tokens).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}

    # 16 MB: the largest upload (10 MB documents) plus form overhead.
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024

    SESSION_COOKIE_NAME = "fccnet_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    REMEMBER_COOKIE_HTTPONLY = True

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "America/New_York"
    LANGUAGES = {"en": "English", "es": "Español"}

    BOOTSTRAP_SERVE_LOCAL = True

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_FAILURE_LIMIT = "10 per 15 minutes"

    # argon2id cost; OWASP's second recommended profile (m=19 MiB, t=2, p=1).
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19 * 1024
    ARGON2_PARALLELISM = 1

    SET_PASSWORD_LINK_HOURS = 72
    HSTS_ENABLED = False
    # Number of trusted proxies in front of the app (0: none). Enables ProxyFix.
    PROXY_COUNT = _env_int("FCCNET_PROXY_COUNT", 0)

    DEBUG = False
    TESTING = False
    ALLOW_DEMO_DATA = True
    GENERATE_SECRET_KEY = False


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_ENABLED = True
    ALLOW_DEMO_DATA = False
    DEBUG = _env_bool("FLASK_DEBUG")


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    # create_app() generates a key under instance/ when SECRET_KEY is unset.
    GENERATE_SECRET_KEY = True


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105 - test only
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    # Cheap hashing keeps the suite fast; the production cost is tested separately.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    RATELIMIT_STORAGE_URI = "memory://"
    # Most tests post forms without a token; the CSRF tests in tests/test_security.py
    # and the browser tests turn CSRF protection back on.
    WTF_CSRF_ENABLED = False


CONFIGS = {
    "production": ProductionConfig,
    "development": DevelopmentConfig,
    "test": TestConfig,
}


def config_from_environment() -> type[Config]:
    name = os.environ.get("FCCNET_ENV", "production").strip().lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"FCCNET_ENV must be one of {', '.join(CONFIGS)}; got {name!r}"
        ) from None
