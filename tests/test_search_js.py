"""The shipped search engine, run by Node against fixtures written here (no browser needed).

Python builds a small index with the real index builder and computes the answers independently
(a substring scan over the documents); `node --test tests/js/` checks the client finds exactly
those, folds and hashes like Python, and ranks, filters and retries as documented. The English
edition's index (word starts for Latin terms) is checked the same way, on a small fixture and on
the bundled content's real index, against `test_search_english_index.matches`.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from builder.atlas import build_atlas
from builder.search.document import SearchDocument
from builder.search.index import ENGLISH_INDEX_DIR, _deltas, documents_of, english_source, fnv1a, fold, index_documents, index_of, squash
from conftest import ROOT
from test_search_english_index import matches

DOCS = [
    SearchDocument("园区与地点", "龙岗西先进制造业园区", "网络与通信、半导体与集成电路、智能终端", "places/a/", {"district": ["longgang"]}),
    SearchDocument("园区与地点", "坪山区", "新能源汽车 与 生物医药，ＡＩ芯片５Ｇ", "districts/pingshan/", {"district": ["pingshan"]}),
    SearchDocument("规划原文", "四、重点任务", "半导体产业集聚区在坪山，集成电路设计在南山。" * 3, "plans/p/#s4", {"district": ["pingshan"]}),
    SearchDocument("产业集群", "半导体与集成电路产业集群", "集成电路设计、制造、封测", "clusters/semiconductor/", {}),
    SearchDocument("规划原文", "坪山区产业", "坪山区的生物医药产业" + "长" * 80, "plans/q/#s1", {"district": ["pingshan"]}),
    SearchDocument("园区与地点", "龍崗", "only traditional here? no: 龙岗 simplified", "places/b/", {"district": ["longgang"]}),
]
QUERIES = ["半导体", "区在南山", "集成电路", "坪山", "坪山 生物医药", "ai芯片", "5g", "集成电路设计在南山。半导体产业集聚区在坪山", "长" * 70, "不存在", "岗", "a",
           "raditional", "implified"]  # fmt: skip  (Latin terms are substrings in the Chinese index)
ENGLISH_DOCS = [
    SearchDocument("Industry cluster", "Semiconductors and Integrated Circuits Cluster", "IC design, semi-finished parts",
                   "clusters/semiconductor/", {}, aliases=["半导体与集成电路产业集群 (bandaotiyujichengdianluchanyejiqun)"]),
    SearchDocument("District", "Pingshan District", "Pingshan Biomedicine Cluster Zone", "districts/pingshan/", {"district": ["pingshan"]},
                   aliases=["坪山区 (pingshanqu)"]),
    SearchDocument("Park or area", "Longgang West Advanced Manufacturing Park", "Longgang District · 5G, AIoT芯片",
                   "places/longgang-west/", {"district": ["longgang"]}, aliases=["龙岗西园区 (longgangxiyuanqu)"]),
    SearchDocument("Industry cluster", "Biomedicine Cluster", "Biomedicine in Pingshan and Bao'an", "clusters/biomedicine/", {},
                   aliases=["生物医药 (shengwuyiyao)"]),
    SearchDocument("Indicator", "Output of conductors", "a" + "b" * 80 + " · by long words " + "x" * 70, "plans/p/#ind-x", {}),
]  # fmt: skip
ENGLISH_QUERIES = ["semi", "semiconductor", "SEMICONDUCTORS", "conductor", "emi", "Pingshan", "pingshan", "Longgang West", "longgang", "biomedicine",
                   "bio", "5g", "g", "aiot", "iot", "坪山", "半导体", "ai芯片", "an", "'an", "-finished", "finished", "x" * 70, "a" + "b" * 70, "b" * 70,
                   "ＰＩＮＧＳＨＡＮ", "s", "不存在"]  # fmt: skip
REAL_QUERIES = {"semiconductor": "clusters/semiconductor/", "Pingshan": "districts/pingshan/", "Longgang West": "places/longgang-west/",
                "biomedicine": "clusters/biomedicine/", "pingshan": "districts/pingshan/", "longgang": "districts/longgang/",
                "坪山": "districts/pingshan/", "conductor": None, "semi": "clusters/semiconductor/", "park": None, "2025": None, "bao'an": None}  # fmt: skip


def _write(folder, index) -> None:
    """An index's files as the site stores them (compressed)."""
    for path, data in index.packed().items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)


def _expected(texts: list[str], query: str) -> list[int]:
    terms = [t for t in dict.fromkeys(fold(query).split()) if t]
    return [i for i, text in enumerate(texts) if terms and all(t in fold(text) for t in terms)]


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search-fixtures")
    docs = [SearchDocument(d.type, d.title, d.body, d.url, {**d.facets, "type": [d.type]}) for d in DOCS]
    index = index_documents(docs)
    _write(folder, index)
    texts = [doc["text"] for doc in documents_of(index.files)]
    english_docs = [SearchDocument(d.type, d.title, d.body, d.url, {**d.facets, "type": [d.type]}, aliases=d.aliases) for d in ENGLISH_DOCS]
    english = index_documents(english_docs, directory=ENGLISH_INDEX_DIR, latin_words=True, names_first=True)
    _write(folder, english)  # en/search/…, loaded as the English page does: from the English root
    english_texts = [doc["text"] for doc in documents_of(english.files, ENGLISH_INDEX_DIR)]
    real = index_of(english_source(build_atlas(ROOT)))  # the bundled content's English index
    _write(folder / "real", real)
    real_docs = documents_of(real.files, ENGLISH_INDEX_DIR)
    real_texts = [doc["text"] for doc in real_docs]
    vectors = ["ＡＩ芯片５Ｇ", "Micro LED", "达 2502 家 AI 芯片", "（市工业和信息化局牵头）", "積體電路", "a", "𠀋字"]
    expected = {
        "vectors": [[t, fold(t), squash(t), fnv1a(t)] for t in vectors],
        "deltas": [[_deltas(p), p] for p in ([0], [3, 7, 17], [5, 6, 100, 1000])],
        "queries": [[q, _expected(texts, q)] for q in QUERIES],
        "ranking": [["坪山区", 1], ["半导体与集成电路产业集群", 3], ["半导体", 3]],
        "traditional": ["坪山區", "坪山区", _expected(texts, "坪山区")],
        "filtered": ["半导体", {"district": ["pingshan"]}, [i for i in _expected(texts, "半导体") if "pingshan" in docs[i].facets.get("district", [])]],
        "english": [[q, sorted(matches(english_texts, q))] for q in ENGLISH_QUERIES],
        "english_ranking": [["semiconductor", 0], ["pingshan", 1], ["longgang west", 2], ["biomedicine", 3], ["坪山", 1], ["shengwu", 3]],
        "real": [[q, sorted(matches(real_texts, q)), url] for q, url in REAL_QUERIES.items()],
    }
    assert expected["queries"][0][1] == [0, 2, 3]  # the fixture means what it says
    assert expected["queries"][1][1] == []  # every bigram of 区在南山 occurs in doc 2, but not in a row
    assert expected["queries"][QUERIES.index("raditional")][1] == [5]  # inside a word: a substring, in the Chinese index
    english_found = dict(expected["english"])
    assert english_found["semi"] == english_found["semiconductor"] == [0] and english_found["conductor"] == [4]  # not inside semiconductor
    assert english_found["pingshan"] == [1, 3] and english_found["longgang"] == [2] and english_found["an"] == [0, 3]
    assert english_found["x" * 70] == [4] and english_found["b" * 70] == [] and english_found["iot"] == []
    real_urls = {q: {real_docs[i]["url"] for i in ids} for q, ids, _ in expected["real"]}
    for query, url in REAL_QUERIES.items():
        assert url is None or url in real_urls[query], query
    assert "clusters/semiconductor/" not in real_urls["conductor"]
    (folder / "expected.json").write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
    return folder


def test_the_shipped_engine_passes_its_node_tests(fixtures):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node missing: run `make browser` (Debian package nodejs)")
    result = subprocess.run(
        [node, "--test", str(ROOT / "tests/js")], capture_output=True, text=True, env={"ATLAS_SEARCH_FIXTURES": str(fixtures), "PATH": ""}
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    declared = len(re.findall(r"^test\(", (ROOT / "tests/js/search-engine.test.js").read_text(), re.M))
    assert declared > 10 and "# fail 0" in result.stdout and f"# pass {declared}\n" in result.stdout, result.stdout[-1500:]
