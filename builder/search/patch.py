"""An index patched after a few documents changed in place, instead of merged again from all.

After one edit, a handful of documents differ from the last build's, at the same numbers, and
only the keys of their old and new texts have other postings. Merging every document's postings
again (`Postings`) was most of a rebuild's index time, and ran beside the rendering on a
machine with two cores. Here the shards those keys hash to are read back from the last build's
files, the changed documents' entries in them replaced, and the shards written again; every
other shard is the last build's file, kept as it was. The files are byte-identical to a full
merge's (tested against one): a shard's keys stay in order, a key's postings stay gap-coded in
document order, and the number of shards follows the same estimate of their size.

`patch_postings` declines (and the index is merged in full) when documents were added, removed
or moved (every later gap would shift), when more than `PATCH_SHARE` of them changed, when a file
of the last build is missing or not as written, or when the patched size calls for another
number of shards.

Written by hand: the index format is our own (`index.py`).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

PATCH_SHARE = 0.02  # of the documents changed: past this, merging all of them again costs about as much
# one key and its postings in a shard, {"key":[n,n,…],…}; a key is a JSON string, escapes included
_ENTRY = re.compile(rb'"((?:[^"\\]|\\.)*)":\[([0-9,]*)\]')
_ESCAPED = re.compile(r'[\x00-\x1f"\\]')  # what json.dumps escapes in a string, with ensure_ascii=False


@dataclass
class Incremental:
    """What an index build needs from the last one to patch it, and leaves for the next."""

    state: dict  # the last build's `index_state`; replaced by this build's
    files: dict  # path → (digest, gzip-compressed bytes): the last build's files (`Packer`'s memo)
    keep: Callable[[str], None]  # emit the last build's file at this path as it is


def index_state(options: list, keys: list[bytes], shards: dict[str, tuple[int, int]], characters: set[str]) -> dict:
    """What the next build needs to patch this index: the options, each document's text key in
    order, each kind's (shard count, size estimate), and the characters indexed."""
    return {"options": options, "keys": keys, "shards": shards, "characters": "".join(sorted(characters))}


def changed_documents(state: dict, options: list, keys: list[bytes]) -> list[int] | None:
    """The numbers of the documents whose text changed since the last build, or None if the index
    cannot be patched (no last build, other options, documents added or removed, too many changed)."""
    before = state.get("keys")
    if before is None or state.get("options") != options or len(before) != len(keys):
        return None
    changed = [number for number, (old, new) in enumerate(zip(before, keys)) if old != new]
    return changed if len(changed) <= max(1, int(len(keys) * PATCH_SHARE)) else None


def patch_postings(incremental: Incremental, directory: str, options: list, keys: list[bytes], memo: dict,
                   emit: Callable[[str, bytes], None], shard_count: Callable[[int], int]) -> set[str] | None:  # fmt: skip
    """Emit (or keep) every shard of the index whose documents have these text `keys` (their
    postings in `memo`, the last build's texts' too) by patching the last build's; the characters
    indexed, or None, with nothing emitted, if it cannot be patched."""
    state = incremental.state
    changed = changed_documents(state, options, keys)
    if changed is None or any(state["keys"][number] not in memo for number in changed):
        return None
    patched, kinds = {}, (("bi", 0, True), ("uni", 1, False))  # kind, its blob in a memo entry, positional
    appeared, vanished = set(), set()
    for kind, blob, positional in kinds:
        count, estimate = state["shards"][kind]
        edits = [(number, memo[state["keys"][number]][blob], memo[keys[number]][blob]) for number in changed]
        result = _patched_shards(incremental.files, f"{directory}/{kind}", count, estimate, edits, positional)
        if result is None:
            return None
        shards, estimate, new, gone = result
        if shard_count(estimate) != count:
            return None
        patched[kind] = (count, estimate, shards)
        if kind == "uni":
            appeared, vanished = new, gone
    for kind, (count, _, shards) in patched.items():
        for number in range(count):
            path = f"{directory}/{kind}/{number}.json"
            emit(path, shards[number]) if number in shards else incremental.keep(path)
    state["shards"] = {kind: (count, estimate) for kind, (count, estimate, _) in patched.items()}
    return (set(state["characters"]) - vanished) | appeared


def _patched_shards(files: dict, folder: str, count: int, estimate: int, edits: list[tuple[int, bytes, bytes]],
                    positional: bool) -> tuple[dict[int, bytes], int, set[str], set[str]] | None:  # fmt: skip
    """The shards of `folder` the edits (document, old blob, new blob) change, as bytes by number;
    the new size estimate; the keys that appeared and those that vanished. None if a shard of
    the last build is missing (every shard must be, to be kept)."""
    if any(f"{folder}/{number}.json" not in files for number in range(count)):
        return None
    edited = {number for number, _, _ in edits}
    added: dict[str, dict[int, bytes]] = defaultdict(dict)
    affected: set[str] = set()
    for number, old, new in edits:
        affected.update(key for key, _ in _lines(old))
        for key, data in _lines(new):
            added[key][number] = data
            affected.add(key)
    by_shard: dict[int, list[str]] = defaultdict(list)
    from .index import fnv1a  # here, not at the top: index.py imports this module

    for key in affected:
        by_shard[fnv1a(key) % count].append(key)
    shards, appeared, vanished = {}, set(), set()
    for number, shard_keys in by_shard.items():
        entries = _entries(gzip.decompress(files[f"{folder}/{number}.json"][1]))
        if entries is None:
            return None
        for key in shard_keys:
            before = entries.pop(key, None)
            postings = _decoded(before, positional) if before is not None else {}
            for doc in edited:
                postings.pop(doc, None)
            postings.update(added.get(key, {}))
            value = _encoded(postings)
            if before is not None:
                estimate -= _estimate(key, before)
            if value:
                entries[key] = value
                estimate += _estimate(key, value)
            if before is None and value:
                appeared.add(key)
            elif before is not None and not value:
                vanished.add(key)
        shards[number] = shard_bytes(entries)
    return shards, estimate, appeared, vanished


def _estimate(key: str, value: bytes) -> int:
    """A key's part in the estimate of its shards' size (`index._write_shards`)."""
    return len(key) * 3 + len(value) + 6


def shard_bytes(entries: dict[str, bytes]) -> bytes:
    """A shard's file: `{key: [postings]}` with the keys in order, as json.dumps(sort_keys=True) writes them."""
    items = (key_literal(key) + b":[" + entries[key] + b"]" for key in sorted(entries))
    return b"{" + b",".join(items) + b"}"


def key_literal(key: str) -> bytes:
    """A key as json.dumps(ensure_ascii=False) writes it (most keys need no escaping)."""
    if _ESCAPED.search(key):
        return json.dumps(key, ensure_ascii=False).encode("utf-8")
    return b'"' + key.encode("utf-8") + b'"'


def _entries(shard: bytes) -> dict[str, bytes] | None:
    """A shard's keys and their postings (the JSON list items, as bytes), or None if the file is not
    exactly a sequence of such entries."""
    entries, end = {}, 1
    if not (shard.startswith(b"{") and shard.endswith(b"}")):
        return None
    for found in _ENTRY.finditer(shard, 1, len(shard) - 1):
        if found.start() != end + (1 if entries else 0) or entries and shard[end : end + 1] != b",":
            return None
        literal = found.group(1)  # most keys need no unescaping
        entries[json.loads(b'"' + literal + b'"') if b"\\" in literal else literal.decode("utf-8")] = found.group(2)
        end = found.end()
    return entries if end == len(shard) - 1 else None


def _lines(blob: bytes):
    """A document's blob (`postings.postings_of`) as (key, data) pairs."""
    if not blob:
        return
    for line in blob.split(b"\n"):
        key, _, data = line.partition(b"\t")
        yield key.decode("utf-8"), data


def _decoded(value: bytes, positional: bool) -> dict[int, bytes]:
    """A key's stored postings as document → its data (count, then positions if `positional`)."""
    numbers, postings, doc, i = value.split(b","), {}, 0, 0
    while i < len(numbers):
        doc += int(numbers[i])
        size = 1 + (int(numbers[i + 1]) if positional else 0)
        postings[doc] = b",".join(numbers[i + 1 : i + 1 + size])
        i += 1 + size
    return postings


def _encoded(postings: dict[int, bytes]) -> bytes:
    """Postings as stored: each document's gap from the one before, then its data (`Postings.add`)."""
    parts, last = [], None
    for doc in sorted(postings):
        parts.append(b"%d," % (doc if last is None else doc - last) + postings[doc])
        last = doc
    return b",".join(parts)
