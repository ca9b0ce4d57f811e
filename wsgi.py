"""WSGI entry point: `gunicorn wsgi:app` (FCCNET_ENV defaults to production)."""

from fccnet import create_app

app = create_app()
