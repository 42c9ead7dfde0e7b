"""A static substring index for Chinese: character bigrams with positions, sharded by key.

Why our own: the usual static engines segment Chinese into words (jieba) and then miss substrings
that cross a word boundary or flood results with pages that do not contain the query (see
docs/search.md for measurements). Here every query term of two or more characters is answered
exactly from positional bigram postings: a document matches when the term's bigrams occur at
consecutive positions — no false positives, no misses. Single characters use a unigram list.

Files (all JSON, under `search/`):
- `meta.json`: shard counts, facet value dictionaries, and per document its type, title length,
  text length and facet codes — enough to count facets and rank without fetching texts;
- `bi/<n>.json`: {bigram: [doc, [positions delta-coded]], …} for keys hashing to shard n;
- `uni/<n>.json`: {char: [doc, count, doc, count, …]};
- `doc/<n>.json`: a pack of consecutive documents (title, url, type, text), about 12 KB; pack n
  starts at document `doc_packs[n]` of meta.json. Fetched only for shown results.
The client (`assets/atlas/search.js`) folds text exactly like `fold()` below.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..atlas import Atlas
from .document import SearchDocument
from .documents import build_documents
from .facets import FACETS

INDEX_DIR = "search"
TARGET_SHARD_BYTES = 6_000
DOC_PACK_BYTES = 12_000
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")


def squash(text: str) -> str:
    """Drop spaces next to Chinese characters ("达 2502 家" → "达2502家"): people type without them."""
    return _SPACES.sub(" ", _SPACE_NEAR_CJK.sub("", text)).strip()


def fold_char(char: str) -> str:
    """Per-character folding that keeps positions: full-width → half-width, upper → lower."""
    folded = unicodedata.normalize("NFKC", char).lower()
    return folded if len(folded) == 1 else char.lower()


def fold(text: str) -> str:
    return "".join(fold_char(c) for c in text)


def fold_all(texts: list[str]) -> list[str]:
    """`fold` of each text, folding each distinct character once (a build folds a million)."""
    table = {}
    for char in set().union(*texts):
        folded = fold_char(char)
        if folded != char:
            table[ord(char)] = folded
    return [text.translate(table) for text in texts]


def fnv1a(key: str) -> int:
    """32-bit FNV-1a over code points; the client computes the same to find a key's shard."""
    h = 0x811C9DC5
    for char in key:
        h ^= ord(char)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


@dataclass(frozen=True)
class IndexFiles:
    files: dict[str, str]  # path under the site root → JSON text
    documents: int


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def build_index(atlas: Atlas) -> IndexFiles:
    """The site's index: every plan paragraph and record of the Atlas."""
    return index_documents(build_documents(atlas), lambda facet, value: facet.value_label(atlas, value))


def index_documents(docs: list[SearchDocument], value_label=lambda facet, value: value,
                    memo: dict | None = None) -> IndexFiles:  # fmt: skip
    """The index files of `docs`. `memo` (text → its postings, see `postings_of`) saves the work
    for texts indexed before: after one edit, only the edited documents are read again. It is left
    holding exactly this index's texts."""
    texts = [squash(d.title) + "\n" + squash(d.body) for d in docs]
    folded = fold_all(texts)
    memo = {} if memo is None else memo

    # Documents come in order, so each key's postings are sorted by document as they are appended;
    # each posting is JSON already, as the document's own part of it.
    bi_postings: dict[str, list[str]] = defaultdict(list)
    uni_postings: dict[str, list[str]] = defaultdict(list)
    for doc_id, text in enumerate(folded):
        if text not in memo:
            memo[text] = postings_of(text)
        pairs, chars = memo[text]
        before = f"[{doc_id},"
        for pair, positions in pairs:
            bi_postings[pair].append(before + positions + "]")
        for char, count in chars:
            uni_postings[char].append(f"{doc_id},{count}")
    for stale in memo.keys() - set(folded):
        del memo[stale]

    files: dict[str, str] = {}
    for prefix, postings in (("bi", bi_postings), ("uni", uni_postings)):
        values = {key: ",".join(entries) for key, entries in postings.items()}
        count = _shard_count(sum(len(key) * 3 + len(value) + 6 for key, value in values.items()))
        shards: list[list[str]] = [[] for _ in range(count)]
        for key in sorted(values):  # the shard's keys in order, as json.dumps(sort_keys=True) writes them
            shards[fnv1a(key) % count].append(json.dumps(key, ensure_ascii=False) + ":[" + values[key] + "]")
        for number, shard in enumerate(shards):
            files[f"{INDEX_DIR}/{prefix}/{number}.json"] = "{" + ",".join(shard) + "}"
        if prefix == "bi":
            bi_shards = count
        else:
            uni_shards = count
    entries = [
        _dump({"type": doc.type, "title": squash(doc.title), "url": doc.url, "text": text, "aliases": doc.aliases})
        for doc, text in zip(docs, texts)
    ]
    starts = _pack_starts(entries)
    for number, (start, end) in enumerate(zip(starts, [*starts[1:], len(entries)])):
        files[f"{INDEX_DIR}/doc/{number}.json"] = "[" + ",".join(entries[start:end]) + "]"
    meta = _meta(docs, texts, bi_shards, uni_shards, value_label)
    meta["doc_packs"] = starts
    files[f"{INDEX_DIR}/meta.json"] = _dump(meta)
    files[f"{INDEX_DIR}/t2s.json"] = _dump(traditional_to_simplified(set(uni_postings)))
    return IndexFiles(files=files, documents=len(docs))


def traditional_to_simplified(indexed: set[str]) -> dict[str, str]:
    """Traditional characters whose simplified form occurs in the index, for queries typed in 繁体.

    OpenCC's t2s tables (Apache-2.0) decide the mapping; only characters that can lead to a hit are
    kept, so the file stays small, and the client loads it only when a query finds nothing.
    """
    import opencc

    converter = opencc.OpenCC("t2s")
    chars = [chr(code) for code in range(0x4E00, 0xA000)]
    # One call for the whole block (one per character is slow); newlines keep characters from
    # forming phrases, so each converts on its own.
    simples = converter.convert("\n".join(chars)).split("\n")
    table = {}
    for char, simple in zip(chars, simples, strict=True):
        if simple != char and len(simple) == 1 and simple in indexed:
            table[char] = simple
    return table


def _deltas(positions: list[int]) -> list[int]:
    return [positions[0], *map(int.__sub__, positions[1:], positions)] if positions else []


def postings_of(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, int]]]:
    """One folded text's part of the index: each pair of characters with its positions (JSON,
    delta-coded) and each character with its count; pairs and characters with a space left out
    (dropped by key, which is much cheaper than testing every position)."""
    positions: dict[str, list[int]] = defaultdict(list)
    for pos, pair in enumerate(map(str.__add__, text, text[1:])):
        positions[pair].append(pos)
    pairs = [
        (pair, "[" + ",".join(map(str, found if len(found) == 1 else _deltas(found))) + "]")
        for pair, found in positions.items() if not (pair[0].isspace() or pair[1].isspace())
    ]  # fmt: skip
    chars = sorted((char, count) for char, count in Counter(text).items() if not char.isspace())
    return pairs, chars


def documents_of(files: dict[str, str]) -> list[dict]:
    """Every document of an index, in order, read back from its packs (for tests and benchmarks)."""
    starts = json.loads(files[f"{INDEX_DIR}/meta.json"])["doc_packs"]
    return [doc for number in range(len(starts)) for doc in json.loads(files[f"{INDEX_DIR}/doc/{number}.json"])]


def _pack_starts(entries: list[str]) -> list[int]:
    """The first document of each pack: consecutive documents, about DOC_PACK_BYTES a pack.

    Consecutive documents are neighbouring paragraphs of one plan, which one query tends to hit
    together, so a pack usually serves several results; and a build writes a few hundred files,
    not one per document (file creation dominates writing the index on a slow disk).
    """
    starts, size = [], 0
    for doc_id, entry in enumerate(entries):
        length = len(entry.encode("utf-8")) + 1
        if not starts or size + length > DOC_PACK_BYTES:
            starts.append(doc_id)
            size = 0
        size += length
    return starts


def _shard_count(estimated_bytes: int) -> int:
    """Shards of about TARGET_SHARD_BYTES, from an estimate of the postings' JSON size (serialising
    them once more just to measure took a third of the index's build time)."""
    return max(1, estimated_bytes // TARGET_SHARD_BYTES)


def _meta(docs: list[SearchDocument], texts: list[str], bi_shards: int, uni_shards: int, value_label) -> dict:
    """Facet dictionaries and a compact row per document: [title_len, text_len, codes per facet]."""
    values: dict[str, list[str]] = {facet.name: [] for facet in FACETS}
    codes: dict[str, dict[str, int]] = {facet.name: {} for facet in FACETS}
    for doc in docs:
        for facet in FACETS:
            for value in doc.facets.get(facet.name, []):
                if value not in codes[facet.name]:
                    codes[facet.name][value] = len(values[facet.name])
                    values[facet.name].append(value)
    rows = []
    for doc, text in zip(docs, texts):
        title_length = len(squash(doc.title))
        rows.append([title_length, len(text), *[[codes[f.name][v] for v in doc.facets.get(f.name, [])] for f in FACETS]])
    return {
        "version": 2,
        "bi_shards": bi_shards,
        "uni_shards": uni_shards,
        "facets": [
            {"name": f.name, "label": f.label, "values": values[f.name], "labels": [value_label(f, v) for v in values[f.name]]}
            for f in FACETS
        ],
        "docs": rows,
    }
