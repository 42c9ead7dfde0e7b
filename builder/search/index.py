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
- `doc/<id>.json`: title, url, type and text of one document, fetched only for shown results.
The client (`assets/atlas/search.js`) folds text exactly like `fold()` below.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from ..atlas import Atlas
from .document import SearchDocument
from .documents import build_documents
from .facets import FACETS

INDEX_DIR = "search"
TARGET_SHARD_BYTES = 6_000
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


def index_documents(docs: list[SearchDocument], value_label=lambda facet, value: value) -> IndexFiles:
    texts = [squash(d.title) + "\n" + squash(d.body) for d in docs]
    folded = [fold(t) for t in texts]

    bigrams: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    unigrams: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for doc_id, text in enumerate(folded):
        for pos, char in enumerate(text):
            if char.isspace():
                continue
            unigrams[char][doc_id] += 1
            following = text[pos + 1 : pos + 2]
            if following and not following.isspace():
                bigrams[char + following][doc_id].append(pos)

    bi_postings = {key: [[doc, _deltas(positions)] for doc, positions in sorted(by_doc.items())] for key, by_doc in bigrams.items()}
    uni_postings = {key: [n for doc, count in sorted(by_doc.items()) for n in (doc, count)] for key, by_doc in unigrams.items()}
    bi_shards = _shard_count(bi_postings)
    uni_shards = _shard_count(uni_postings)

    files: dict[str, str] = {}
    for prefix, postings, count in (("bi", bi_postings, bi_shards), ("uni", uni_postings, uni_shards)):
        shards: list[dict] = [{} for _ in range(count)]
        for key, value in postings.items():
            shards[fnv1a(key) % count][key] = value
        for number, shard in enumerate(shards):
            files[f"{INDEX_DIR}/{prefix}/{number}.json"] = _dump(shard)
    for doc_id, (doc, text) in enumerate(zip(docs, texts)):
        files[f"{INDEX_DIR}/doc/{doc_id}.json"] = _dump(
            {"type": doc.type, "title": squash(doc.title), "url": doc.url, "text": text, "aliases": doc.aliases}
        )
    files[f"{INDEX_DIR}/meta.json"] = _dump(_meta(docs, texts, bi_shards, uni_shards, value_label))
    files[f"{INDEX_DIR}/t2s.json"] = _dump(traditional_to_simplified(set(unigrams)))
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
    return [after - before for before, after in zip([0, *positions], positions)]


def _shard_count(postings: dict) -> int:
    return max(1, len(_dump(postings)) // TARGET_SHARD_BYTES)


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
        "version": 1,
        "bi_shards": bi_shards,
        "uni_shards": uni_shards,
        "facets": [
            {"name": f.name, "label": f.label, "values": values[f.name], "labels": [value_label(f, v) for v in values[f.name]]}
            for f in FACETS
        ],
        "docs": rows,
    }
