"""`make bench` end to end at a tiny size: generation, sign-in through the form in process and
through gunicorn (two workers), each page timed both ways, and the report written.

Too slow for the suite (a data generator, an app in process and a real server: about 30 s of
CPU, 1–2 minutes on the shared two-core machine), so it runs only when asked:
`LOTSBOK_BENCH_TEST=1 .venv/bin/python -m pytest tests/scale/test_bench.py` (README "Prestanda")."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    os.environ.get("LOTSBOK_BENCH_TEST") != "1",
    reason="slow: set LOTSBOK_BENCH_TEST=1 to run the bench end to end",
)


def test_bench_measures_pages_in_process_and_over_http(tmp_path):
    prefix = f"lotsbok_bench_t{os.getpid()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSBOK_")}
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        env.pop("DATABASE_URL", None)
    report = tmp_path / "report.md"
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "scripts/bench.py", "--sizes", "30", "--requests", "3",
             "--pages", "start,foretag-sok,arenden", "--data-dir", str(tmp_path), "--out", str(report),
             "--pg-prefix", prefix],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=240,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    finally:
        if url.startswith("postgresql"):
            admin = sa.create_engine(sa.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{prefix}_30" WITH (FORCE)')
            admin.dispose()
    text = report.read_text(encoding="utf-8")
    assert "## 30 företag" in text
    assert "Rader: companies 30," in text
    rows = {
        line.split(" | ")[0].strip("| "): line.split(" | ")
        for line in text.splitlines()
        if line.startswith("| ")
    }
    assert set(rows) >= {"startsidan", "företagslistan, sökning", "ärendelistan (öppna)"}
    assert "kontaktlistan" not in rows  # --pages filters
    for label in ("startsidan", "företagslistan, sökning", "ärendelistan (öppna)"):
        cells = rows[label]
        # Signed in (no redirect to the sign-in form) in process and over HTTP.
        assert cells[1] == "200/200", cells
        in_process_median, http_median, http_p95 = float(cells[2]), float(cells[6]), float(cells[7])
        assert in_process_median > 0
        assert 0 < http_median <= http_p95
        statements, rss = int(cells[11]), float(cells[13])
        assert statements > 3
        assert 50 < rss < 2000
    assert re.search(r"gunicorn-worker vid start \d+ MB", text)
