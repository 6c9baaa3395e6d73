"""The app served by gunicorn (2 workers) on a free loopback port, for tests over real HTTP.

A small stand-in until the suite has a shared real-server fixture: it starts
`gunicorn run:app` against a given database URL, waits until /halsa answers, and stops it
afterwards. The server's log is kept so a test can assert that nothing crashed.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class LiveServer:
    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def gunicorn_server(database_url: str, directory: Path, **env_extra: str) -> Iterator[LiveServer]:
    log_path = directory / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "LOTSBOK_ENV": "development",
        "SECRET_KEY": "live-server-test-key",
        "BASE_URL": "http://lotsbok.test",
        **env_extra,
    }
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn, fixed arguments
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", "127.0.0.1:0", "--no-control-socket",
             "--timeout", "60", "--graceful-timeout", "5", "run:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        url = _wait_for(proc, log_path)
        yield LiveServer(url, log_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def _wait_for(proc: subprocess.Popen, log_path: Path, timeout: float = 90.0) -> str:
    deadline = time.monotonic() + timeout
    url = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log_path.read_text(errors='replace')}")
        if url is None:
            match = re.search(
                r"Listening at: (http://127\.0\.0\.1:\d+)", log_path.read_text(errors="replace")
            )
            url = match.group(1) if match else None
        if url is not None:
            try:
                with urllib.request.urlopen(f"{url}/halsa", timeout=5) as response:  # noqa: S310 - loopback only
                    if response.status == 200:
                        return url
            except OSError:
                pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{log_path.read_text(errors='replace')}")
