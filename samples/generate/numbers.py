"""Number-rich variants of the sample departments, for the harder scanned set.

A variant is a department of :mod:`samples.generate.content` with its year and name changed
and a sentence carrying a number added to its texts: percentages (``87.5%``, ``50%以上``),
counts with a thousands comma and a counter (``3,210人``, ``1,200袋``), money
(``12,480,000円``, ``3,500千円``), dates (``令和5年10月1日``) and quotations ending in
``。」``. Every target and goal gets a grade of the legend, so the sheets are at the result
stage. The truth is computed from the variant, never read back from a rendering.
"""
from __future__ import annotations

import copy
import random

from samples.generate.content import DEPARTMENTS, Department

DEPARTMENT_NAMES = ["上下水道部", "環境経済部", "こども未来部", "総務部", "教育部", "市民生活部",
                    "健康福祉部", "都市整備部", "政策推進部", "経営企画部", "危機管理部", "産業振興部"]
ERAS = [("令和元年度", 2019), ("令和2年度", 2020), ("令和3年度", 2021), ("令和4年度", 2022),
        ("令和5年度", 2023), ("令和6年度", 2024)]
COUNTERS = ["人", "件", "袋", "回", "通", "枚", "世帯", "台", "本", "冊"]
QUOTES = ["分かりやすくなった。", "参加してよかった。", "今後も続けてほしい。", "手続が早くなった。"]


def _count(rng: random.Random) -> str:
    return f"{rng.randint(1_000, 98_000):,}{rng.choice(COUNTERS)}"


def _pct(rng: random.Random) -> str:
    value = rng.choice([rng.randint(5, 100), round(rng.uniform(10, 99.9), 1)])
    return f"{value}%"


def _money(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.randint(100_000, 48_000_000):,}円"
    return f"{rng.randint(1_000, 90_000):,}千円"


def _date(rng: random.Random, era: str) -> str:
    year = era.removesuffix("度")
    return f"{year}{rng.randint(1, 12)}月{rng.randint(1, 28)}日"


def sentence(rng: random.Random, era: str) -> str:
    """One result sentence that carries a number (or a quotation), as a municipal sheet writes it."""
    forms = [
        lambda: f"延べ{_count(rng)}の実績があり、達成率は{_pct(rng)}でした。",
        lambda: f"{_date(rng, era)}に説明会を開催し、{_count(rng)}の参加がありました。",
        lambda: f"事業費は{_money(rng)}で、前年度比{_pct(rng)}となりました。",
        lambda: f"利用率は{_pct(rng)}で、目標とした{rng.choice([50, 60, 70, 80])}%以上を達成しました。",
        lambda: f"参加者からは「{rng.choice(QUOTES)}」との声が寄せられました。",
        lambda: f"申請件数は{_count(rng)}、処理期間は平均{rng.randint(2, 30)}日でした。",
    ]
    return rng.choice(forms)()


def _add(text: str | None, rng: random.Random, era: str) -> str:
    extra = sentence(rng, era)
    return extra if not text else text + extra


def variant(key: str, seed: int) -> Department:
    """A number-rich, result-stage copy of department ``key`` (deterministic in ``seed``)."""
    rng = random.Random(seed)
    d = copy.deepcopy(DEPARTMENTS[key])
    d.key = f"{key}-{seed}"
    d.era_label, d.fiscal_year = rng.choice(ERAS)
    d.department = rng.choice(DEPARTMENT_NAMES)
    letters = [band.grade for band in d.grade_scale]
    for g in d.goals:
        g.summary = _add(g.summary, rng, d.era_label)
        g.next_steps = g.next_steps or f"{_date(rng, d.era_label)}までに次の取組を検討します。"
        g.overall_grade = rng.choice(letters)
        for t in g.targets:
            t.status = _add(t.status, rng, d.era_label)
            t.grade = rng.choice(letters)
            for it in t.initiatives:
                it.results = _add(it.results, rng, d.era_label)
    return d
