"""Believable identities for the demo tenant: people, companies, phones, e-mail addresses and places.

Every function draws from the ``random.Random`` it is given, so a seed always yields the same tenant.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate

from lingxi.accounts.models import INDUSTRIES
from lingxi.demo import vocab

_SURNAME_CUM = list(accumulate(w for _, _, w in vocab.SURNAMES))
_INDUSTRY_NAMES = tuple(vocab.INDUSTRY_WEIGHTS)
_INDUSTRY_CUM = list(accumulate(vocab.INDUSTRY_WEIGHTS.values()))
_CITY_CUM = list(accumulate(vocab.CN_CITY_WEIGHTS))
assert set(_INDUSTRY_NAMES) == set(INDUSTRIES), "demo industries must match the Account picklist"


@dataclass(frozen=True)
class Person:
    name: str
    handle: str  # the local part of a work e-mail address, before de-duplication
    chinese: bool


@dataclass(frozen=True)
class Place:
    city: str
    province: str | None
    country: str
    region: str  # 华东, 华北, 华南, 西部, 华中 or "overseas"
    area_code: str | None
    pinyin: str
    districts: tuple[str, ...]
    legal_suffix: str | None = None
    domain_suffix: str = ".com"
    phone_prefix: str | None = None

    @property
    def overseas(self) -> bool:
        return self.region == "overseas"


@dataclass(frozen=True)
class Company:
    name: str
    short: str  # for deal names: "华鼎科技", "Northwind Trading"
    domain: str
    industry: str
    place: Place
    address: str
    phone: str

    @property
    def english(self) -> bool:
        return self.place.overseas


CN_PLACES = tuple(
    Place(city, province, "中国", region, code, py, districts) for city, province, region, code, py, districts in vocab.CN_CITIES
)
FOREIGN_PLACES = tuple(
    Place(city, None, country, "overseas", None, city.lower().replace(" ", ""), streets, suffix, domain, phone)
    for city, country, suffix, domain, phone, streets in vocab.FOREIGN_CITIES
)


def chinese_person(rng: random.Random) -> Person:
    surname, s_py, _ = rng.choices(vocab.SURNAMES, cum_weights=_SURNAME_CUM)[0]
    chars = rng.sample(vocab.GIVEN_CHARS, 2 if rng.random() < 0.65 else 1)
    given = "".join(c for c, _ in chars)
    g_py = "".join(p for _, p in chars)
    style = rng.random()
    if style < 0.45:
        handle = f"{s_py}{g_py}"
    elif style < 0.75:
        handle = f"{s_py}.{g_py}"
    elif style < 0.9:
        handle = f"{g_py}.{s_py}"
    else:
        handle = f"{''.join(p[0] for _, p in chars)}{s_py}"
    return Person(surname + given, handle, True)


def english_person(rng: random.Random) -> Person:
    first, last = rng.choice(vocab.EN_FIRST), rng.choice(vocab.EN_LAST)
    clean = lambda s: s.lower().replace(" ", "").replace("ü", "ue")  # noqa: E731
    handle = f"{clean(first)}.{clean(last)}" if rng.random() < 0.7 else f"{clean(first)[0]}{clean(last)}"
    return Person(f"{first} {last}", handle, False)


def person_for(rng: random.Random, company: Company | None) -> Person:
    if company is not None and company.english:
        return english_person(rng) if rng.random() < 0.8 else chinese_person(rng)
    return chinese_person(rng) if rng.random() < 0.97 else english_person(rng)


def mobile(rng: random.Random, place: Place | None = None) -> str:
    if place is not None and place.overseas:
        return f"{place.phone_prefix.split()[0] if place.phone_prefix else '+1'} 9{rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}"
    return rng.choice(vocab.MOBILE_PREFIXES) + f"{rng.randrange(0, 10**8):08d}"


def landline(rng: random.Random, place: Place) -> str:
    if place.overseas:
        return f"{place.phone_prefix}{rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
    digits = 8 if len(place.area_code or "") == 3 else 7 + (rng.random() < 0.5)
    first = rng.choice("5678")
    return f"{place.area_code}-{first}{rng.randrange(0, 10 ** (digits - 1)):0{digits - 1}d}"


def industry(rng: random.Random) -> str:
    return rng.choices(_INDUSTRY_NAMES, cum_weights=_INDUSTRY_CUM)[0]


def cn_place(rng: random.Random) -> Place:
    return rng.choices(CN_PLACES, cum_weights=_CITY_CUM)[0]


def address(rng: random.Random, place: Place) -> str:
    if place.overseas:
        return f"{rng.randrange(1, 300)} {rng.choice(place.districts)}, {place.city}"
    return f"{place.city}市{rng.choice(place.districts)}{rng.choice(vocab.ROADS)}{rng.randrange(1, 999)}号"


def company(rng: random.Random, *, overseas: bool | None = None, sector: str | None = None) -> Company:
    """A company in a Chinese city (most) or abroad, in the given or a random industry."""
    sector = sector or industry(rng)
    if overseas is None:
        overseas = rng.random() < 0.13
    if overseas:
        return _english_company(rng, sector)
    place = cn_place(rng)
    if sector == "政府与公共事业":
        unit, short, token = rng.choice(vocab.PUBLIC_SECTOR_UNITS)
        name = f"{place.city}市{unit}"
        domain = f"{token}.{place.pinyin}.gov.cn"
        return Company(name, f"{place.city}{short}", domain, sector, place, address(rng, place), landline(rng, place))
    brand, b_py = rng.choice(vocab.BRANDS)
    word, token = rng.choice(vocab.INDUSTRY_WORDS[sector])
    form = rng.random()
    if form < 0.4:
        name = f"{brand}{word}（{place.city}）有限公司"
    elif form < 0.75:
        name = f"{place.city}{brand}{word}有限公司"
    elif form < 0.9:
        name = f"{brand}{word}股份有限公司"
    else:
        name = f"{brand}集团有限公司"
        word = "集团"
    suffix = rng.choice((".com", ".com.cn", ".cn"))
    domain = f"{b_py}{'-' + token if rng.random() < 0.5 else token}{suffix}" if word != "集团" else f"{b_py}group{suffix}"
    return Company(name, f"{brand}{word}", domain, sector, place, address(rng, place), landline(rng, place))


def _english_company(rng: random.Random, sector: str) -> Company:
    place = rng.choice(FOREIGN_PLACES)
    if sector == "政府与公共事业":
        sector = "专业服务"
    first = rng.choice(vocab.EN_COMPANY_FIRST)
    noun = rng.choice(vocab.EN_COMPANY_NOUN[sector])
    short = f"{first} {noun}"
    name = f"{short} {place.legal_suffix}"
    domain = f"{first.lower().replace(' ', '')}{noun.lower().replace(' ', '')}{place.domain_suffix}"
    return Company(name, short, domain, sector, place, address(rng, place), landline(rng, place))


class EmailBook:
    """Hands out unique addresses: ``zhangwei@huading-tech.com``, then ``zhangwei2@...``."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def address(self, handle: str, domain: str) -> str:
        candidate = f"{handle}@{domain}"
        n = 1
        while candidate in self._seen:
            n += 1
            candidate = f"{handle}{n}@{domain}"
        self._seen.add(candidate)
        return candidate


FREE_MAIL = ("qq.com", "163.com", "126.com", "foxmail.com", "gmail.com", "outlook.com")
