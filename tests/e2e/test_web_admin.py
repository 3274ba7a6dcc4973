"""The web UI end to end, second part: an admin's custom field reaching the form, the list and the export;
branding applied live; the board's conflict path; import with its report, saved views and bulk actions."""

from __future__ import annotations

import csv
import io
import re
import time
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server, sign_in

pytestmark = pytest.mark.e2e


def _signed_in(page: Any) -> None:
    sign_in(page)
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_test_id("user-menu").wait_for()


def _stamp() -> str:
    return str(int(time.time() * 1000))[-6:]


def test_custom_field_reaches_form_list_and_export(page_factory: Any, server: Server) -> None:
    stamp = _stamp()
    field = f"cf_tier{stamp}"
    page = page_factory()
    _signed_in(page)
    page.goto("/settings/fields")
    page.locator("#custom_field_name").fill(field)
    page.locator("#custom_field_label_zh").fill(f"客户等级{stamp}")
    page.locator("#custom_field_label_en").fill(f"Tier {stamp}")
    page.get_by_role("button", name="添加字段").click()
    page.get_by_text("字段已添加").wait_for()

    page.goto("/r/accounts/new")
    page.locator("#record_accounts_name").fill(f"自定义字段客户{stamp}")
    page.locator(f"#record_accounts_{field}").fill("战略级")
    page.get_by_role("button", name="保 存").click()
    page.wait_for_url(re.compile(r"/r/accounts/[0-9a-f-]{36}$"))
    page.locator(f"[data-field='{field}']").filter(has_text="战略级").wait_for()

    page.goto("/r/accounts")
    page.get_by_role("columnheader", name=f"客户等级{stamp}").wait_for()
    page.get_by_role("row").filter(has_text=f"自定义字段客户{stamp}").filter(has_text="战略级").wait_for()

    page.get_by_test_id("export-button").click()
    with page.expect_download() as info:
        page.get_by_role("menuitem", name="CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert f"客户等级{stamp}" in rows[0]
    column = rows[0].index(f"客户等级{stamp}")
    assert any(r[column] == "战略级" for r in rows[1:])
    page.get_by_text(re.compile(r"已导出 \d+ 条记录")).wait_for()


def test_branding_is_applied_live(page_factory: Any, server: Server) -> None:
    before = server.api("GET", "/tenant/settings")["branding"]
    page = page_factory()
    _signed_in(page)
    try:
        page.goto("/settings/branding")
        page.locator("#branding_name").fill("Acme Teal")
        page.locator("#branding_primary_color").click()
        hex_input = page.locator(".ant-color-picker-input input").first
        hex_input.fill("13c2c2")
        hex_input.press("Enter")
        page.keyboard.press("Escape")
        page.get_by_role("button", name="保 存").click()
        page.get_by_text("品牌设置已保存").wait_for()
        page.get_by_test_id("brand-name").filter(has_text="Acme Teal").first.wait_for()
        page.wait_for_function("document.title === 'Acme Teal'")
        save = page.get_by_role("button", name="保 存")
        page.mouse.move(5, 700)  # off the button: its hover colour is a lighter shade
        page.wait_for_function(
            "el => getComputedStyle(el).backgroundColor === 'rgb(19, 194, 194)'", arg=save.element_handle()
        )
        assert server.api("GET", "/tenant/settings")["branding"]["primary_color"].lower() == "#13c2c2"
    finally:
        server.api("PATCH", "/tenant/settings", json={"branding": before})


def _drag(page: Any, card: Any, target: Any) -> None:
    box = card.bounding_box()
    tbox = target.bounding_box()
    assert box and tbox
    grip_y = box["y"] + box["height"] - 8  # below the title link, which opens the record instead
    page.mouse.move(box["x"] + box["width"] - 20, grip_y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 10, grip_y + 10, steps=4)
    page.mouse.move(tbox["x"] + tbox["width"] / 2, tbox["y"] + 80, steps=12)
    page.mouse.up()


def test_board_conflict_puts_the_card_back(page_factory: Any, server: Server) -> None:
    name = f"冲突商机{_stamp()}"
    opp = server.api("POST", "/opportunities", json={"name": name, "amount": 5000})
    page = page_factory()
    _signed_in(page)
    page.goto("/pipeline")
    card = page.locator(f"[data-card='{name}']")
    card.wait_for()
    columns = page.locator(".kanban-column")
    stages = [columns.nth(i).get_attribute("data-stage") for i in range(columns.count())]
    current = page.locator(".kanban-column", has=card).get_attribute("data-stage")
    target = page.locator(f".kanban-column[data-stage='{stages[stages.index(current) + 1]}']")
    server.api("PATCH", f"/opportunities/{opp['id']}", json={"amount": 6000, "version": opp["version"]})  # someone else
    _drag(page, card, target)
    page.get_by_text("该商机已被他人修改，已恢复并刷新。").wait_for()
    page.locator(f".kanban-column[data-stage='{current}'] [data-card='{name}']").wait_for()
    assert target.locator(f"[data-card='{name}']").count() == 0
    after = server.api("GET", f"/opportunities/{opp['id']}")
    assert after["stage_id"] == opp["stage_id"] and after["amount"] == 6000


def test_import_report_saved_view_and_bulk_actions(page_factory: Any, server: Server, tmp_path: Any) -> None:
    stamp = _stamp()
    source = tmp_path / "leads.csv"
    source.write_text(
        f"name,company,email\n导入甲{stamp},甲公司{stamp},a{stamp}@import-e2e.cn\n"
        f"导入乙{stamp},乙公司{stamp},b{stamp}@import-e2e.cn\n导入丙{stamp},丙公司{stamp},not-an-email\n",
        encoding="utf-8",
    )
    page = page_factory()
    _signed_in(page)
    page.goto("/r/leads")
    page.get_by_role("button", name=re.compile(r"导\s?入")).click()
    page.locator(".ant-modal input[type=file]").set_input_files(str(source))
    page.get_by_role("button", name="开始导入").click()
    report = page.get_by_test_id("import-report")
    report.wait_for(timeout=60_000)
    failed = report.get_by_role("row").filter(has_text="失败")
    failed.wait_for()
    assert "4" in failed.inner_text() and "email" in failed.inner_text()  # row 4 of the sheet, its bad email
    page.locator(".ant-modal-footer").get_by_role("button", name=re.compile(r"关\s?闭")).click()

    page.get_by_placeholder("关键词搜索").fill(stamp)
    page.get_by_placeholder("关键词搜索").press("Enter")
    page.get_by_role("row").filter(has_text=f"导入乙{stamp}").wait_for()
    assert page.get_by_role("row").filter(has_text=f"导入丙{stamp}").count() == 0
    page.get_by_test_id("views-button").click()
    page.get_by_role("menuitem", name="另存为视图…").click()
    page.locator("#save_view_name").fill(f"导入批次{stamp}")
    page.locator("#save_view_is_default").check()
    page.locator(".ant-modal").get_by_role("button", name=re.compile(r"保\s?存")).click()
    page.get_by_text("视图已保存").wait_for()

    page.reload()  # the default view comes back with the list
    page.get_by_test_id("views-button").filter(has_text=f"导入批次{stamp}").wait_for()
    page.get_by_role("row").filter(has_text=f"导入甲{stamp}").wait_for()
    assert page.get_by_placeholder("关键词搜索").input_value() == stamp

    page.locator("thead .ant-checkbox-input").check()
    bar = page.get_by_test_id("bulk-bar")
    bar.get_by_text("已选 2 条").wait_for()
    bar.get_by_role("button", name="批量修改").click()
    page.locator("#bulk_edit_field").fill("公司")
    page.locator(".ant-select-item-option[title='公司']").click()
    page.locator("#bulk_edit_value").fill(f"合并公司{stamp}")
    page.locator(".ant-modal").get_by_role("button", name=re.compile(r"保\s?存")).click()
    page.get_by_text("已修改 2 条记录").wait_for()
    leads = server.api("GET", "/leads", params={"q": stamp})["data"]
    assert sorted(lead["company"] for lead in leads) == [f"合并公司{stamp}"] * 2

    page.locator("thead .ant-checkbox-input").check()
    page.get_by_test_id("bulk-bar").get_by_role("button", name="批量删除").click()
    page.locator(".ant-popconfirm").get_by_role("button", name=re.compile(r"确\s?定")).click()
    page.get_by_text("已删除 2 条记录").wait_for()
    assert server.api("GET", "/leads", params={"q": stamp})["data"] == []
    r = httpx.get(
        f"{server.url}/api/v1/views", params={"entity": "leads"}, headers={"authorization": f"Bearer {server.token()}"}
    )
    assert [v["name"] for v in r.json()] == [f"导入批次{stamp}"]
