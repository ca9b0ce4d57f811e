"""Response headers and proxy handling."""

import logging
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


class RedactLinkTokens(logging.Filter):
    """Keeps secret-link tokens out of access logs (werkzeug, gunicorn): one-time
    set-password links and providers' personal calendar feeds."""

    pattern = re.compile(r"(/set-password/|/feeds/)[^\s?\"'/]+")

    def _redact(self, value):
        return self.pattern.sub(r"\1[redacted]", value) if isinstance(value, str) else value

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self._redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(self._redact(arg) for arg in record.args)
        elif isinstance(record.args, Mapping):
            # gunicorn passes its own dict subclass; rewrite it in place to keep its type.
            for key, value in list(record.args.items()):
                record.args[key] = self._redact(value)
        return True


ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")


def register_security(app: Flask) -> None:
    for name in ACCESS_LOGGERS:
        access_log = logging.getLogger(name)
        if not any(isinstance(f, RedactLinkTokens) for f in access_log.filters):
            access_log.addFilter(RedactLinkTokens())

    proxies = app.config["PROXY_COUNT"]
    if proxies:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if app.config["HSTS_ENABLED"]:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint != "static":
            # Pages show personal data and carry CSRF tokens: never cache them.
            headers["Cache-Control"] = "no-store"
            headers["Vary"] = "Cookie"
        return response


def safe_next_url(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in target):
        return None
    return target
