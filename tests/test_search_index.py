"""The index builder, without a browser: the format in docs/search.md, held exactly."""

from __future__ import annotations

import json
from collections import defaultdict

from builder.search.document import SearchDocument
from builder.search.facets import FACETS
from builder.search.index import DOC_PACK_BYTES, _deltas, bigram_postings, documents_of, fnv1a, fold, index_documents, squash, text_key

DOCS = [
    SearchDocument("规划原文", "第一章", "半导体 与 集成电路，ＡＩ芯片", "plans/p/#a", {"type": ["规划原文"], "district": ["longgang"]}),
    SearchDocument("园区与地点", "龙岗西园区", "半导体半导体", "places/x/", {"type": ["园区与地点"], "district": ["longgang", "pingshan"], "kind": ["园区"]}),
    SearchDocument("产业集群", "集成电路", "", "clusters/ic/", {"type": ["产业集群"]}),
]


def _load(files: dict[str, str], path: str):
    return json.loads(files[path])


def test_folding_keeps_one_character_per_character():
    for text in ["ＡＩ芯片５Ｇ", "Ⅻ号", "ﬁ", "（牵头）", "積體電路", "𠀋"]:
        assert len(fold(text)) == len(text)
    assert fold("ＡＩ芯片５Ｇ") == "ai芯片5g"
    assert squash("达 2502 家  AI 芯片 ") == "达2502家AI芯片"


def test_fnv1a_is_the_standard_32_bit_hash():
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C  # published FNV-1a test vector
    assert fnv1a("foobar") == 0xBF9CF968


def test_positions_are_delta_coded():
    assert _deltas([3, 7, 17]) == [3, 4, 10]
    assert _deltas([]) == []


def test_bigram_postings_hold_every_occurrence_and_nothing_else():
    files = index_documents(DOCS).files
    meta = _load(files, "search/meta.json")
    texts = [doc["text"] for doc in documents_of(files)]
    truth: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for doc, text in enumerate(texts):
        folded = fold(text)
        for pos in range(len(folded) - 1):
            if not folded[pos].isspace() and not folded[pos + 1].isspace():
                truth[folded[pos : pos + 2]][doc].append(pos)
    stored: dict[str, dict[int, list[int]]] = {}
    for shard in range(meta["bi_shards"]):
        for key, postings in _load(files, f"search/bi/{shard}.json").items():
            assert fnv1a(key) % meta["bi_shards"] == shard, key  # each key sits in its hash's shard
            stored[key] = bigram_postings(postings)
    assert stored == {key: dict(by_doc) for key, by_doc in truth.items()}


def test_unigrams_count_characters_per_document():
    files = index_documents(DOCS).files
    meta = _load(files, "search/meta.json")
    entry = None
    for shard in range(meta["uni_shards"]):
        entry = entry or _load(files, f"search/uni/{shard}.json").get("半")
    assert entry == [0, 1, 1, 2]  # doc 0 once, doc 1 (a gap of one) twice


def test_meta_rows_are_title_length_text_length_and_facet_codes():
    files = index_documents(DOCS).files
    meta = _load(files, "search/meta.json")
    assert [f["name"] for f in meta["facets"]] == [f.name for f in FACETS]
    district = next(f for f in meta["facets"] if f["name"] == "district")
    assert district["values"] == ["longgang", "pingshan"]
    row = meta["docs"][1]
    text = documents_of(files)[1]["text"]
    assert row[0] == len("龙岗西园区") and row[1] == len(text)
    codes = dict(zip([f["name"] for f in meta["facets"]], row[2:]))
    assert codes["district"] == [0, 1] and codes["cluster"] == []
    assert text == "龙岗西园区\n半导体半导体"  # title, newline, squashed body


def test_documents_keep_type_title_url_and_aliases():
    docs = [SearchDocument("部门", "市工业和信息化局", "工信局", "departments/gxj/", {"type": ["部门"]}, aliases=["工信局"])]
    (doc,) = documents_of(index_documents(docs).files)
    assert doc == {"type": "部门", "title": "市工业和信息化局", "url": "departments/gxj/", "text": "市工业和信息化局\n工信局", "aliases": ["工信局"]}


def test_documents_are_packed_in_order_into_bounded_files():
    docs = [SearchDocument("规划原文", f"第{i}段", "半导体与集成电路" * (i % 40), f"plans/p/#p{i}", {"type": ["规划原文"]}) for i in range(400)]
    files = index_documents(docs).files
    meta = _load(files, "search/meta.json")
    packs = [path for path in files if path.startswith("search/doc/")]
    assert len(packs) == len(meta["doc_packs"]) and 1 < len(packs) < len(docs) / 4
    assert meta["doc_packs"][0] == 0 and meta["doc_packs"] == sorted(set(meta["doc_packs"]))
    for path in packs:  # a pack passes the target only when one document alone does
        pack = json.loads(files[path])
        assert len(files[path].encode("utf-8")) <= DOC_PACK_BYTES + 2 or len(pack) == 1
    assert [d["title"] for d in documents_of(files)] == [f"第{i}段" for i in range(400)]


def test_a_memo_of_earlier_postings_gives_the_same_index_and_keeps_only_current_texts():
    memo: dict = {}
    first = index_documents(DOCS, memo=memo).files
    assert len(memo) == len(DOCS)
    edited = [DOCS[0], SearchDocument("园区与地点", "龙岗西园区", "半导体集成电路", "places/x/", DOCS[1].facets), DOCS[2]]
    again = index_documents(edited, memo=memo).files
    assert again == index_documents(edited).files  # the memo changes nothing in the output
    assert again != first and len(memo) == len(edited)  # the old text of document 1 is gone
    assert all(text_key(fold(squash(d.title) + "\n" + squash(d.body))) in memo for d in edited)


def test_a_memo_of_compressed_files_compresses_only_what_changed(monkeypatch):
    import gzip

    memo: dict = {}
    first = index_documents(DOCS)
    packed = first.packed(memo)
    assert packed == first.packed() and set(memo) == set(first.files)  # the memo changes nothing in the output
    assert all(gzip.decompress(packed[path + ".gz"]).decode() == text for path, text in first.files.items())
    edited = index_documents([DOCS[0], SearchDocument("园区与地点", "龙岗西园区", "半导体集成电路", "places/x/", DOCS[1].facets)])
    compressed: list[bytes] = []
    real = gzip.compress
    monkeypatch.setattr(gzip, "compress", lambda data, **options: compressed.append(data) or real(data, **options))
    again = edited.packed(memo)
    monkeypatch.undo()
    changed = [path for path, text in edited.files.items() if first.files.get(path) != text]
    assert sorted(data.decode() for data in compressed) == sorted(edited.files[path] for path in changed)  # only those
    assert 0 < len(changed) < len(edited.files)
    assert again == edited.packed() and set(memo) == set(edited.files)  # the files of the old index are gone


# --- found missing by the mutation run (docs/testing.md) --------------------------------------


def _corpus(n: int) -> list[SearchDocument]:
    """Enough distinct text for several shards of each kind (bigrams outnumber characters)."""
    chars = [chr(0x4E00 + (i * 7919) % 20000) for i in range(3000)]
    return [
        SearchDocument("规划原文", f"第{n}段", "".join(chars[(i * 37) % 2900 : (i * 37) % 2900 + 90]), f"p/#{i}", {"type": ["规划原文"]})
        for i in range(n)
    ]


def test_every_file_is_compact_json_with_sorted_keys_and_chinese_as_written():
    files = index_documents(DOCS).files
    for path, text in files.items():
        value = json.loads(text)
        assert text == json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True), path
    assert "半导" in files["search/bi/0.json"] or any("半导" in files[p] for p in files if "/bi/" in p)


def test_shard_counts_in_meta_are_the_files_written():
    files = index_documents(_corpus(400)).files
    meta = _load(files, "search/meta.json")
    written = {kind: len([p for p in files if p.startswith(f"search/{kind}/")]) for kind in ("bi", "uni")}
    assert meta["bi_shards"] == written["bi"] and meta["uni_shards"] == written["uni"]
    assert meta["version"] == 3  # the client refuses an index of another version
    assert [(f["name"], f["label"]) for f in meta["facets"]] == [(f.name, f.label) for f in FACETS]
    assert written["bi"] > written["uni"] > 1


def test_the_index_counts_its_documents():
    assert index_documents(DOCS).documents == 3
    assert index_documents([]).documents == 0


def test_shard_count_is_at_least_one_and_about_the_target_size_each():
    from builder.search.index import TARGET_SHARD_BYTES, _shard_count

    assert _shard_count(0) == _shard_count(TARGET_SHARD_BYTES - 1) == 1
    assert _shard_count(2 * TARGET_SHARD_BYTES) == 2 and _shard_count(10 * TARGET_SHARD_BYTES + 5) == 10


def _pack_starts(entries: list[str]) -> tuple[list[int], dict[str, bytes]]:
    from builder.search.packs import DocPacks

    emitted: dict[str, bytes] = {}
    packs = DocPacks(emitted.__setitem__, "s")
    for entry in entries:
        packs.add(entry)
    return packs.close(), emitted


def test_documents_are_packed_up_to_the_byte_budget_exactly():
    entry = "x" * (DOC_PACK_BYTES // 10 - 1)  # with its separating comma, a tenth of a pack
    starts, emitted = _pack_starts([entry] * 25)
    assert starts == [0, 10, 20]
    assert list(emitted) == ["s/doc/0.json", "s/doc/1.json", "s/doc/2.json"]  # each emitted once, the last on close
    assert emitted["s/doc/2.json"] == ("[" + ",".join([entry] * 5) + "]").encode()
    assert _pack_starts(["x" * (DOC_PACK_BYTES * 2)] * 3)[0] == [0, 1, 2]  # an oversized document packs alone
    assert _pack_starts([]) == ([], {})
    assert _pack_starts(["区" * (DOC_PACK_BYTES // 30 - 1)] * 12)[0] == [0, 10]  # bytes of UTF-8, not characters


def test_squash_collapses_space_runs_and_drops_space_next_to_chinese():
    assert squash("  a \t\n b  ") == "a b"
    assert squash("达 2502 家") == "达2502家"
    assert squash("AI  芯片 and  more") == "AI芯片and more"


def test_traditional_characters_map_only_to_simplified_ones_in_the_index():
    from builder.search.index import traditional_to_simplified

    table = traditional_to_simplified({"区", "国", "业"})
    assert table["區"] == "区" and table["國"] == "国" and table["業"] == "业"
    assert set(table.values()) <= {"区", "国", "业"}  # nothing that cannot lead to a hit
    assert all(len(simple) == 1 and simple != char for char, simple in table.items())
    assert "東" not in table and "区" not in table
    files = index_documents(DOCS).files
    assert _load(files, "search/t2s.json")["導"] == "导"  # 半导体 is indexed


def test_facet_labels_come_from_the_atlas(tmp_path):
    from builder.atlas import build_atlas
    from builder.search.index import build_index
    from hostile import make_project

    atlas = build_atlas(make_project(tmp_path / "project", "x"))
    index = build_index(atlas)
    meta = _load(index.files, "search/meta.json")
    district = next(f for f in meta["facets"] if f["name"] == "district")
    assert dict(zip(district["values"], district["labels"])) == {"longgang": "甲区x", "pingshan": "乙区x"}
    assert index.documents == len(meta["docs"]) > 10
    titles = [doc["title"] for doc in documents_of(index.files)]
    assert "园区x" in titles and "项目x" in titles


def test_postings_gap_code_each_key_across_documents_as_the_client_reads_them():
    from builder.search.index import Postings, bigram_postings, postings_of

    texts = ["半导体半导体", "芯片", "半导体芯片"]
    bigrams = Postings()
    for doc_id, text in enumerate(texts):
        pairs, _ = postings_of(text)
        bigrams.add(doc_id, pairs)
    values = bigrams.take()
    assert bigrams.buffers == {}  # emptied as read
    decoded = {key: bigram_postings(json.loads(b"[" + value + b"]")) for key, value in values.items()}
    assert decoded["半导"] == {0: [0, 3], 2: [0]} and decoded["芯片"] == {1: [0], 2: [3]}
    assert decoded["体半"] == {0: [2]} and decoded["体芯"] == {2: [2]}
    assert values["芯片"] == b"1,1,0,1,1,3"  # doc 1 (gap 1), one position: 0; doc 2 (gap 1), one: 3
