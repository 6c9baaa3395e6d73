"""Property-based test of the whole API: Schemathesis over /api/v1/openapi.json against the app
served by gunicorn on loopback, with a token per role, bounded in examples and time.

Every check is on (no server errors, status codes, content types, headers and bodies conform
to the document, schema-valid data accepted and invalid data rejected, missing auth refused,
undocumented methods answered 405 with Allow) and the stateful phase follows the document's
links (create → read → update). The server's own log must show no unhandled error either.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from tests.api.live_server import gunicorn_server
from tests.conftest import _config_for, cloned_database

HERE = Path(__file__).resolve().parent
ST = [sys.executable, "-c", "from schemathesis.cli import schemathesis; schemathesis()"]

# (role, token scope, seconds, phases): företagslotsar can write everything, so they get the
# longest run and the stateful phase; the other roles mostly meet 403s and read-only answers.
# The seconds bound each run (it stops at the limit with what it has tested); 90 s in all keeps
# the two CI runs well inside their time while every operation still gets its examples.
RUNS = [
    ("lots", "write", 60, "examples,coverage,fuzzing,stateful"),
    ("ledning", "write", 12, "examples,fuzzing"),
    ("chef", "read", 10, "examples,fuzzing"),
    ("admin", "read", 8, "examples,fuzzing"),
]


@pytest.fixture(scope="module")
def served(demo_template, tmp_path_factory):
    """A database with the demo data and a token per demo role, served by gunicorn: one per
    test process (module scope), so the per-role runs share a server where they share a worker."""
    directory = tmp_path_factory.mktemp("schemathesis")
    with cloned_database(demo_template.database, directory) as url:
        app = create_app(_config_for(url))
        runner = app.test_cli_runner()
        tokens = {}
        for role, scope, *_ in RUNS:
            result = runner.invoke(args=["tokens", "create", "--user", f"{role}@lotsbok.example",
                                         "--name", f"schemathesis {role}", "--scope", scope])  # fmt: skip
            assert result.exit_code == 0, result.output
            tokens[role] = result.stdout.splitlines()[0].strip()
            assert tokens[role].startswith("lb_")
        with app.app_context():
            from app.extensions import db

            db.engine.dispose()
        with gunicorn_server(url, directory, LOTSBOK_API_RATE_LIMIT="1000000") as server:
            yield server, tokens, directory


@pytest.mark.parametrize(
    ("role", "seconds", "phases"), [(r, s, p) for r, _scope, s, p in RUNS], ids=[r[0] for r in RUNS]
)
def test_whole_api_as_role(served, role, seconds, phases):
    """One Schemathesis run per role: separate items so the test processes can share them
    out (together they take about a minute and a half). Each checks the server's log for an
    unhandled error during its own run only."""
    server, tokens, directory = served
    log_before = len(server.log())
    output, code = _run(server.url, tokens[role], seconds, phases, directory)
    (directory / f"st-{role}.txt").write_text(output, encoding="utf-8")
    summary = output[output.find("SUMMARY") :]
    report = f"--- Schemathesis as {role} (exit {code}) ---\n{output[-15000:]}"
    assert code == 0, report
    assert " passed" in summary, report
    assert "Tested:" in summary, report
    log = server.log()[log_before:]
    assert "Traceback" not in log, log[-10000:]
    assert "Unhandled error" not in log, log[-10000:]


def _run(url: str, token: str, seconds: int, phases: str, directory: Path) -> tuple[str, int]:
    command = [
        *ST, "--config-file", str(HERE / "schemathesis.toml"), "run", f"{url}/api/v1/openapi.json",
        "--header", f"Authorization: Bearer {token}",
        "--phases", phases, "--max-examples", "15", "--max-time", str(seconds), "--workers", "1",
        "--seed", "19", "--generation-database", "none", "--no-color", "--output-truncate", "false",
        "--wait-for-schema", "60", "--request-timeout", "30",
    ]  # fmt: skip
    result = subprocess.run(  # noqa: S603 - our interpreter running Schemathesis, fixed arguments
        command, capture_output=True, text=True, timeout=seconds + 240, check=False, cwd=directory
    )
    return result.stdout + result.stderr, result.returncode
