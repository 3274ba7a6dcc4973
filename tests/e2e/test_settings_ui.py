"""The web UI end to end, settings: a role with a masked field reaching the user it is assigned to, a
pipeline stage reaching the board, and a personal API token that works until it is revoked (on a phone)."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import PASSWORD, Server, sign_in

pytestmark = pytest.mark.e2e


def _stamp() -> str:
    return str(int(time.time() * 1000))[-6:]


def _signed_in(page: Any, email: str | None = None) -> None:
    if email:
        sign_in(page, email)
    else:
        sign_in(page)
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_test_id("user-menu").wait_for()


def _choose(page: Any, select: Any, option: str) -> None:
    """Open an antd Select and click one of its options (retried: a click while it still opens can be lost)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    item = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option").filter(
        has_text=re.compile(f"^{re.escape(option)}$")
    )
    for _ in range(3):
        select.click()
        try:
            item.first.wait_for(state="visible", timeout=5000)
            break
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
    item.first.click()


def test_role_with_masked_phone_assigned_in_the_ui(page_factory: Any, server: Server) -> None:
    stamp = _stamp()
    contact = server.api("POST", "/contacts", json={"name": f"赵敏{stamp}", "phone": "13800138000"})
    email = f"masked{stamp}@acme-e2e.cn"
    server.api(
        "POST", "/users", json={"email": email, "name": f"掩码用户{stamp}", "password": PASSWORD, "role_ids": []}
    )
    role_name = f"只读客服{stamp}"

    page = page_factory()
    _signed_in(page)
    page.goto("/settings/roles")
    page.get_by_role("button", name="新建角色").click()
    page.locator("#role_name").fill(role_name)
    _choose(page, page.get_by_test_id("scope-contacts-read"), "全部")
    page.get_by_role("tab", name="字段安全").click()
    page.get_by_test_id("rule-contacts-phone").get_by_text("掩码", exact=True).click()
    page.get_by_test_id("role-save").click()
    page.get_by_text("已保存").first.wait_for()
    page.get_by_role("row").filter(has_text=role_name).wait_for()
    role = next(r for r in server.api("GET", "/roles")["data"] if r["name"] == role_name)
    assert role["permissions"] == {"contacts": {"read": "all"}}
    assert role["field_rules"] == {"contacts": {"phone": "masked"}}

    page.goto("/settings/users")
    _choose(page, page.get_by_test_id(f"user-roles-{email}"), role_name)
    page.get_by_text("已保存").first.wait_for()
    user = server.api("GET", "/users", params={"q": email})["data"][0]
    assert user["role_ids"] == [role["id"]]

    reader = page_factory()
    _signed_in(reader, email)
    reader.goto(f"/r/contacts/{contact['id']}")
    reader.get_by_test_id("record-title").filter(has_text=f"赵敏{stamp}").wait_for()
    phone = reader.locator("[data-field='phone']").inner_text()
    assert "13800138000" not in phone and phone.strip() != ""
    assert reader.get_by_role("button", name=re.compile(r"编\s?辑")).count() == 0  # read is all the role grants


def test_pipeline_stage_added_and_moved_reaches_the_board(page_factory: Any, server: Server) -> None:
    from playwright.sync_api import expect

    stage = f"方案评审{_stamp()}"
    page = page_factory()
    _signed_in(page)
    page.goto("/settings/pipelines")
    table = page.get_by_test_id("stages-table")
    table.locator(".ant-table-row").first.wait_for()
    page.get_by_test_id("add-stage").click()
    page.locator("#stage_name").fill(stage)
    page.locator("#stage_probability").fill("35")
    page.get_by_role("dialog").locator(".ant-modal-footer .ant-btn-primary").click()
    row = table.locator(".ant-table-row").filter(has_text=stage)
    row.filter(has_text="35%").wait_for()
    names = [n.strip() for n in table.locator("[data-stage-row]").all_inner_texts()]
    assert names[-1] == stage
    up = page.get_by_role("button", name=f"上移 {stage}")
    up.click()
    expect(up).to_be_enabled()  # the buttons wait while positions are saved
    page.wait_for_function(
        "(name) => { const rows = [...document.querySelectorAll('[data-stage-row]')].map((e) => e.textContent);"
        " return rows.indexOf(name) === rows.length - 2; }",
        arg=stage,
    )
    stages = server.api("GET", "/pipeline_stages", params={"sort": "position", "limit": 200})["data"]
    mine = next(s for s in stages if s["name"] == stage)
    assert mine["probability"] == 35
    siblings = sorted((s for s in stages if s["pipeline_id"] == mine["pipeline_id"]), key=lambda s: s["position"])
    assert [s["name"] for s in siblings].index(stage) == len(siblings) - 2

    page.goto("/pipeline")
    column = page.locator(f".kanban-column[data-stage='{stage}']")
    column.wait_for()
    columns = page.locator(".kanban-column")
    board = [columns.nth(i).get_attribute("data-stage") for i in range(columns.count())]
    assert board.index(stage) == board.index(siblings[-1]["name"]) - 1


def test_api_token_works_until_revoked_on_a_phone(page_factory: Any, server: Server) -> None:
    name = f"ERP 同步 {_stamp()}"
    page = page_factory(phone=True)
    _signed_in(page)
    page.goto("/settings/tokens")
    page.get_by_role("button", name="新建令牌").click()
    page.locator("#api_token_name").fill(name)
    page.get_by_role("dialog").locator(".ant-modal-footer .ant-btn-primary").click()
    secret = page.get_by_test_id("token-secret")
    secret.wait_for()
    token = secret.inner_text().strip()
    assert token.startswith("lx_pat_")
    headers = {"authorization": f"Bearer {token}"}
    assert httpx.get(f"{server.url}/api/v1/accounts", headers=headers, timeout=30).status_code == 200
    created = httpx.post(f"{server.url}/api/v1/accounts", headers=headers, json={"name": "令牌写入"}, timeout=30)
    assert created.status_code == 403, created.text  # the token has the read scope only
    row = page.get_by_role("row").filter(has_text=name)
    row.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"the page scrolls sideways at 375 px: {width}"

    row.get_by_role("button", name=re.compile(r"吊\s?销")).click()
    page.locator(".ant-popconfirm .ant-btn-primary").click()
    page.get_by_text("令牌已吊销").wait_for()
    row.wait_for(state="detached")
    assert httpx.get(f"{server.url}/api/v1/accounts", headers=headers, timeout=30).status_code == 401
