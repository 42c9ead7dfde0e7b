"""SubstringIndex finds exactly the texts a plain `in` test finds, and the place lookups built on it."""

from __future__ import annotations

import random
import re

from hypothesis import given
from hypothesis import strategies as st

from builder.substring_index import SubstringIndex

ALPHABET = "园区坪山龙岗半导体集成电路a1 "


@given(st.lists(st.text(ALPHABET, max_size=30), max_size=40), st.text(ALPHABET, min_size=1, max_size=5))
def test_containing_is_exactly_the_texts_that_contain_the_needle(texts, needle):
    assert SubstringIndex(texts).containing(needle) == [n for n, text in enumerate(texts) if needle in text]


def test_needles_drawn_from_the_texts_themselves():
    rng = random.Random(7)
    texts = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 60))) for _ in range(300)]
    index = SubstringIndex(texts)
    for _ in range(500):
        text = rng.choice([t for t in texts if len(t) > 4])
        start = rng.randrange(len(text) - 3)
        needle = text[start : start + rng.randint(1, 4)]
        assert index.containing(needle) == [n for n, t in enumerate(texts) if needle in t]


def plain_name_positions(atlas, text: str, name: str) -> list[int]:
    """`Atlas.name_positions` as it was written before the index: every longer name scanned."""
    covered = []
    for other in atlas.place_names():
        if len(other) > len(name) and name in other:
            covered += [(m.start(), m.end()) for m in re.finditer(re.escape(other), text)]
    return [m.start() for m in re.finditer(re.escape(name), text) if not any(s <= m.start() and m.end() <= e for s, e in covered)]


def test_place_mentions_and_naming_match_a_plain_scan():
    """The indexed lookups give what scanning every paragraph and record gives (the old way)."""
    from builder.atlas import build_atlas
    from conftest import ROOT

    atlas = build_atlas(ROOT)
    for place in list(atlas.places.values()):
        names = [n for n in dict.fromkeys([place.name, *place.aliases]) if n]
        expected = []
        for plan_id, text in atlas.texts.items():
            blocks = [b for b in text.blocks if b.kind != "marker" and any(n in b.text and plain_name_positions(atlas, b.text, n) for n in names)]
            if blocks and plan_id in atlas.plans:
                expected.append((atlas.plans[plan_id], blocks))
        assert atlas.mentions(place) == expected, place.id
        for _, blocks in expected:
            for block in blocks:
                for name in names:
                    assert atlas.name_positions(block.text, name) == plain_name_positions(atlas, block.text, name)
        for folder in ("indicators", "tasks"):
            texts = {r.id: " ".join([getattr(r, "name", "") or getattr(r, "title", ""), *(c.quote for c in r.citations)]) for r in atlas.records[folder].values()}
            assert [r.id for r in atlas.naming(folder, place)] == [i for i, t in texts.items() if any(n in t for n in names)]
