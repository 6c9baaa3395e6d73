"""The garbage collector in a web worker: freeze the heap the app leaves after start.

A started app holds about 200 000 container objects (SQLAlchemy's mappers and compiled
caches, the URL map, WTForms and flask-smorest classes, Babel's locale data) that live as long
as the process. CPython's full collection walks every tracked object, and it runs every few
dozen to few hundred requests (depending on what a page allocates; every ~12 on the company list
at 100 000 companies, where one took up to 257 ms of CPU and 867 ms wall on a loaded machine)
inside an ordinary request – the p95 spikes of issue 18. `gc.freeze()`
moves what exists now into a permanent generation that collections skip; what requests
allocate is collected as before. Called once per process, after `create_app` (run.py: each
gunicorn worker imports run:app after forking, so each freezes its own heap).
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Collect what start-up left as garbage, then freeze the rest; returns the frozen count."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
