"""The shipped search engine, run by Node against fixtures written here (no browser needed).

Python builds a small index with the real index builder and computes the answers independently
(a substring scan over the documents); `node --test tests/js/` checks the client finds exactly
those, folds and hashes like Python, and ranks, filters and retries as documented.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from builder.search.document import SearchDocument
from builder.search.index import _deltas, documents_of, fnv1a, fold, index_documents, squash
from conftest import ROOT

DOCS = [
    SearchDocument("园区与地点", "龙岗西先进制造业园区", "网络与通信、半导体与集成电路、智能终端", "places/a/", {"district": ["longgang"]}),
    SearchDocument("园区与地点", "坪山区", "新能源汽车 与 生物医药，ＡＩ芯片５Ｇ", "districts/pingshan/", {"district": ["pingshan"]}),
    SearchDocument("规划原文", "四、重点任务", "半导体产业集聚区在坪山，集成电路设计在南山。" * 3, "plans/p/#s4", {"district": ["pingshan"]}),
    SearchDocument("产业集群", "半导体与集成电路产业集群", "集成电路设计、制造、封测", "clusters/semiconductor/", {}),
    SearchDocument("规划原文", "坪山区产业", "坪山区的生物医药产业" + "长" * 80, "plans/q/#s1", {"district": ["pingshan"]}),
    SearchDocument("园区与地点", "龍崗", "only traditional here? no: 龙岗 simplified", "places/b/", {"district": ["longgang"]}),
]
QUERIES = ["半导体", "区在南山", "集成电路", "坪山", "坪山 生物医药", "ai芯片", "5g", "集成电路设计在南山。半导体产业集聚区在坪山", "长" * 70, "不存在", "岗", "a"]


def _expected(texts: list[str], query: str) -> list[int]:
    terms = [t for t in dict.fromkeys(fold(query).split()) if t]
    return [i for i, text in enumerate(texts) if terms and all(t in fold(text) for t in terms)]


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search-fixtures")
    docs = [SearchDocument(d.type, d.title, d.body, d.url, {**d.facets, "type": [d.type]}) for d in DOCS]
    index = index_documents(docs)
    for path, text in index.files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    texts = [doc["text"] for doc in documents_of(index.files)]
    vectors = ["ＡＩ芯片５Ｇ", "Micro LED", "达 2502 家 AI 芯片", "（市工业和信息化局牵头）", "積體電路", "a", "𠀋字"]
    expected = {
        "vectors": [[t, fold(t), squash(t), fnv1a(t)] for t in vectors],
        "deltas": [[_deltas(p), p] for p in ([0], [3, 7, 17], [5, 6, 100, 1000])],
        "queries": [[q, _expected(texts, q)] for q in QUERIES],
        "ranking": [["坪山区", 1], ["半导体与集成电路产业集群", 3], ["半导体", 3]],
        "traditional": ["坪山區", "坪山区", _expected(texts, "坪山区")],
        "filtered": ["半导体", {"district": ["pingshan"]}, [i for i in _expected(texts, "半导体") if "pingshan" in docs[i].facets.get("district", [])]],
    }
    assert expected["queries"][0][1] == [0, 2, 3]  # the fixture means what it says
    assert expected["queries"][1][1] == []  # every bigram of 区在南山 occurs in doc 2, but not in a row
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
    assert "# fail 0" in result.stdout and "# pass 9" in result.stdout, result.stdout[-1500:]
