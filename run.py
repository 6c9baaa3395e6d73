"""WSGI entry point: `gunicorn run:app`. Without LOTSBOK_ENV this is production (which refuses
to start without a proper SECRET_KEY and DATABASE_URL); `make run` uses `flask --app app`.

Each gunicorn worker imports this module after it forks, then freezes its start-up heap so the
garbage collector's full collections no longer walk it (app/core/heap.py; LOTSBOK_GC_FREEZE=0
turns that off, e.g. to measure without it)."""

import os

from app import create_app
from app.core.heap import freeze_startup_heap
from config import config_from_env

app = create_app(config_from_env(default="production"))
if os.environ.get("LOTSBOK_GC_FREEZE", "1") != "0":
    freeze_startup_heap()
