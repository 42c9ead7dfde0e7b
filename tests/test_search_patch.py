"""An index patched after an edit (`builder/search/patch.py`) is byte-identical to one built afresh,
and the patch is really taken where it can be, and declined where it cannot."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import builder.search.index as index_module
from builder.search.document import SearchDocument
from builder.search.index import packed_index

# Texts with what a key can hold: Chinese, Latin words (the English index's word starts), digits,
# full-width forms, and the characters JSON escapes in a key.
ALPHABET = "半导体集成电路园区龙岗西产业ＡＩaiSemiConductor 5G\"\\\t\x01，。"
TEXTS = st.text(alphabet=ALPHABET, min_size=0, max_size=40)
FACETS = {"type": ["规划原文"], "district": ["longgang"]}


def _docs(bodies: list[str]) -> list[SearchDocument]:
    return [SearchDocument("规划原文", f"第{i}段", body, f"plans/p/#s{i}", FACETS, aliases=[f"别名{i % 3}"]) for i, body in enumerate(bodies)]


def _built(docs, memo: dict | None = None, english: bool = False) -> dict[str, bytes]:
    options = {"directory": "en/search", "latin_words": True, "names_first": True} if english else {}
    if memo is None:
        return packed_index(docs, lambda facet, value: value, None, None, **options)
    return packed_index(docs, lambda facet, value: value, memo["postings"], memo["packed"], memo["state"], **options)


def _memo() -> dict:
    return {"postings": {}, "packed": {}, "state": {}}


@pytest.fixture
def merges(monkeypatch) -> list[int]:
    """How many times the postings were merged from every document (not patched)."""
    calls: list[int] = []
    real = index_module._merged_postings
    monkeypatch.setattr(index_module, "_merged_postings", lambda *args: calls.append(1) or real(*args))
    return calls


@settings(max_examples=60, deadline=None)
@given(bodies=st.lists(TEXTS, min_size=1, max_size=60), edits=st.lists(st.tuples(st.integers(0, 59), TEXTS), max_size=3),
       english=st.booleans())  # fmt: skip
def test_a_patched_index_is_the_index_built_afresh(bodies, edits, english):
    memo = _memo()
    _built(_docs(bodies), memo, english)
    edited = list(bodies)
    for number, text in edits:
        edited[number % len(edited)] = text
    assert _built(_docs(edited), memo, english) == _built(_docs(edited), english=english)
    edited[0] += "又改"  # and again from the patched one
    assert _built(_docs(edited), memo, english) == _built(_docs(edited), english=english)


def _bodies(count: int = 400) -> list[str]:
    """Paragraphs of many different characters: an index of a few dozen shards."""
    words = ["半导体", "集成电路", "园区", "龙岗西", "Semi Conductor", "智能终端", "新能源汽车", "5G"]
    return [words[i % len(words)] + "".join(chr(0x4E00 + (i * 37 + k * 11) % 3000) for k in range(30)) for i in range(count)]


def test_an_edit_in_place_is_patched_and_keeps_the_other_shards(merges, monkeypatch):
    import gzip

    memo = _memo()
    docs = _docs(_bodies())
    first = _built(docs, memo)
    assert merges == [1]
    docs[7] = replace(docs[7], body=docs[7].body + "，“修订”的\\内容")
    compressed: list[bytes] = []
    real = gzip.compress
    monkeypatch.setattr(gzip, "compress", lambda data, **options: compressed.append(data) or real(data, **options))
    patched = _built(docs, memo)
    monkeypatch.undo()
    assert merges == [1], "the edit should have been patched, not merged again"
    assert patched == _built(docs)
    shards = [path for path in patched if "/bi/" in path or "/uni/" in path]
    changed = [path for path in shards if patched[path] != first[path]]
    assert 0 < len(changed) < len(shards) and len(compressed) < len(patched)  # the other shards are the last build's


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda docs: docs + _docs(["新加的一段"]), id="a document added"),
        pytest.param(lambda docs: docs[1:], id="a document removed"),
        pytest.param(lambda docs: [replace(d, body=d.body + "改") for d in docs[:40]] + docs[40:], id="many changed"),
        pytest.param(lambda docs: [replace(docs[0], body="".join(chr(0x4E00 + i) for i in range(3000)))] + docs[1:], id="the shards grow"),
    ],
)
def test_an_index_that_cannot_be_patched_is_merged_again(merges, change):
    memo = _memo()
    docs = _docs(_bodies())
    _built(docs, memo)
    changed = change(docs)
    assert _built(changed, memo) == _built(changed)
    assert merges == [1, 1, 1]  # the first build, the patch declined, and the fresh build


def test_a_damaged_file_of_the_last_build_is_not_patched_into_the_next(merges):
    import gzip
    import hashlib

    memo = _memo()
    docs = _docs(_bodies())
    _built(docs, memo)
    for path, (_, data) in list(memo["packed"].items()):
        if "/bi/" in path:  # cut short, and listed as it is
            damaged = gzip.decompress(data)[:-5]
            memo["packed"][path] = (hashlib.blake2b(damaged, digest_size=16).digest(), gzip.compress(damaged))
    docs[3] = replace(docs[3], body=docs[3].body + "改")
    assert _built(docs, memo) == _built(docs) and merges == [1, 1, 1]
