"""`make bench`: generate data at 10 000 and 100 000 companies and measure server-side latency.

For each page: median and p95 over N requests through the Flask test client (app, ORM,
templates; no HTTP or queueing), the time spent in SQL alone, and their ratio; then the monthly
summary for all managers, the digest job for every user, and the peak memory of the process.
SQLite by default; PostgreSQL when DATABASE_URL points to one (a database per size is created).

    .venv/bin/python scripts/bench.py [--sizes 10000,100000] [--requests 50] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from config import TestingConfig  # noqa: E402

TARGETS_MS = {"page": 100, "search": 50, "dashboard": 300}


class SqlTimer:
    """Sums the time spent inside cursor.execute (SQL round-trips) while enabled."""

    def __init__(self, engine: sa.Engine) -> None:
        self.total = 0.0
        self.count = 0
        self._starts: list[float] = []
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *args) -> None:
        self._starts.append(time.perf_counter())

    def _after(self, *args) -> None:
        self.total += time.perf_counter() - self._starts.pop()
        self.count += 1

    def reset(self) -> None:
        self.total, self.count = 0.0, 0


def _database_url(size: int) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgresql"):
        name = f"lotsbok_bench_{size}"
        admin = sa.create_engine(sa.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
        return sa.make_url(url).set(database=name).render_as_string(hide_password=False)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    path = out / f"bench-{size}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return f"sqlite:///{path}"


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def _pick(sql: str) -> int:
    return int(db.session.scalar(sa.text(sql)))


def bench_size(size: int, requests: int, seed: int, anchor: date) -> list[tuple]:
    url = _database_url(size)
    config = type("BenchConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    app = create_app(config)
    rows: list[tuple] = []
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.session.remove()
        # Generate in a child process, as an operator would: the measuring process then has
        # the heap of a fresh web worker (a big heap makes every garbage collection slower).
        started = time.perf_counter()
        env = dict(os.environ, DATABASE_URL=url)
        subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
            [sys.executable, "-m", "flask", "--app", "app", "generate-data", "--companies", str(size),
             "--seed", str(seed), "--anchor", anchor.isoformat()],
            cwd=ROOT, env=env, check=True,
        )
        gen_seconds = time.perf_counter() - started
        counts = {
            table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))
            for table in ("companies", "interactions", "contact_persons", "lots_cases", "followups", "users")
        }
        with db.engine.connect() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
            else:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
        print(f"  genererat på {gen_seconds:.0f} s: {counts}", flush=True)
        rows.append(("generate-data", f"{counts['companies']} företag, {counts['interactions']} kontakter", gen_seconds * 1000, None, None, None))

        lots_id = _pick("SELECT responsible_user_id FROM companies GROUP BY responsible_user_id ORDER BY count(*) DESC LIMIT 1")
        chef_id = _pick("SELECT id FROM users WHERE role = 'chef' ORDER BY id LIMIT 1")
        big_company = _pick(
            "SELECT company_id FROM interactions GROUP BY company_id ORDER BY count(*) DESC, company_id LIMIT 1"
        )
        visit_id = _pick(
            "SELECT v.id FROM company_visits v JOIN companies c ON c.id = v.company_id ORDER BY v.starts_at DESC LIMIT 1"
        )
        area_id = _pick("SELECT id FROM areas ORDER BY id LIMIT 1")
        year = anchor.year - 1
        pages = [
            ("inloggningssidan", "/logga-in", None, "page"),
            ("företagslistan", "/foretag", lots_id, "page"),
            ("företagslistan, filtrerad", f"/foretag?status=aktiv&area={area_id}&no_contact=12", lots_id, "page"),
            ("företagslistan, sökning", "/foretag?q=borl", lots_id, "search"),
            ("sök (alla typer)", "/sok?q=bygglov", lots_id, "search"),
            ("företagssida, lång tidslinje", f"/foretag/{big_company}", lots_id, "page"),
            ("kontaktlistan", "/kontakter", lots_id, "page"),
            ("ärendelistan", "/arenden", lots_id, "page"),
            ("uppföljningar", "/uppfoljningar", lots_id, "page"),
            ("startsidan", "/", lots_id, "page"),
            ("dashboard, ett år", f"/rapporter?period=year&year={year}", chef_id, "dashboard"),
            ("besöksunderlag", f"/besok/{visit_id}/underlag", lots_id, "page"),
        ]
        timer = SqlTimer(db.engine)
        for label, path, user_id, kind in pages:
            client = app.test_client()
            if user_id:
                from app.auth.models import User
                from app.core.time import utcnow

                user = db.session.get(User, user_id)
                with client.session_transaction() as sess:
                    sess["_user_id"] = user.get_id()
                    sess["_fresh"] = True
                    sess["last_seen"] = utcnow().timestamp() + 10 * 365 * 86400  # no idle timeout mid-run
            totals, sqls = [], []
            status = None
            for i in range(requests + 3):
                timer.reset()
                t0 = time.perf_counter()
                response = client.get(path)
                elapsed = time.perf_counter() - t0
                status = response.status_code
                if i >= 3:  # warm-up requests are not counted
                    totals.append(elapsed * 1000)
                    sqls.append(timer.total * 1000)
            median, p95 = statistics.median(totals), _percentile(totals, 0.95)
            sql_median = statistics.median(sqls)
            target = TARGETS_MS[kind]
            rows.append((label, f"HTTP {status}", median, p95, sql_median, target))
            print(f"  {label:<32} median {median:7.1f} ms  p95 {p95:7.1f} ms  SQL {sql_median:6.1f} ms", flush=True)

        from app.followups.jobs import queue_daily_digests
        from app.reports.periods import previous_month
        from app.reports.summary import queue_monthly_summaries

        now = __import__("app.core.time", fromlist=["utcnow"]).utcnow()
        for label, job, target in (
            ("månadssammanfattning, alla chefer", lambda: queue_monthly_summaries(previous_month(now), now=now), 5000),
            ("dagens påminnelser, alla användare", lambda: queue_daily_digests(anchor, now=now), 30000),
        ):
            timer.reset()
            t0 = time.perf_counter()
            queued = job()
            elapsed = (time.perf_counter() - t0) * 1000
            db.session.rollback()  # measure only; leave the outbox empty for the next run
            rows.append((label, f"{queued} e-post i kö", elapsed, None, timer.total * 1000, target))
            print(f"  {label:<32} {elapsed:9.0f} ms ({queued} e-post)", flush=True)
        db.session.remove()
        db.engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--anchor", default=None, help="YYYY-MM-DD (default: today)")
    args = parser.parse_args()
    anchor = date.fromisoformat(args.anchor) if args.anchor else date.today() - timedelta(days=0)  # noqa: DTZ011
    engine = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgresql") else "SQLite"
    report = [f"# Lotsbok benchmark – {engine}, {date.today().isoformat()}", ""]  # noqa: DTZ011
    for size in [int(s) for s in args.sizes.split(",")]:
        print(f"== {size} företag ({engine})", flush=True)
        rows = bench_size(size, args.requests, args.seed, anchor)
        report += [
            f"## {size} företag", "",
            "| mätning | | median ms | p95 ms | SQL (median) ms | SQL-andel | mål ms | |",
            "|---|---|---:|---:|---:|---:|---:|---|",
        ]
        for label, note, median, p95, sql, target in rows:
            share = f"{sql / median:.0%}" if sql is not None and median else ""
            worst = p95 if p95 is not None else median
            verdict = "" if target is None else ("ok" if worst <= target else "ÖVER MÅL")
            report.append(
                f"| {label} | {note} | {median:.1f} | {'' if p95 is None else f'{p95:.1f}'} | "
                f"{'' if sql is None else f'{sql:.1f}'} | {share} | {target or ''} | {verdict} |"
            )
        report.append("")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report.append(f"Högsta minnesanvändning: mätprocessen {peak_mb:.0f} MB, generate-data {child_mb:.0f} MB")
    text = "\n".join(report)
    print()
    print(text)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / f"bench-{engine.lower()}.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
