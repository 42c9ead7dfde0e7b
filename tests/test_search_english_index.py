"""The English edition's search index, without a browser: its documents, word starts, the cache.

The English index has the Chinese one's format (docs/search.md) under `en/search/`, plus word-start
keys so that Latin terms match whole words and word prefixes; `matches()` below is the reference
the engine is held to (tests/js/, tests/test_search_english.py).
"""

from __future__ import annotations

import json
import re

import pytest

from builder.atlas import build_atlas, url_for
from builder.records import REGISTRY
from builder.render.english_pages import EnglishText
from builder.search.document import SearchDocument
from builder.search.english import TYPE_LABELS, alias, build_english_documents, pinyin
from builder.search.facets import FACETS
from builder.search.index import (
    ENGLISH_INDEX_DIR, INDEX_DIR, LATIN_WORD, _deltas, bigram_postings, documents_of, english_source, fnv1a, fold, index_documents, index_of,
    index_sources, squash, word_starts_of,
)  # fmt: skip
from conftest import ROOT

CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def at_word_start(term: str) -> bool:
    """A term of the English index that must begin a word: no Chinese, a Latin first character."""
    return not CJK.search(term) and re.match(f"[{LATIN_WORD}]", term) is not None


def matches(texts: list[str], query: str) -> set[int]:
    """Reference answer on the English index: every term (AND) as a substring if it holds Chinese,
    else where it begins a Latin word."""
    terms = [t for t in dict.fromkeys(fold(query).split()) if t]

    def found(term: str, text: str) -> bool:
        if not at_word_start(term):
            return term in text
        return re.search(f"(?<![{LATIN_WORD}]){re.escape(term)}", text) is not None

    return {i for i, text in enumerate(texts) if terms and all(found(t, fold(text)) for t in terms)}


DOCS = [
    SearchDocument("Industry cluster", "Semiconductors and Integrated Circuits Cluster", "IC design · 半导体与集成电路产业集群 (bandaoti)",
                   "clusters/semiconductor/", {"type": ["Industry cluster"]}, aliases=["半导体与集成电路产业集群 (bandaoti)"]),
    SearchDocument("District", "Pingshan District", "坪山区 (pingshanqu)", "districts/pingshan/", {"type": ["District"], "district": ["pingshan"]}),
    SearchDocument("Park or area", "Longgang West Advanced Manufacturing Park", "Longgang District · 5G, AIoT", "places/longgang-west/",
                   {"type": ["Park or area"], "district": ["longgang"]}),
]  # fmt: skip


def _load(files: dict[str, str], path: str):
    return json.loads(files[path])


def _bigram_keys(files: dict[str, str], directory: str) -> dict[str, list]:
    keys: dict[str, list] = {}
    meta = _load(files, f"{directory}/meta.json")
    for shard in range(meta["bi_shards"]):
        for key, postings in _load(files, f"{directory}/bi/{shard}.json").items():
            assert fnv1a(key) % meta["bi_shards"] == shard, key
            keys[key] = postings
    return keys


def test_word_starts_are_where_latin_words_begin():
    text = fold("Semiconductor semi-finished 5G芯片AIoT, Bao'an\nx2")
    lines = [line.partition("\t") for line in word_starts_of(text).decode().split("\n")]
    coded = {key: json.loads("[" + data + "]") for key, _, data in lines}  # key, a tab, then JSON
    assert all(value[0] == len(value) - 1 for value in coded.values())  # the count, then the positions
    starts = {key: value[1:] for key, value in coded.items()}
    assert starts[" s"] == _deltas([0, 14])  # "semiconductor", "semi"-finished; not "conductor"
    assert starts[" f"] == [19]  # after the hyphen
    assert starts[" 5"] == [28] and " g" not in starts  # 5G is one word
    assert starts[" a"] == _deltas([32, 42])  # right after 芯片, and Bao'an's "an" after the apostrophe
    assert starts[" b"] == [38] and starts[" x"] == [45]  # the body's first word, after the title's newline
    assert set(starts) == {" s", " f", " 5", " a", " b", " x"}  # not "conductor", "iot", "2"
    assert word_starts_of(fold("半导体与集成电路")) == b""


def test_the_index_lists_word_starts_only_when_asked_and_says_so():
    chinese = index_documents(DOCS).files
    english = index_documents(DOCS, directory=ENGLISH_INDEX_DIR, latin_words=True).files
    assert all(path.startswith(ENGLISH_INDEX_DIR + "/") for path in english)
    assert "latin_words" not in _load(chinese, f"{INDEX_DIR}/meta.json")
    assert _load(english, f"{ENGLISH_INDEX_DIR}/meta.json")["latin_words"] is True
    plain, worded = _bigram_keys(chinese, INDEX_DIR), _bigram_keys(english, ENGLISH_INDEX_DIR)
    assert not [key for key in plain if key.startswith(" ")]
    assert {key: value for key, value in worded.items() if not key.startswith(" ")} == plain  # the same bigrams
    texts = [fold(doc["text"]) for doc in documents_of(english, ENGLISH_INDEX_DIR)]
    truth: dict[str, dict[int, list[int]]] = {}
    for doc, text in enumerate(texts):
        for found in re.finditer(f"(?<![{LATIN_WORD}])[{LATIN_WORD}]", text):
            truth.setdefault(" " + found.group(), {}).setdefault(doc, []).append(found.start())
    stored = {
        key: bigram_postings(postings) for key, postings in worded.items() if key.startswith(" ")
    }  # fmt: skip
    assert stored == truth


def test_names_first_puts_aliases_after_the_title_and_says_where_they_end():
    files = index_documents(DOCS, directory=ENGLISH_INDEX_DIR, latin_words=True, names_first=True).files
    meta = _load(files, f"{ENGLISH_INDEX_DIR}/meta.json")
    texts = [doc["text"] for doc in documents_of(files, ENGLISH_INDEX_DIR)]
    assert texts[0] == "Semiconductors and Integrated Circuits Cluster\n半导体与集成电路产业集群(bandaoti) · IC design ·半导体与集成电路产业集群(bandaoti)"
    assert texts[0][: meta["names"][0]] == "Semiconductors and Integrated Circuits Cluster\n半导体与集成电路产业集群(bandaoti)"
    assert meta["names"][1] == meta["docs"][1][0] and texts[1] == "Pingshan District\n坪山区(pingshanqu)"  # no aliases: the title
    assert "names" not in _load(index_documents(DOCS).files, f"{INDEX_DIR}/meta.json")


def test_facet_headings_and_directory_are_options():
    files = index_documents(DOCS, directory="x/y", facet_label=lambda facet: facet.english).files
    meta = _load(files, "x/y/meta.json")
    assert [f["label"] for f in meta["facets"]] == ["Type", "District", "Industry cluster", "Kind of place", "Plan"]
    assert [d["title"] for d in documents_of(files, "x/y")] == [d.title for d in DOCS]


def test_pinyin_is_toneless_one_word_per_run_of_characters():
    assert pinyin("坪山区") == "pingshanqu"
    assert pinyin("龙岗西先进制造业园区") == "longgangxixianjinzhizaoyeyuanqu"
    assert pinyin("5G产业园（一期）") == "chanyeyuan yiqi"
    assert pinyin("AIoT") == ""
    assert alias("坪山区") == "坪山区 (pingshanqu)" and alias("AIoT") == "AIoT"


@pytest.fixture(scope="module")
def atlas():
    return build_atlas(ROOT)


@pytest.fixture(scope="module")
def english(atlas):
    source = english_source(atlas)
    index = index_of(source)
    texts = [doc["text"] for doc in documents_of(index.files, ENGLISH_INDEX_DIR)]
    return source, index, texts


def test_every_record_has_one_english_document_at_its_page(atlas, english):
    source, _, _ = english
    en = EnglishText(atlas)
    docs = iter(source.documents)
    for record_type in REGISTRY:
        if record_type.search is None:
            continue
        assert record_type.folder in TYPE_LABELS, f"{record_type.folder}: name its type in builder/search/english.py"
        for record in atlas.records[record_type.folder].values():
            doc = next(docs)
            assert doc.url == url_for(record)  # relative to the English root, like the index
            assert doc.type == TYPE_LABELS[record_type.folder] and doc.facets["type"] == [doc.type]
            (chinese,) = [d for d in record_type.search(atlas, record) if d.url == doc.url]  # the facets are the Chinese document's
            assert {k: v for k, v in doc.facets.items() if k != "type"} == chinese.facets
            if record_type.folder not in ("clusters", "roles"):  # their titles say whose, as in the Chinese index
                assert doc.title == en.plain(record)  # English, or the Chinese where a record has none (tasks)
    assert next(docs, None) is None  # and nothing else: plan paragraphs are in the Chinese index only


def test_english_names_with_the_chinese_ones_and_their_pinyin_as_aliases(atlas, english):
    source, _, _ = english
    by_url = {d.url: d for d in source.documents}
    cluster = by_url["clusters/semiconductor/"]
    assert cluster.title == "Semiconductors and Integrated Circuits Cluster"
    assert "半导体与集成电路产业集群 (bandaotiyujichengdianluchanyejiqun)" in cluster.aliases
    _, index, texts = english
    text = texts[source.documents.index(cluster)]
    assert text.startswith(cluster.title + "\n" + squash(" · ".join(cluster.aliases)))  # aliases are searched, right after the title
    district = by_url["districts/pingshan/"]
    assert district.title == "Pingshan District" and "坪山区 (pingshanqu)" in district.aliases
    place = by_url["places/longgang-west/"]
    assert place.title == "Longgang West Advanced Manufacturing Park" and "Advanced manufacturing park" in place.body
    assert by_url["clusters/lg-semiconductor/"].title.endswith(" (Longgang District)")  # whose, as in the Chinese index


def test_facet_labels_are_english(atlas, english):
    _, index, _ = english
    meta = _load(index.files, f"{ENGLISH_INDEX_DIR}/meta.json")
    facets = {f["name"]: f for f in meta["facets"]}
    assert [f["label"] for f in meta["facets"]] == [f.english for f in FACETS]
    assert set(facets["type"]["values"]) == set(facets["type"]["labels"]) <= set(TYPE_LABELS.values())
    districts = dict(zip(facets["district"]["values"], facets["district"]["labels"]))
    assert districts["pingshan"] == "Pingshan District" and districts["longgang"] == "Longgang District"
    kinds = dict(zip(facets["kind"]["values"], facets["kind"]["labels"]))
    assert kinds["先进制造业园区"] == "Advanced manufacturing park"
    for facet in ("cluster", "plan"):
        assert not [label for label in facets[facet]["labels"] if CJK.search(label)], facet


@pytest.mark.parametrize(
    "query, url",
    [
        ("semiconductor", "clusters/semiconductor/"), ("semi", "clusters/semiconductor/"), ("Pingshan", "districts/pingshan/"),
        ("pingshan", "districts/pingshan/"), ("PINGSHAN district", "districts/pingshan/"), ("Longgang West", "places/longgang-west/"),
        ("longgang", "places/longgang-west/"), ("longgang", "districts/longgang/"), ("biomedicine", "clusters/biomedicine/"),
        ("坪山", "districts/pingshan/"), ("半导体", "clusters/semiconductor/"), ("bandaoti", "clusters/semiconductor/"),
    ],
)  # fmt: skip
def test_latin_and_chinese_queries_find_the_records(english, query, url):
    source, _, texts = english
    found = {source.documents[i].url for i in matches(texts, query)}
    assert url in found, query


def test_a_latin_term_inside_a_word_is_not_a_match(english):
    source, _, texts = english
    semiconductor = next(i for i, d in enumerate(source.documents) if d.url == "clusters/semiconductor/")
    assert "conductor" in fold(texts[semiconductor])
    assert semiconductor not in matches(texts, "conductor")
    assert semiconductor not in matches(texts, "emiconductor")


def test_the_cache_key_covers_the_english_documents(tmp_path):
    from builder.cache import BuildCache
    from builder.generate import index_into
    from hostile import make_project

    atlas = build_atlas(make_project(tmp_path / "project", "x"))

    chinese, english_index = index_sources(atlas)
    assert chinese.key_text() != english_index.key_text()
    renamed = english_source(atlas)
    renamed.documents[0].title += " (renamed)"
    assert renamed.key_text() != english_index.key_text()
    relabelled = english_source(atlas)
    relabelled.labels[("district", "pingshan")] += " (relabelled)"
    assert relabelled.key_text() != english_index.key_text()

    cache = BuildCache(tmp_path / "cache", b"s" * 32)
    plain_paths, plain_count = index_into(atlas, tmp_path / "plain")
    cold_paths, cold_count = index_into(atlas, tmp_path / "cold", cache)
    warm_paths, _ = index_into(atlas, tmp_path / "warm", cache)  # from the cache's entries
    assert plain_paths == cold_paths == warm_paths and plain_count == cold_count == len(chinese.documents) + len(english_index.documents)
    assert any(p.startswith(ENGLISH_INDEX_DIR + "/") for p in plain_paths) and any(p.startswith(INDEX_DIR + "/") for p in plain_paths)
    assert len(list((tmp_path / "cache" / "index").glob("*/*"))) == 2  # one entry per index, both kept
    for path in plain_paths:
        assert (tmp_path / "plain" / path).read_bytes() == (tmp_path / "cold" / path).read_bytes() == (tmp_path / "warm" / path).read_bytes()


def test_english_documents_of_a_project_without_english_fall_back_to_chinese(tmp_path):
    from hostile import make_project

    project = make_project(tmp_path / "project", "x")
    for path in (project / "content" / "english").glob("*.yaml"):
        if path.name != "labels.yaml":
            path.unlink()
    atlas = build_atlas(project)
    docs = build_english_documents(atlas, EnglishText(atlas))
    titles = {d.title for d in docs}
    assert "园区x" in titles and "项目x" in titles  # the Chinese names, as the English pages show them
    park = next(d for d in docs if d.title == "园区x")
    assert park.aliases == [alias("园区x")] == ["园区x (yuanqu)"]


def test_a_rebuild_takes_pinyin_from_the_cache_and_never_trusts_a_damaged_entry(tmp_path, monkeypatch):
    import sys

    from builder.cache import BuildCache
    from builder.search import english as english_search

    cache = BuildCache(tmp_path, b"k" * 32)
    monkeypatch.setattr(english_search, "_PINYIN", {})
    with english_search.PinyinMemo(cache):
        assert pinyin("龙岗西园区") == "longgangxiyuanqu"
    english_search._PINYIN.clear()  # a new process: only the cache knows the name
    monkeypatch.setitem(sys.modules, "pypinyin", None)  # and pypinyin cannot be loaded
    with english_search.PinyinMemo(cache):
        assert pinyin("龙岗西园区") == "longgangxiyuanqu"
        with pytest.raises(ImportError):
            pinyin("坪山")  # not in the cache: it would have to be computed
    english_search._PINYIN.clear()
    entry = next((tmp_path / english_search.PinyinMemo.KIND).glob("*/*"))
    entry.write_bytes(entry.read_bytes().replace("longgangxiyuanqu".encode(), b"forgedforgedfor!"))
    with english_search.PinyinMemo(cache), pytest.raises(ImportError):
        pinyin("龙岗西园区")  # the altered entry was not believed
