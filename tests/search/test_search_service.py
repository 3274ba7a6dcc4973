"""Search through the service: matching, ranking, the index following changes, tenants, scopes and field rules."""

from __future__ import annotations

import uuid

from sqlalchemy import func, insert, select

from lingxi.accounts.models import Account
from lingxi.contacts.models import Contact
from lingxi.kit.models import utcnow
from lingxi.leads.models import Lead
from lingxi.search import repository
from lingxi.search.index import reindex
from lingxi.search.models import SearchTerm
from lingxi.search.service import Hit, matching_ids, search
from lingxi.tenancy.context import Actor


async def find(kit, q: str, actor: Actor | None = None, **kw) -> list[Hit]:
    async with kit.db.unit_of_work(actor or kit.actor(), write=False) as s:
        return await search(s, actor or kit.actor(), q, **kw)


def ids(hits: list[Hit]) -> set[uuid.UUID]:
    return {h.id for h in hits}


async def index_rows(kit, record_id: uuid.UUID) -> int:
    async with kit.db.unit_of_work(kit.actor(), write=False) as s:
        return await s.scalar(select(func.count()).select_from(SearchTerm).where(SearchTerm.record_id == record_id))


async def test_chinese_names_are_found_by_their_words(tenant, make) -> None:
    account = await make(tenant, Account, name="华鼎科技有限公司", city="上海")
    contact = await make(tenant, Contact, name="张伟", account_id=account.id, city="杭州", title="销售总监")

    for q in ("华鼎", "科技", "华鼎科技"):
        hits = await find(tenant, q)
        assert [(h.entity, h.id) for h in hits] == [("accounts", account.id)], q
        assert hits[0].title == "华鼎科技有限公司"
    assert await find(tenant, "鼎科") == []  # segmented, not substring

    hits = await find(tenant, "上海")
    assert ids(hits) == {account.id}
    assert [f.field for f in hits[0].fields] == ["city"]

    hits = await find(tenant, "张伟")
    assert [(h.entity, h.id, h.title) for h in hits] == [("contacts", contact.id, "张伟")]
    assert ids(await find(tenant, "销售")) == {contact.id}


async def test_english_words_match_case_insensitively_and_by_prefix(tenant, make) -> None:
    account = await make(tenant, Account, name="Acme Robotics Ltd", description="Industrial ROBOTS for warehouses")
    for q in ("acme", "ACME", "Robotics", "robot", "warehouse"):
        assert ids(await find(tenant, q)) == {account.id}, q
    assert await find(tenant, "cme") == []


async def test_phone_and_email(tenant, make) -> None:
    contact = await make(
        tenant, Contact, name="李雷", mobile="138-1234-5678", phone="+86 21 6234 5678", email="Li.Lei@Example.com"
    )
    for q in ("13812345678", "138 1234 5678", "1381234", "62345678", "li.lei@example.com", "li.lei", "example.com"):
        assert ids(await find(tenant, q)) == {contact.id}, q


async def test_custom_field_values_are_searchable(tenant, make) -> None:
    contact = await make(
        tenant, Contact, name="韩梅梅", custom={"cf_wechat": "hanmeimei_88", "cf_hobbies": ["羽毛球", "摄影"]}
    )
    hits = await find(tenant, "hanmeimei_88")
    assert ids(hits) == {contact.id}
    assert hits[0].fields[0].field == "cf_wechat"
    assert ids(await find(tenant, "摄影")) == {contact.id}


async def test_more_matched_terms_rank_first_and_titles_outweigh_descriptions(tenant, make) -> None:
    both = await make(tenant, Contact, name="王芳", city="深圳")
    name_only = await make(tenant, Contact, name="王芳", city="广州")
    city_only = await make(tenant, Contact, name="刘洋", city="深圳")
    hits = await find(tenant, "王芳 深圳")
    assert [h.id for h in hits][0] == both.id
    assert hits[0].matched_terms == 2
    assert ids(hits[1:]) == {name_only.id, city_only.id}

    in_title = await make(tenant, Lead, name="云图数据", company="某公司")
    in_description = await make(tenant, Lead, name="赵强", description="他提到云图数据的项目")
    hits = await find(tenant, "云图", entities=["leads"])
    assert [h.id for h in hits] == [in_title.id, in_description.id]


async def test_entity_filter_and_limit(tenant, make) -> None:
    await make(tenant, Account, name="星河传媒")
    contact = await make(tenant, Contact, name="星河")
    assert ids(await find(tenant, "星河", entities=["contacts"])) == {contact.id}
    assert len(await find(tenant, "星河", limit=1)) == 1


async def test_updates_rewrite_the_index_in_the_same_transaction(tenant, make) -> None:
    account = await make(tenant, Account, name="旧名称贸易", city="南京")
    async with tenant.db.unit_of_work(tenant.actor()) as s:
        row = await s.get(Account, account.id)
        row.name = "新名称科技"
        row.custom = {"cf_code": "ZX-9"}
        await s.flush()
        # Visible to the same transaction before commit.
        assert ids(await search(s, tenant.actor(), "新名称")) == {account.id}
    assert await find(tenant, "贸易") == []
    assert ids(await find(tenant, "新名称")) == {account.id}
    assert ids(await find(tenant, "南京")) == {account.id}  # untouched field kept
    assert ids(await find(tenant, "zx-9")) == {account.id}

    async with tenant.db.unit_of_work(tenant.actor()) as s:
        row = await s.get(Account, account.id)
        row.custom["cf_code"] = "QW-1"  # in-place change of the JSON dict
    assert await find(tenant, "zx-9") == []
    assert ids(await find(tenant, "qw-1")) == {account.id}


async def test_soft_delete_hides_and_restore_brings_back(tenant, make) -> None:
    contact = await make(tenant, Contact, name="欧阳娜娜", city="成都")
    assert ids(await find(tenant, "欧阳")) == {contact.id}

    async with tenant.db.unit_of_work(tenant.actor()) as s:
        (await s.get(Contact, contact.id)).deleted_at = utcnow()
    assert await find(tenant, "欧阳") == []
    assert await index_rows(tenant, contact.id) == 0

    async with tenant.db.unit_of_work(tenant.actor()) as s:
        row = await s.scalar(select(Contact).where(Contact.id == contact.id).execution_options(include_deleted=True))
        row.deleted_at = None
    assert ids(await find(tenant, "欧阳")) == {contact.id}
    assert ids(await find(tenant, "成都")) == {contact.id}


async def test_hard_delete_removes_index_rows(tenant, make) -> None:
    contact = await make(tenant, Contact, name="周杰")
    assert await index_rows(tenant, contact.id) > 0
    async with tenant.db.unit_of_work(tenant.actor()) as s:
        await s.delete(await s.get(Contact, contact.id))
    assert await index_rows(tenant, contact.id) == 0


async def test_reindex_covers_rows_inserted_around_the_unit_of_work(tenant) -> None:
    new_ids = [uuid.uuid4() for _ in range(3)]
    async with tenant.db.unit_of_work(tenant.actor()) as s:
        await s.execute(
            insert(Contact),
            [
                {"id": i, "tenant_id": tenant.id, "name": f"批量导入{n}号", "city": "苏州", "custom": {}}
                for n, i in enumerate(new_ids)
            ],
        )
    assert await find(tenant, "苏州") == []
    async with tenant.db.unit_of_work(tenant.actor()) as s:
        written = await reindex(s, tenant.id, "contacts")
    assert written > 0
    assert ids(await find(tenant, "苏州")) == set(new_ids)
    async with tenant.db.unit_of_work(tenant.actor()) as s:
        assert await reindex(s, tenant.id) == written  # idempotent, all entities


async def test_other_tenants_records_never_appear(tenant, other_tenant, make) -> None:
    mine = await make(tenant, Account, name="蓝海咨询")
    theirs = await make(other_tenant, Account, name="蓝海咨询")
    assert ids(await find(tenant, "蓝海")) == {mine.id}
    assert ids(await find(other_tenant, "蓝海")) == {theirs.id}
    async with tenant.db.unit_of_work(tenant.actor(), write=False) as s:
        found = (
            await s.scalars(select(Account.id).where(Account.id.in_(matching_ids(tenant.actor(), "accounts", "蓝海"))))
        ).all()
    assert found == [mine.id]


async def test_own_scope_finds_only_own_records(tenant, make, actor_of) -> None:
    rep1, _ = await tenant.add_user("rep1", roles=("销售代表",))
    rep2, _ = await tenant.add_user("rep2", roles=("销售代表",))
    mine = await make(tenant, Contact, name="陈静", owner_id=rep1.id)
    theirs = await make(tenant, Contact, name="陈静", owner_id=rep2.id)
    assert ids(await find(tenant, "陈静", await actor_of(tenant, rep1))) == {mine.id}
    assert ids(await find(tenant, "陈静", await actor_of(tenant, rep2))) == {theirs.id}
    assert ids(await find(tenant, "陈静")) == {mine.id, theirs.id}


async def test_masked_fields_cannot_be_used_to_find_records(tenant, make, actor_of) -> None:
    agent, _ = await tenant.add_user("agent", roles=("客服专员",))
    contact = await make(tenant, Contact, name="孙丽", mobile="13912345678", email="sun.li@corp.example")
    actor = await actor_of(tenant, agent)
    assert ids(await find(tenant, "13912345678")) == {contact.id}  # admin
    assert await find(tenant, "13912345678", actor) == []
    assert await find(tenant, "sun.li@corp.example", actor) == []
    hits = await find(tenant, "孙丽", actor)
    assert ids(hits) == {contact.id}
    assert [f.field for f in hits[0].fields] == ["name"]

    async with tenant.db.unit_of_work(actor, write=False) as s:
        by_phone = matching_ids(actor, "contacts", "13912345678")
        assert (await s.scalars(select(Contact.id).where(Contact.id.in_(by_phone)))).all() == []
        by_name = matching_ids(actor, "contacts", "孙丽")
        assert (await s.scalars(select(Contact.id).where(Contact.id.in_(by_name)))).all() == [contact.id]


async def test_hidden_values_never_show_and_masked_titles_are_masked(tenant, make, actor_of, add_role) -> None:
    await add_role(
        tenant,
        "保密查看",
        permissions={"contacts": {"read": "all"}},
        field_rules={"contacts": {"name": "masked", "city": "hidden", "cf_secret": "hidden"}},
    )
    viewer, _ = await tenant.add_user("viewer", roles=("保密查看",))
    contact = await make(
        tenant, Contact, name="周晓明", city="厦门", title="采购经理", custom={"cf_secret": "机密代号"}
    )
    actor = await actor_of(tenant, viewer)
    hits = await find(tenant, "采购", actor)
    assert ids(hits) == {contact.id}
    assert hits[0].title == "周*明"
    assert [f.field for f in hits[0].fields] == ["title"]
    for q in ("厦门", "周晓明", "机密代号"):
        assert await find(tenant, q, actor) == [], q
    assert "厦门" not in str(hits)


async def test_matching_ids_requires_every_term(tenant, make) -> None:
    both = await make(tenant, Contact, name="杨帆", city="武汉")
    await make(tenant, Contact, name="杨帆", city="长沙")
    async with tenant.db.unit_of_work(tenant.actor(), write=False) as s:
        stmt = select(Contact.id).where(Contact.id.in_(matching_ids(tenant.actor(), "contacts", "杨帆 武汉")))
        assert (await s.scalars(stmt)).all() == [both.id]
        nothing = select(Contact.id).where(Contact.id.in_(matching_ids(tenant.actor(), "contacts", "的")))
        assert (await s.scalars(nothing)).all() == []


async def test_a_broad_term_still_ranks_records_that_match_every_term_first(tenant, monkeypatch, make) -> None:
    # Shrink the per-term windows so that 上海 matches more records than its window holds.
    monkeypatch.setattr(repository, "PROBE_CAP", 3)
    monkeypatch.setattr(repository, "BRANCH_CAP", 3)
    monkeypatch.setattr(repository, "SCAN_CAP", 6)
    for n in range(10):
        await make(tenant, Contact, name=f"路人{n}号", city="上海")
    await make(tenant, Contact, name="张伟", city="北京")
    target = await make(tenant, Contact, name="张伟", city="上海")
    hits = await find(tenant, "张伟 上海")
    assert hits[0].id == target.id
    assert hits[0].matched_terms == 2
    assert all(h.matched_terms == 1 for h in hits[1:])
    assert len(await find(tenant, "上海")) == 3  # a broad term alone: its window
