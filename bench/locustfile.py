"""Load test of the demo tenant: list, get, search and create contacts as signed-in demo users.

Run by ``bench/run_load.sh`` (locust is its own process: it monkey-patches with gevent, so nothing of
Lingxi imports it). Settings through the environment:

- ``LINGXI_BENCH_PASSWORD`` (required): the demo users' password (``LINGXI_DEMO_PASSWORD`` at load time).
- ``LINGXI_BENCH_TENANT`` (default ``demo``), ``LINGXI_BENCH_USERS`` (comma-separated e-mail local parts).
- ``LINGXI_BENCH_LOGIN_EACH=1``: every simulated user signs in itself. By default each demo account signs
  in once per locust process and its simulated users share the bearer token: an argon2 check costs
  0.1-1 s of CPU, and a thousand of them would measure password hashing, not the CRM.
"""

from __future__ import annotations

import itertools
import os
import random
from urllib.parse import quote

from gevent.lock import BoundedSemaphore
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

TENANT = os.environ.get("LINGXI_BENCH_TENANT", "demo")
PASSWORD = os.environ.get("LINGXI_BENCH_PASSWORD", "")
ACCOUNTS = [u.strip() for u in os.environ.get("LINGXI_BENCH_USERS", "admin,zhang.wei,li.na,sun.hao,wang.fang").split(",") if u.strip()]
LOGIN_EACH = os.environ.get("LINGXI_BENCH_LOGIN_EACH", "") == "1"
SEARCH_TERMS = (
    "华鼎", "上海", "科技", "有限公司", "张伟", "王芳", "李", "深圳", "物流", "医疗器械", "北京云帆", "华东",
    "Northwind", "Singapore", "logistics", "London", "trading", "james", "138", "huading",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"

_next_account = itertools.count()
_tokens: dict[str, str] = {}
_token_locks: dict[str, BoundedSemaphore] = {email: BoundedSemaphore(1) for email in ACCOUNTS}
_ids: dict[str, list[str]] = {}  # contact ids seen per demo account (a rep sees only their own)


@events.init.add_listener
def _check(environment, **_kw):
    if not PASSWORD:
        raise SystemExit("set LINGXI_BENCH_PASSWORD to the demo users' password")


class CrmUser(FastHttpUser):
    wait_time = between(1, 3)
    connection_timeout = 30.0
    network_timeout = 60.0

    def on_start(self) -> None:
        self.account = ACCOUNTS[next(_next_account) % len(ACCOUNTS)]
        if LOGIN_EACH:
            token = self._login()
        else:
            with _token_locks[self.account]:
                token = _tokens.get(self.account) or self._login()
                _tokens[self.account] = token
        self.headers = {"Authorization": f"Bearer {token}"}
        self.ids = _ids.setdefault(self.account, [])
        if not self.ids:
            self.list_contacts()

    def _login(self) -> str:
        body = {"email": f"{self.account}@demo.lingxi", "password": PASSWORD, "tenant": TENANT}
        with self.client.post("/api/v1/auth/login", json=body, name="POST /api/v1/auth/login", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"login {r.status_code}: {r.text[:200]}")
                raise RuntimeError(f"cannot sign in as {self.account}: {r.status_code}")
            return r.json()["access_token"]

    @task(4)
    def list_contacts(self) -> None:
        with self.client.get("/api/v1/contacts?limit=50", headers=self.headers, name="GET /api/v1/contacts",
                             catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}: {r.text[:200]}")
                return
            rows = r.json().get("data", [])
            if len(self.ids) < 5_000:
                self.ids.extend(row["id"] for row in rows if "id" in row)

    @task(3)
    def get_contact(self) -> None:
        if not self.ids:
            return self.list_contacts()
        self.client.get(f"/api/v1/contacts/{random.choice(self.ids)}", headers=self.headers, name="GET /api/v1/contacts/{id}")

    @task(2)
    def search(self) -> None:
        q = random.choice(SEARCH_TERMS)
        self.client.get(f"/api/v1/search?q={quote(q)}", headers=self.headers, name="GET /api/v1/search")

    @task(1)
    def create_contact(self) -> None:
        name = random.choice(SURNAMES) + "".join(random.choices(GIVEN, k=random.choice((1, 2))))
        body = {"name": name, "email": f"bench.{random.getrandbits(48):012x}@example.com", "mobile": f"139{random.randrange(10**8):08d}"}
        with self.client.post("/api/v1/contacts", json=body, headers=self.headers, name="POST /api/v1/contacts",
                              catch_response=True) as r:
            if r.status_code not in (200, 201):
                r.failure(f"{r.status_code}: {r.text[:200]}")
                return
            new_id = r.json().get("id")
            if new_id:
                self.ids.append(new_id)
