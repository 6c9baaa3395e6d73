"""WSGI entry point: `gunicorn run:app`. Without LOTSBOK_ENV this is production (which refuses
to start without a proper SECRET_KEY and DATABASE_URL); `make run` uses `flask --app app`."""

from app import create_app
from config import config_from_env

app = create_app(config_from_env(default="production"))
