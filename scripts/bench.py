"""`make bench`: generate data at 10 000 and 100 000 companies and measure each page in process
and through the real server.

For each page, signed in through the sign-in form as a generated user:
- in process: median and p95 over N requests through the Flask test client (app, ORM,
  templates; no HTTP), the time spent in SQL alone and the number of SQL statements;
- over HTTP: median and p95 over N requests to `gunicorn run:app` with two sync workers on a
  free loopback port (tests/live.py `serve`), one client, and the peak RSS (VmHWM) of the
  workers after the page;
then the monthly summary for all managers and the digest job for every user. Rows that miss a
target are flagged (TARGETS below; README "Prestanda").
SQLite by default; PostgreSQL when DATABASE_URL points to one (a database per size).

    .venv/bin/python scripts/bench.py [--sizes 10000,100000] [--requests 50] [--seed 1]
        [--pages 'foretag*,arenden*'] [--no-http] [--reuse] [--pg-prefix lotsbok_bench]
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.core.heap import freeze_startup_heap  # noqa: E402
from app.extensions import db  # noqa: E402
from app.scale.generate import PASSWORD  # noqa: E402
from config import TestingConfig  # noqa: E402

# Issue 18's targets for every list, search and detail page (both databases, in process and
# over HTTP, one client): p95 ≤ 50 ms, p95 ≤ 1.5 × median, page ≤ 3 × its own SQL time, a
# web worker's peak RSS ≤ 250 MB. The dashboard and the jobs keep their own time limits.
P95_MS = 50
SPREAD = 1.5
SQL_FACTOR = 3
RSS_MB = 250
JOB_TARGETS_MS = {"dashboard": 300}
WARM_UP = 3  # per worker


@dataclass(frozen=True)
class BenchPage:
    key: str  # for --pages
    label: str
    path: str
    role: str  # "lots" or "chef": whose session
    kind: str = "page"  # "page" (all targets) or "dashboard" (its own limit)


@dataclass
class Timing:
    status: int = 0
    times: list[float] = field(default_factory=list)
    sql: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    cpu_ms: float | None = None  # per request: this process's CPU time (in process) or the workers'
    rss_mb: float | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        return percentile(self.times, 0.95)

    @property
    def spread(self) -> float:
        return self.p95 / self.median if self.median else 0.0


class SqlTimer:
    """Sums the time spent inside cursor.execute (SQL round-trips) and counts statements."""

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


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


# --------------------------------------------------------------------------- databases


def database_url(size: int, *, pg_prefix: str, reuse: bool, data_dir: Path) -> tuple[str, bool]:
    """The URL of this size's database and whether it must be (re)generated."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgresql"):
        name = f"{pg_prefix}_{size}"
        target = sa.make_url(url).set(database=name).render_as_string(hide_password=False)
        admin = sa.create_engine(sa.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            exists = conn.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).first()
            if reuse and exists and _has_companies(target, size):
                admin.dispose()
                return target, False
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
        return target, True
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"bench-{size}.sqlite3"
    target = f"sqlite:///{path}"
    if reuse and path.exists() and _has_companies(target, size):
        return target, False
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return target, True


def _has_companies(url: str, size: int) -> bool:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return (conn.exec_driver_sql("SELECT count(*) FROM companies").scalar() or 0) >= size
    except sa.exc.DBAPIError:
        return False
    finally:
        engine.dispose()


def generate(url: str, size: int, seed: int, anchor: date) -> float:
    """`flask generate-data` in a child process, as an operator would run it: the measuring
    process then has the heap of a fresh web worker. Returns the seconds it took."""
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-m", "flask", "--app", "app", "generate-data", "--companies", str(size),
         "--seed", str(seed), "--anchor", anchor.isoformat()],
        cwd=ROOT, env=dict(os.environ, DATABASE_URL=url, LOTSBOK_ENV="development"), check=True,
    )  # fmt: skip
    return time.perf_counter() - started


def analyse() -> None:
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()


def _pick(sql: str) -> int:
    return int(db.session.scalar(sa.text(sql)))


def bench_pages(anchor: date) -> tuple[list[BenchPage], dict[str, str]]:
    """The pages, with ids picked from the data, and the e-mail of each role's user."""
    lots_id = _pick(
        "SELECT responsible_user_id FROM companies GROUP BY responsible_user_id ORDER BY count(*) DESC LIMIT 1"
    )
    chef_id = _pick("SELECT id FROM users WHERE role = 'chef' ORDER BY id LIMIT 1")
    big_company = _pick(
        "SELECT company_id FROM interactions GROUP BY company_id ORDER BY count(*) DESC, company_id LIMIT 1"
    )
    big_case = _pick("SELECT case_id FROM case_permits GROUP BY case_id ORDER BY count(*) DESC, case_id LIMIT 1")
    visit_id = _pick(
        "SELECT v.id FROM company_visits v JOIN companies c ON c.id = v.company_id ORDER BY v.starts_at DESC LIMIT 1"
    )
    area_id = _pick("SELECT id FROM areas ORDER BY id LIMIT 1")
    emails = {
        role: db.session.scalar(sa.text("SELECT email FROM users WHERE id = :id"), {"id": uid})
        for role, uid in (("lots", lots_id), ("chef", chef_id))
    }
    pages = [
        BenchPage("inloggning", "inloggningssidan", "/logga-in", ""),
        BenchPage("start", "startsidan", "/", "lots"),
        BenchPage("foretag", "företagslistan", "/foretag", "lots"),
        BenchPage("foretag-filter", "företagslistan, filtrerad", f"/foretag?status=aktiv&area={area_id}&no_contact=12", "lots"),
        BenchPage("foretag-sok", "företagslistan, sökning", "/foretag?q=bygg", "lots"),
        BenchPage("foretagssida", "företagssida, lång tidslinje", f"/foretag/{big_company}", "lots"),
        BenchPage("kontakter", "kontaktlistan", "/kontakter", "lots"),
        BenchPage("arenden", "ärendelistan (öppna)", "/arenden", "lots"),
        BenchPage("arenden-mina", "ärendelistan, mina", "/arenden?vy=mina", "lots"),
        BenchPage("arenden-frister", "ärendelistan, frister", "/arenden?vy=frister", "lots"),
        BenchPage("arenden-alla", "ärendelistan, alla", "/arenden?vy=alla", "lots"),
        BenchPage("arende", "ärendesida", f"/arenden/{big_case}", "lots"),
        BenchPage("uppfoljningar", "uppföljningar", "/uppfoljningar", "lots"),
        BenchPage("sok", "sök (alla typer)", "/sok?q=bygg", "lots"),
        BenchPage("besoksunderlag", "besöksunderlag", f"/besok/{visit_id}/underlag", "lots"),
        BenchPage("dashboard", "dashboard, ett år", f"/rapporter?period=year&year={anchor.year - 1}", "chef", "dashboard"),
        # Five whole years (the longest custom period), and five years from mid-month to mid-month.
        BenchPage("dashboard-5ar", "dashboard, fem år", f"/rapporter?period=custom&from={anchor.year - 5}-01-01&to={anchor.year - 1}-12-31", "chef", "dashboard"),
        BenchPage("dashboard-5ar-udda", "dashboard, fem år mitt i månaden", f"/rapporter?period=custom&from={anchor.year - 5}-03-15&to={anchor.year}-03-14", "chef", "dashboard"),
    ]  # fmt: skip
    return pages, emails


def _selected(key: str, patterns: list[str] | None) -> bool:
    return patterns is None or any(fnmatch.fnmatchcase(key, p) for p in patterns)


# --------------------------------------------------------------------------- in process


def measure_in_process(app, pages: list[BenchPage], emails: dict[str, str], requests: int) -> dict[str, Timing]:
    timer = SqlTimer(db.engine)
    clients = {}
    for role, email in emails.items():
        client = app.test_client()
        response = client.post("/logga-in", data={"email": email, "password": PASSWORD})
        if response.status_code != 302:
            raise SystemExit(f"inloggning som {email} misslyckades i processen ({response.status_code})")
        clients[role] = client
    results = {}
    for page in pages:
        client = clients.get(page.role) or app.test_client()
        timing = Timing()
        cpu = 0.0
        for i in range(requests + WARM_UP):
            timer.reset()
            c0 = time.process_time()
            t0 = time.perf_counter()
            response = client.get(page.path)
            elapsed = time.perf_counter() - t0
            timing.status = response.status_code
            if i >= WARM_UP:
                cpu += time.process_time() - c0
                timing.times.append(elapsed * 1000)
                timing.sql.append(timer.total * 1000)
                timing.statements.append(timer.count)
        timing.cpu_ms = cpu * 1000 / requests
        timing.rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        results[page.key] = timing
        print(
            f"  {page.label:<32} {timing.status} median {timing.median:7.1f}  p95 {timing.p95:7.1f}  "
            f"CPU {timing.cpu_ms:6.1f}  SQL {statistics.median(timing.sql):6.1f} ms  {timing.statements[-1]} satser",
            flush=True,
        )
    return results


# --------------------------------------------------------------------------- over HTTP


def worker_pids(master: int) -> list[int]:
    """The gunicorn master's child processes (its workers)."""
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        match = re.search(r"^PPid:\s+(\d+)", text, re.M)
        if match and int(match.group(1)) == master:
            pids.append(int(status.parent.name))
    return pids


def peak_rss_mb(pids: list[int]) -> float | None:
    """The largest VmHWM (peak resident set) among `pids`, in MB."""
    peaks = []
    for pid in pids:
        try:
            match = re.search(r"^VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
        except OSError:
            continue
        if match:
            peaks.append(int(match.group(1)) / 1024)
    return max(peaks) if peaks else None


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of `pids` so far."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def measure_http(
    url: str, pages: list[BenchPage], emails: dict[str, str], requests: int, *, gc_freeze: bool, workers: int = 2
) -> tuple[dict[str, Timing], float | None]:
    """Each page over HTTP through gunicorn; returns the timings and the workers' RSS at start."""
    import tests.live
    from tests.live import serve

    # tests/live.py waits 60 s for the first answer; on a loaded shared machine a worker that
    # opens a 1 GB database can take longer than that to boot.
    wait = tests.live._wait_until_up
    tests.live._wait_until_up = lambda server: wait(server, timeout=300.0)
    results = {}
    env = {"LOTSBOK_GC_FREEZE": "1" if gc_freeze else "0"}
    with (
        tempfile.TemporaryDirectory(prefix="lotsbok-bench-") as log_dir,
        serve(url, Path(log_dir), env=env) as server,
    ):
        pids = worker_pids(server.process.pid)
        start_rss = peak_rss_mb(pids)
        clients = {}
        for role, email in emails.items():
            client = server.client()
            client.sign_in(email, PASSWORD)
            clients[role] = client
        for page in pages:
            client = clients.get(page.role) or server.client()
            timing = Timing()
            for i in range(requests + WARM_UP * workers):
                if i == WARM_UP * workers:
                    cpu_before = cpu_seconds(pids)
                t0 = time.perf_counter()
                response = client.get(page.path)
                _ = response.content
                elapsed = time.perf_counter() - t0
                timing.status = response.status_code
                if i >= WARM_UP * workers:
                    timing.times.append(elapsed * 1000)
            timing.cpu_ms = (cpu_seconds(pids) - cpu_before) * 1000 / requests
            timing.rss_mb = peak_rss_mb(pids)
            results[page.key] = timing
            print(
                f"  {page.label:<32} {timing.status} HTTP median {timing.median:7.1f}  p95 {timing.p95:7.1f}"
                f"  CPU {timing.cpu_ms:6.1f} ms"
                f"  RSS {timing.rss_mb or 0:5.0f} MB",
                flush=True,
            )
        errors = server.new_errors(0)
        if errors:
            print(f"  OBS: servern loggade fel:\n{errors[-3000:]}", flush=True)
    return results, start_rss


# --------------------------------------------------------------------------- report


def misses(page: BenchPage, local: Timing | None, http: Timing | None) -> list[str]:
    """The targets this page misses, in words."""
    found = []
    for where, timing in (("process", local), ("HTTP", http)):
        if timing is None or not timing.times:
            continue
        if timing.status != 200:
            found.append(f"{where} svar {timing.status}")
        if page.kind == "dashboard":
            if timing.p95 > JOB_TARGETS_MS["dashboard"]:
                found.append(f"{where} p95 > {JOB_TARGETS_MS['dashboard']}")
            continue
        if timing.p95 > P95_MS:
            found.append(f"{where} p95 > {P95_MS}")
        if timing.spread > SPREAD:
            found.append(f"{where} p95/median > {SPREAD}")
        if timing.rss_mb is not None and timing.rss_mb > RSS_MB and where == "HTTP":
            found.append(f"RSS > {RSS_MB}")
    if page.kind == "page" and local is not None and local.times and local.statements[-1]:
        sql = statistics.median(local.sql)
        if local.median > SQL_FACTOR * sql:
            found.append(f"{local.median / sql:.1f} × SQL")
    return found


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def page_table(pages: list[BenchPage], local: dict[str, Timing], http: dict[str, Timing]) -> list[str]:
    lines = [
        "| sida | svar | process median | p95 | p95/median | CPU | HTTP median | p95 | p95/median | CPU "
        "| SQL ms | satser | sida/SQL | RSS worker MB | missar mål |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page in pages:
        lo, ht = local.get(page.key), http.get(page.key)
        sql = statistics.median(lo.sql) if lo else None
        status = "/".join(str(t.status) for t in (lo, ht) if t)
        cells = [
            page.label, status,
            _ms(lo and lo.median), _ms(lo and lo.p95), f"{lo.spread:.2f}" if lo else "", _ms(lo and lo.cpu_ms),
            _ms(ht and ht.median), _ms(ht and ht.p95), f"{ht.spread:.2f}" if ht else "", _ms(ht and ht.cpu_ms),
            _ms(sql), str(lo.statements[-1]) if lo else "",
            f"{lo.median / sql:.1f}" if lo and sql else "",
            f"{ht.rss_mb:.0f}" if ht and ht.rss_mb else "",
            ", ".join(misses(page, lo, ht)) or "ok",
        ]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def run_jobs(anchor: date) -> list[str]:
    from app.core.time import utcnow
    from app.followups.jobs import queue_daily_digests
    from app.reports.periods import previous_month
    from app.reports.summary import queue_monthly_summaries

    now = utcnow()
    lines = ["| jobb | resultat | tid ms | CPU ms | mål ms | |", "|---|---|---:|---:|---:|---|"]
    for label, job, target in (
        ("månadssammanfattning, alla chefer", lambda: queue_monthly_summaries(previous_month(now), now=now), 2000),  # issue 18: ≤ 2 s
        ("dagens påminnelser, alla användare", lambda: queue_daily_digests(anchor, now=now), 30000),
    ):
        c0, t0 = time.process_time(), time.perf_counter()
        queued = job()
        elapsed = (time.perf_counter() - t0) * 1000
        cpu = (time.process_time() - c0) * 1000  # on a shared machine steadier than the wall clock
        db.session.rollback()  # measure only; leave the outbox empty for the next run
        lines.append(f"| {label} | {queued} e-post i kö | {elapsed:.0f} | {cpu:.0f} | {target} | {'ok' if elapsed <= target else 'ÖVER MÅL'} |")
        print(f"  {label:<32} {elapsed:9.0f} ms, CPU {cpu:.0f} ms ({queued} e-post)", flush=True)
    return lines


def bench_size(size: int, args: argparse.Namespace, anchor: date) -> list[str]:
    url, fresh = database_url(size, pg_prefix=args.pg_prefix, reuse=args.reuse, data_dir=Path(args.data_dir))
    config = type("BenchConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    app = create_app(config)
    if args.gc_freeze:
        freeze_startup_heap()  # as run.py does in each gunicorn worker
    lines = [f"## {size} företag", ""]
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.session.remove()
        if fresh:
            seconds = generate(url, size, args.seed, anchor)
            lines.append(f"Genererat på {seconds:.0f} s (mål ≤ 600 s{'' if seconds <= 600 else ': ÖVER MÅL'}).")
        else:
            lines.append("Befintlig databas återanvänd (--reuse).")
        analyse()
        counts = {
            table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608 - fixed names
            for table in ("companies", "interactions", "contact_persons", "lots_cases", "followups", "users")
        }
        db.session.remove()
        print(f"  {counts}", flush=True)
        lines += [f"Rader: {', '.join(f'{t} {n}' for t, n in counts.items())}.", ""]
        all_pages, emails = bench_pages(anchor)
        pages = [p for p in all_pages if _selected(p.key, args.pages)]
        emails = {role: email for role, email in emails.items() if any(p.role == role for p in pages)}
        local = measure_in_process(app, pages, emails, args.requests)
        db.session.remove()
        http, start_rss = measure_http(url, pages, emails, args.requests, gc_freeze=args.gc_freeze) if args.http else ({}, None)
        lines += page_table(pages, local, http)
        lines.append("")
        in_process_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        lines.append(
            f"Högsta RSS: mätprocessen {in_process_mb:.0f} MB"
            + (f"; gunicorn-worker vid start {start_rss:.0f} MB" if start_rss else "")
        )
        if _selected("jobb", args.pages):
            lines += ["", *run_jobs(anchor)]
        # On a shared machine the wall-clock figures follow the load; the CPU columns less so.
        load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
        lines.append(f"Belastning efter mätningen: {load} (1 / 5 / 15 min).")
        db.session.remove()
        db.engine.dispose()
    return [*lines, ""]


def main(argv: list[str] | None = None, echo: Callable[[str], None] = print) -> Path:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--anchor", default=None, help="YYYY-MM-DD (default: today)")
    parser.add_argument("--pages", default=None, help="comma-separated globs of page keys, e.g. 'foretag*,arenden,jobb'")
    parser.add_argument("--http", action=argparse.BooleanOptionalAction, default=True, help="also through gunicorn")
    parser.add_argument(
        "--gc-freeze", action=argparse.BooleanOptionalAction, default=True, help="freeze the start-up heap (run.py)"
    )
    parser.add_argument("--reuse", action="store_true", help="keep an existing database of the size (no generation)")
    parser.add_argument("--pg-prefix", default="lotsbok_bench", help="PostgreSQL: databases <prefix>_<size>")
    parser.add_argument("--data-dir", default=str(ROOT / "bench-results"), help="SQLite: where the databases are kept")
    parser.add_argument("--out", default=None, help="report file (default bench-results/bench-<engine>.md)")
    args = parser.parse_args(argv)
    args.pages = [p.strip() for p in args.pages.split(",") if p.strip()] if args.pages else None
    anchor = date.fromisoformat(args.anchor) if args.anchor else date.today()  # noqa: DTZ011
    engine = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgresql") else "SQLite"
    report = [
        f"# Lotsbok benchmark – {engine}, {date.today().isoformat()}",  # noqa: DTZ011
        "",
        f"{args.requests} anrop per sida efter uppvärmning; tider i ms. {os.cpu_count()} kärnor, "
        f"belastning vid start {os.getloadavg()[0]:.1f}. Mål: p95 ≤ {P95_MS} ms, p95/median ≤ {SPREAD}, "
        f"sida ≤ {SQL_FACTOR} × SQL, RSS per worker ≤ {RSS_MB} MB (dashboard: p95 ≤ 300 ms). "
        f"gc.freeze() efter start: {'på' if args.gc_freeze else 'av'}.",
        "",
    ]
    for size in [int(s) for s in args.sizes.split(",")]:
        echo(f"== {size} företag ({engine})")
        report += bench_size(size, args, anchor)
    text = "\n".join(report)
    echo("")
    echo(text)
    out = Path(args.out) if args.out else ROOT / "bench-results" / f"bench-{engine.lower()}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
