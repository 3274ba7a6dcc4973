"""End-to-end tests of the web UI: a real ``lingxi serve`` on a free port with its own data folder, driven
by Debian's Chromium through Playwright.

They run once, in the SQLite pass of scripts/test.sh: the UI talks to the API the same way whichever
database is behind it, and the PostgreSQL pass already covers the API. They skip, saying why, when
Chromium, the playwright package or the web build is missing. Each test saves a screenshot under
tests/e2e/screenshots/ (git-ignored).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
BUILD_INDEX = ROOT / "lingxi" / "web" / "static" / "index.html"
SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "E2e-password-123"
TENANT = "acme"
ADMIN_EMAIL = "admin@acme-e2e.cn"


def _skip_reason() -> str | None:
    if os.environ.get("LINGXI_TEST_DATABASE_URL"):
        return "e2e UI tests run once, in the SQLite pass"
    if not CHROMIUM.exists():
        return "no /usr/bin/chromium: apt-get install -y chromium fonts-noto-cjk"
    if not BUILD_INDEX.exists():
        return "web UI not built: npm --prefix web ci && npm --prefix web run build"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is missing: pip install -e '.[test]'"
    return None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: end-to-end tests of the web UI in Chromium (tests/e2e)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _skip_reason()
    for item in items:
        if "tests/e2e/" in item.nodeid.replace(os.sep, "/") or item.nodeid.startswith("e2e/"):
            item.add_marker(pytest.mark.e2e)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _lingxi(*args: str, env: dict[str, str]) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "lingxi.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    if out.returncode != 0:
        raise RuntimeError(f"lingxi {' '.join(args)} failed: {out.stdout}\n{out.stderr}")
    return out.stdout


@dataclass
class Server:
    url: str
    env: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, email: str = ADMIN_EMAIL, password: str = PASSWORD, otp: str | None = None) -> str:
        key = f"{email}:{otp}"
        if key not in self.tokens or otp:
            body: dict[str, Any] = {"email": email, "password": password}
            if otp:
                body["otp"] = otp
            r = httpx.post(f"{self.url}/api/v1/auth/login", json=body, timeout=30)
            r.raise_for_status()
            self.tokens[key] = r.json()["access_token"]
        return self.tokens[key]

    def api(self, method: str, path: str, *, email: str = ADMIN_EMAIL, **kwargs: Any) -> Any:
        r = httpx.request(
            method, f"{self.url}/api/v1{path}", headers={"authorization": f"Bearer {self.token(email)}"}, timeout=30, **kwargs
        )
        if r.status_code >= 400:
            raise AssertionError(f"{method} {path}: {r.status_code} {r.text}")
        return r.json() if r.content else None

    def create_user(self, email: str, name: str, role: str = "销售代表") -> None:
        _lingxi("user", "create", "--tenant", TENANT, "--email", email, "--name", name, "--role", role, "--password", PASSWORD, env=self.env)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("e2e-data")
    port = _free_port()
    env = {
        **os.environ,
        "LINGXI_DATA_DIR": str(data),
        "LINGXI_LOG_LEVEL": "WARNING",
        "LINGXI_DATABASE_URL": "",
        "LINGXI_REDIS_URL": "",
    }
    env.pop("LINGXI_DATABASE_URL")
    env.pop("LINGXI_REDIS_URL")
    _lingxi("migrate", env=env)
    _lingxi("tenant", "create", TENANT, "--name", "Acme 测试", "--admin-email", ADMIN_EMAIL, "--admin-password", PASSWORD, "--admin-name", "管理员", env=env)
    log = open(data / "serve.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "lingxi.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 150  # a loaded 2-core CI machine can take a minute to import everything
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"lingxi serve did not start: {(data / 'serve.log').read_text()[-3000:]}")
        time.sleep(0.3)
    try:
        yield Server(url=url, env=env)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """Package-scoped: sync Playwright keeps an event loop running while it lives, which would break the
    async tests that run after tests/e2e in the same pytest process."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


# Browsers log every 4xx answer as a console error; the API's typed 401/409/422 answers that a test
# provokes on purpose (a wrong password, a stale version, an invalid field) are handled by the UI.
CONSOLE_NOISE = re.compile(r"Failed to load resource: the server responded with a status of 4(01|09|22)")


@pytest.fixture
def page_factory(browser: Any, server: Server, request: pytest.FixtureRequest) -> Iterator[Any]:
    """New pages (desktop by default, or a phone), each failing the test on a console error, and a
    screenshot of the last one saved when the test ends."""
    contexts: list[Any] = []
    pages: list[Any] = []
    errors: list[str] = []

    def make(*, phone: bool = False, lang: str = "zh-CN") -> Any:
        options: dict[str, Any] = {"base_url": server.url, "locale": lang}
        if phone:
            options.update(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
        else:
            options.update(viewport={"width": 1366, "height": 860})
        ctx = browser.new_context(**options)
        ctx.add_init_script(f"window.localStorage.setItem('lingxi.lang', {lang!r})")
        ctx.set_default_timeout(15_000)
        page = ctx.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and not CONSOLE_NOISE.search(m.text) else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        contexts.append(ctx)
        pages.append(page)
        return page

    yield make
    SCREENSHOTS.mkdir(exist_ok=True)
    if pages:
        try:
            pages[-1].screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
        except Exception:  # noqa: BLE001 - a screenshot must never hide the test's own outcome
            pass
    for ctx in contexts:
        ctx.close()
    assert not errors, f"console errors: {errors}"


def sign_in(page: Any, email: str = ADMIN_EMAIL, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.locator("#login_email").fill(email)
    page.locator("#login_password").fill(password)
    page.locator("form#login button[type=submit]").click()
