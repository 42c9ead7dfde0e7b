"""A static substring index for Chinese: character bigrams with positions, sharded by key.

Why our own: the usual static engines segment Chinese into words (jieba) and then miss substrings
that cross a word boundary or flood results with pages that do not contain the query (see
docs/search.md for measurements). Here every query term of two or more characters is answered
exactly from positional bigram postings: a document matches when the term's bigrams occur at
consecutive positions — no false positives, no misses. Single characters use a unigram list.

Files (JSON, each stored gzip-compressed as `<name>.json.gz`, under `search/`):
- `meta.json`: shard counts, facet value dictionaries, and per document its type, title length,
  text length and facet codes — enough to count facets and rank without fetching texts;
- `bi/<n>.json`: {bigram: [doc gap, count, positions delta-coded…, doc gap, count, …]} for keys
  hashing to shard n, where a doc gap is the document's number minus the previous one's (the first
  is the number itself);
- `uni/<n>.json`: {char: [doc gap, count, doc gap, count, …]};
- `doc/<n>.json`: a pack of consecutive documents (title, url, type, text), about 40 KB before
  compression; pack n starts at document `doc_packs[n]` of meta.json. Fetched only for shown results.
Flat, gap-coded lists of small numbers compress about fourfold, so the index on disk stays under
twice the text it indexes, and a few hundred files hold it (`Packer`). The files are named `.gz`
and decompressed by the client itself (`DecompressionStream`), as Pagefind does with its own, so no
server setting is needed; a server that decodes them on the way is handled too (the client looks
for gzip's magic bytes).
The client (`assets/atlas/search.js`) folds text exactly like `fold()` below.

The English edition has an index of its own in the same format under `en/search/` (its documents:
`english.py`), whose URLs are relative to the English root. It also lists *word starts*: under the
key " x" (a space, then a character, which no bigram can be) the positions where a Latin word
begins with x, so that there a Latin term matches whole words and word prefixes only ("semi" finds
"semiconductor", "conductor" does not), while Chinese terms keep substring semantics. And its
documents' aliases (their Chinese names, with pinyin) are indexed as names: right after the title,
with meta.json's `names` saying where they end, so that a hit in them ranks right after title hits.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..atlas import Atlas
from .document import SearchDocument
from .documents import build_documents
from .facets import FACETS, Facet
from .packs import DOC_PACK_BYTES, PACKED_SUFFIX, DocPacks, Packer  # noqa: F401 - DOC_PACK_BYTES re-exported
from .patch import Incremental, index_state, key_literal, patch_postings
from .postings import LATIN_WORD, Postings, _deltas, bigram_postings, postings_of, word_starts_of  # noqa: F401 - re-exported

INDEX_DIR = "search"
ENGLISH_INDEX_DIR = "en/search"  # the English edition's (`english_pages.PREFIX` + INDEX_DIR)
TARGET_SHARD_BYTES = 24_000  # before compression; about 6 KB on disk
FORMAT_VERSION = 3
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


def _fold_table(chars) -> dict[int, str]:
    """`str.translate`'s table that folds these characters (the ones `fold_char` changes)."""
    table = {}
    for char in chars:
        folded = fold_char(char)
        if folded != char:
            table[ord(char)] = folded
    return table


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

    def packed(self, memo: dict | None = None) -> dict[str, bytes]:
        """The files as the site stores them (`Packer`)."""
        packer = Packer(memo)
        for path, text in self.files.items():
            packer.add(path, text.encode("utf-8"))
        return packer.done()


def read_packed(folder: Path, directory: str = INDEX_DIR) -> dict[str, str]:
    """An index as a built site stores it under `folder`, back as `IndexFiles.files` (for tests and
    benchmarks)."""
    files = {}
    for path in sorted((folder / directory).rglob("*.json" + PACKED_SUFFIX)):
        files[path.relative_to(folder).as_posix()[: -len(PACKED_SUFFIX)]] = gzip.decompress(path.read_bytes()).decode("utf-8")
    return files


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


@dataclass
class IndexSource:
    """What one index is made of: its documents and their facet labels, in one language."""

    directory: str  # under the site root
    documents: list[SearchDocument]
    labels: dict[tuple[str, str], str]  # (facet name, value) → the value's label
    headings: dict[str, str] = field(default_factory=lambda: {f.name: f.label for f in FACETS})
    latin_words: bool = False  # Latin terms match word starts (the English index)
    names_first: bool = False  # aliases are indexed after the title, hits there rank next (the English index)

    def value_label(self, facet: Facet, value: str) -> str:
        return self.labels[(facet.name, value)]

    def heading(self, facet: Facet) -> str:
        return self.headings[facet.name]

    def options(self) -> dict:
        """`index_documents`' keyword arguments for this index."""
        return {"directory": self.directory, "facet_label": self.heading, "latin_words": self.latin_words, "names_first": self.names_first}

    def key_text(self) -> str:
        """Everything the index is a function of, as text (the build cache's key)."""
        parts = [self.directory, self.headings, self.latin_words, self.names_first, [vars(d) for d in self.documents],
                 sorted(self.labels.items())]  # fmt: skip
        return json.dumps(parts, ensure_ascii=False, sort_keys=True)


def _labels(docs: list[SearchDocument], label: Callable[[Facet, str], str]) -> dict[tuple[str, str], str]:
    return {(f.name, v): label(f, v) for d in docs for f in FACETS for v in d.facets.get(f.name, [])}


def chinese_source(atlas: Atlas) -> IndexSource:
    """The site's index: every plan paragraph and record of the Atlas."""
    docs = build_documents(atlas)
    return IndexSource(INDEX_DIR, docs, _labels(docs, lambda facet, value: facet.value_label(atlas, value)))


def english_source(atlas: Atlas) -> IndexSource:
    """The English edition's index: every record under its English name (see `english.py`)."""
    from ..render.english_pages import EnglishText
    from .english import build_english_documents

    en = EnglishText(atlas)
    docs = build_english_documents(atlas, en)
    labels = _labels(docs, lambda facet, value: facet.english_value_label(atlas, en, value))
    return IndexSource(ENGLISH_INDEX_DIR, docs, labels, {f.name: f.english for f in FACETS}, latin_words=True, names_first=True)


def index_sources(atlas: Atlas) -> list[IndexSource]:
    """Every index the site has: the Chinese one, then the English edition's."""
    return [chinese_source(atlas), english_source(atlas)]


def index_of(source: IndexSource, memo: dict | None = None) -> IndexFiles:
    return index_documents(source.documents, source.value_label, memo, **source.options())


def build_index(atlas: Atlas) -> IndexFiles:
    """The site's (Chinese) index: every plan paragraph and record of the Atlas."""
    return index_of(chinese_source(atlas))


def build_english_index(atlas: Atlas) -> IndexFiles:
    """The English edition's index, under `en/search/`."""
    return index_of(english_source(atlas))


def index_documents(docs: list[SearchDocument], value_label=lambda facet, value: value, memo: dict | None = None, *,
                    directory: str = INDEX_DIR, facet_label=lambda facet: facet.label, latin_words: bool = False,
                    names_first: bool = False) -> IndexFiles:  # fmt: skip
    """The index files of `docs`, under `directory`, as JSON text (`write_index` says what the
    options do)."""
    files: dict[str, str] = {}
    options = {"directory": directory, "facet_label": facet_label, "latin_words": latin_words, "names_first": names_first}
    write_index(docs, lambda path, data: files.__setitem__(path, data.decode("utf-8")), value_label, memo, **options)
    return IndexFiles(files=files, documents=len(docs))


def packed_index(docs: list[SearchDocument], value_label, memo: dict | None, packed_memo: dict | None, state: dict | None = None,
                 **options) -> dict[str, bytes]:  # fmt: skip
    """The index files of `docs` as the site stores them, each compressed as it is made (`Packer`).
    With the last build's `packed_memo` and `state` (left holding this build's), an index whose
    documents changed in place is patched (`patch.py`)."""
    packer = Packer(packed_memo)
    incremental = Incremental(state, packed_memo, packer.keep) if state is not None and packed_memo is not None else None
    write_index(docs, packer.add, value_label, memo, incremental=incremental, **options)
    return packer.done()


def write_index(docs: list[SearchDocument], emit: Callable[[str, bytes], None], value_label=lambda facet, value: value,
                memo: dict | None = None, *, directory: str = INDEX_DIR, facet_label=lambda facet: facet.label,
                latin_words: bool = False, names_first: bool = False, incremental: Incremental | None = None) -> None:  # fmt: skip
    """Make the index files of `docs`, under `directory`, passing each to `emit(path, UTF-8 JSON)`.

    Each file is handed on as soon as it is complete: at 100× the bundled content, the texts,
    their postings and the files all held at once were the build's largest process. `memo`
    (`text_key` of a text → its postings, see `postings_of`) saves the work for texts indexed
    before: after one edit, only the edited documents are read again. It is left holding exactly
    this index's texts. With `incremental`, the postings are patched from the last build's files
    where they can be (`patch.py`), else merged from every document's. With `latin_words`, the word
    starts of Latin words are indexed too (`word_starts_of`) and meta.json says so. With
    `names_first`, a document's text is its title, then its aliases, then its body (`names_text`),
    and meta.json's `names` lists where each document's names end."""
    memo = {} if memo is None else memo
    packs = DocPacks(emit, directory)
    folding, seen = {}, set()  # folded once per distinct character (a build folds millions)
    lengths, names_ends, keys = [], [], []
    for doc in docs:
        if names_first:
            text, names_end = names_text(doc)
            names_ends.append(names_end)
        else:
            text = squash(doc.title) + "\n" + squash(doc.body)
        lengths.append(len(text))
        fresh = set(text) - seen
        if fresh:
            seen |= fresh
            folding.update(_fold_table(fresh))
        folded = text.translate(folding)
        key = text_key(folded) + (b"L" if latin_words else b"")  # word starts make other postings
        keys.append(key)
        if key not in memo:
            pairs, chars = postings_of(folded)
            if latin_words:
                pairs = b"\n".join(blob for blob in (pairs, word_starts_of(folded)) if blob)  # no key in both
            memo[key] = pairs, chars
        packs.add(_dump({"type": doc.type, "title": squash(doc.title), "url": doc.url, "text": text, "aliases": doc.aliases}))
    options = [directory, latin_words, names_first]
    characters = None
    if incremental is not None:
        characters = patch_postings(incremental, directory, options, keys, memo, emit, _shard_count)
    if characters is None:
        shards, characters = _merged_postings(emit, directory, keys, memo)
    else:
        shards = incremental.state["shards"]
    if incremental is not None:
        incremental.state.clear()
        incremental.state.update(index_state(options, keys, shards, characters))
    for stale in memo.keys() - set(keys):
        del memo[stale]
    meta = _meta(docs, lengths, shards["bi"][0], shards["uni"][0], value_label, facet_label)
    meta["doc_packs"] = packs.close()
    if latin_words:
        meta["latin_words"] = True
    if names_first:
        meta["names"] = names_ends
    emit(f"{directory}/meta.json", _dump(meta).encode("utf-8"))
    emit(f"{directory}/t2s.json", _dump(traditional_to_simplified(characters)).encode("utf-8"))


def _merged_postings(emit, directory: str, keys: list[bytes], memo: dict) -> tuple[dict[str, tuple[int, int]], set[str]]:
    """Every document's postings merged into the shards, emitted; each kind's (shard count, size
    estimate), and the characters indexed."""
    bi_postings, uni_postings = Postings(), Postings()  # keys: a pair of characters; one character
    for doc_id, key in enumerate(keys):
        pairs, chars = memo[key]
        bi_postings.add(doc_id, pairs)
        uni_postings.add(doc_id, chars)
    characters = uni_postings.keys()
    shards = {"bi": _write_shards(emit, f"{directory}/bi", bi_postings), "uni": _write_shards(emit, f"{directory}/uni", uni_postings)}
    return shards, characters


def text_key(folded: str) -> bytes:
    """What the memo of postings knows a text by: its digest (the text itself would be a second
    copy of everything indexed)."""
    return hashlib.blake2b(folded.encode("utf-8"), digest_size=16).digest()


def _write_shards(emit, folder: str, postings: Postings) -> tuple[int, int]:
    """Each key's postings into the shard its hash picks, `{key: [postings]}` with the keys in
    order (`patch.shard_bytes`); the number of shards, and the estimate of their size it comes from."""
    values = postings.take()
    estimate = sum(len(key) * 3 + len(value) + 6 for key, value in values.items())
    count = _shard_count(estimate)
    keys: list[list[str]] = [[] for _ in range(count)]
    for key in sorted(values):
        keys[fnv1a(key) % count].append(key)
    for number, shard in enumerate(keys):  # each key's postings dropped once in its shard: one copy at a time
        items = (key_literal(key) + b":[" + values.pop(key) + b"]" for key in shard)
        emit(f"{folder}/{number}.json", b"{" + b",".join(items) + b"}")
    return count, estimate


def traditional_to_simplified(indexed: set[str]) -> dict[str, str]:
    """Traditional characters whose simplified form occurs in the index, for queries typed in 繁体.

    OpenCC's t2s tables (Apache-2.0) decide the mapping; only characters that can lead to a hit are
    kept, so the file stays small, and the client loads it only when a query finds nothing.
    """
    table = {}
    for char, simple in _t2s_block():
        if simple != char and len(simple) == 1 and simple in indexed:
            table[char] = simple
    return table


@lru_cache(maxsize=1)
def _t2s_block() -> tuple[tuple[str, str], ...]:
    """Each character of the main CJK block with its simplified form (converted once per process:
    each index of a build needs it)."""
    import opencc

    converter = opencc.OpenCC("t2s")
    chars = [chr(code) for code in range(0x4E00, 0xA000)]
    # One call for the whole block (one per character is slow); newlines keep characters from
    # forming phrases, so each converts on its own.
    simples = converter.convert("\n".join(chars)).split("\n")
    return tuple(zip(chars, simples, strict=True))


def names_text(doc: SearchDocument) -> tuple[str, int]:
    """A document's text with its aliases as names, and where they end: "title\naliases · body"."""
    title, names = squash(doc.title), squash(" · ".join(doc.aliases))
    text = title + "\n" + squash(" · ".join(part for part in (names, doc.body) if part))
    # squashing the whole keeps the names as they were (else, as for a name ending in a space, none count)
    return text, len(title) + 1 + len(names) if names and text.startswith(names, len(title) + 1) else len(title)


def documents_of(files: dict[str, str], directory: str = INDEX_DIR) -> list[dict]:
    """Every document of an index, in order, read back from its packs (for tests and benchmarks)."""
    starts = json.loads(files[f"{directory}/meta.json"])["doc_packs"]
    return [doc for number in range(len(starts)) for doc in json.loads(files[f"{directory}/doc/{number}.json"])]


def _shard_count(estimated_bytes: int) -> int:
    """Shards of about TARGET_SHARD_BYTES, from an estimate of the postings' JSON size (serialising
    them once more just to measure took a third of the index's build time)."""
    return max(1, estimated_bytes // TARGET_SHARD_BYTES)


def _meta(docs: list[SearchDocument], lengths: list[int], bi_shards: int, uni_shards: int, value_label, facet_label) -> dict:
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
    for doc, length in zip(docs, lengths):
        title_length = len(squash(doc.title))
        rows.append([title_length, length, *[[codes[f.name][v] for v in doc.facets.get(f.name, [])] for f in FACETS]])
    return {
        "version": FORMAT_VERSION,
        "bi_shards": bi_shards,
        "uni_shards": uni_shards,
        "facets": [
            {"name": f.name, "label": facet_label(f), "values": values[f.name], "labels": [value_label(f, v) for v in values[f.name]]}
            for f in FACETS
        ],
        "docs": rows,
    }
