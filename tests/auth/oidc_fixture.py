"""Start the real OpenID provider (tests/auth/oidc_provider.mjs, node-oidc-provider from npm)
for a test and stop it afterwards. Nothing is mocked: discovery, JWKS, the authorization and
token endpoints, ID-token signing and RP-initiated logout are the provider's own."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
CLIENT_ID = "lotsbok-test"
CLIENT_SECRET = "lotsbok-test-secret-that-is-long-enough"  # noqa: S105 - test provider only


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "Node.js saknas: inloggningstesterna kör oidc-provider från npm. Installera nodejs.",
            pytrace=False,
        )
    if not (ROOT / "node_modules" / "oidc-provider" / "package.json").exists():
        pytest.fail("oidc-provider saknas i node_modules. Kör `npm ci` (make test gör det).", pytrace=False)
    return node


@dataclass
class RunningProvider:
    issuer: str
    process: subprocess.Popen
    output: list[str] = field(default_factory=list)

    def set_clock(self, offset_seconds: int) -> None:
        """Move the provider's clock (negative: tokens it issues look old)."""
        requests.post(
            f"{self.issuer}/__test__/clock", params={"offset": offset_seconds}, timeout=5
        ).raise_for_status()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_provider(app_base_url: str, accounts: dict[str, dict[str, Any]]) -> RunningProvider:
    """Start the provider with one client whose redirect URIs point at `app_base_url`."""
    config = {
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [f"{app_base_url}/logga-in/kommun/klar"],
                "post_logout_redirect_uris": [f"{app_base_url}/logga-in"],
            }
        ],
        "accounts": accounts,
    }
    env = {**os.environ, "OIDC_TEST_CONFIG": json.dumps(config), "NODE_ENV": "test"}
    process = subprocess.Popen(
        [_node(), str(SCRIPT)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    seen: list[str] = []
    for line in process.stdout:  # the provider's development warnings come first
        if line.startswith("READY "):
            break
        seen.append(line)
    else:
        process.kill()
        pytest.fail("oidc-provider startade inte:\n" + "".join(seen), pytrace=False)
    provider = RunningProvider(issuer=line.split()[1], process=process, output=seen)

    def drain() -> None:  # keep the pipe from filling up; kept for failure messages
        for out in process.stdout:  # type: ignore[union-attr]
            provider.output.append(out)

    threading.Thread(target=drain, daemon=True).start()
    return provider


def oidc_env(provider: RunningProvider, **extra: str) -> dict[str, str]:
    """The environment of a server that signs in through `provider`, as an operator would
    set it (config.py reads it); `extra` adds or overrides settings."""
    return {
        "OIDC_ISSUER": provider.issuer,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_ROLE_CLAIM": "roles",
        "OIDC_ROLE_MAP": "Lotsbok.Admin=admin,Lotsbok.Chef=chef,Lotsbok.Lots=lots,Lotsbok.Ledning=ledning",
        "OIDC_ALLOW_PROVISIONING": "true",
        "LOTSBOK_ACCESS_CONTACT": "Näringslivskontorets administratör, lotsbok@kommun.example",
        **extra,
    }
