"""WSGI entry point: `gunicorn run:app` (LOTSBOK_ENV=production) or `flask --app run run`."""

from app import create_app
from config import config_from_env

app = create_app(config_from_env())
