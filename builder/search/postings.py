"""The index's postings: each key's documents and positions, gap-coded, as the client reads them.

A document's part of the index is made once per text (`postings_of`, kept between builds by the
cache's memo) as *blobs*: UTF-8 lines of a key, a tab, then the key's data in that document as
JSON list items (its count and delta-coded positions, or its count). `Postings` appends each
document's lines to one growing ASCII buffer per key, after the document's gap from the key's
previous document.

Why bytes and buffers rather than strings and lists: at 100× the bundled content, tens of millions
of small strings and list slots took gigabytes, and a Chinese key made every string holding it two
bytes a character (digits included). A tab never occurs in a key: keys with white space are left
out, and the word-start keys (`word_starts_of`) begin with a space, not a tab.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

# Characters of Latin words, folded (lower case) or not: ASCII letters and digits, Latin letters
# with diacritics (not × and ÷). The client's LATIN_WORD is the same class.
LATIN_WORD = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_WORD_START = re.compile(f"(?<![{LATIN_WORD}])[{LATIN_WORD}]")


class Postings:
    """Each key's postings, as the index stores them, while documents are added in order."""

    def __init__(self):
        self.buffers: dict[bytes, bytearray] = {}
        self.last: dict[bytes, int] = {}

    def add(self, doc_id: int, blob: bytes) -> None:
        if not blob:
            return
        buffers, last = self.buffers, self.last
        for line in blob.split(b"\n"):
            key, _, data = line.partition(b"\t")
            buffer = buffers.get(key)
            if buffer is None:
                buffers[key] = buffer = bytearray(b"%d," % doc_id)
            else:
                buffer += b",%d," % (doc_id - last[key])
            buffer += data
            last[key] = doc_id

    def keys(self) -> set[str]:
        return {key.decode("utf-8") for key in self.buffers}

    def take(self) -> dict[str, bytes]:
        """Key → its postings' JSON list items (ASCII); the buffers are emptied as they are read (at
        scale, both at once would double the index's memory)."""
        values = {}
        while self.buffers:
            key, buffer = self.buffers.popitem()
            values[key.decode("utf-8")] = bytes(buffer)
            del buffer
        self.last.clear()
        return values


def _deltas(positions: list[int]) -> list[int]:
    return [positions[0], *map(int.__sub__, positions[1:], positions)] if positions else []


def _counted(positions: list[int]) -> str:
    """One document's positions of a key as it stores them: their count, then the positions delta-coded."""
    return f"{len(positions)}," + ",".join(map(str, _deltas(positions)))


def postings_of(text: str) -> tuple[bytes, bytes]:
    """One folded text's part of the index, as two blobs (see the module docstring): each pair of
    characters with its positions (their count, then the positions delta-coded); and each
    character with its count. Pairs and characters with a space are left out (dropped by key,
    which is much cheaper than testing every position), so no key holds a tab or a newline."""
    positions: dict[str, list[int]] = defaultdict(list)
    for pos, pair in enumerate(map(str.__add__, text, text[1:])):
        positions[pair].append(pos)
    pairs = "\n".join(pair + "\t" + _counted(found) for pair, found in positions.items() if not (pair[0].isspace() or pair[1].isspace()))
    chars = "\n".join(f"{char}\t{count}" for char, count in sorted(Counter(text).items()) if not char.isspace())
    return pairs.encode("utf-8"), chars.encode("utf-8")


def word_starts_of(text: str) -> bytes:
    """Where Latin words begin in a folded text: per first character, the key " " + character and
    its positions (coded like a bigram's, as a blob like `postings_of`'s). A space never belongs
    to a bigram key, so these keys share the bigram shards without colliding."""
    positions: dict[str, list[int]] = defaultdict(list)
    for found in _WORD_START.finditer(text):
        positions[found.group()].append(found.start())
    return "\n".join(" " + char + "\t" + _counted(found) for char, found in positions.items()).encode("utf-8")


def bigram_postings(flat: list[int]) -> dict[int, list[int]]:
    """A bigram key's stored postings decoded: document → its positions (for tests and benchmarks;
    the client's `eachPosting` is the same)."""
    decoded, doc, i = {}, 0, 0
    while i < len(flat):
        doc += flat[i]
        count = flat[i + 1]
        deltas = flat[i + 2 : i + 2 + count]
        decoded[doc] = [sum(deltas[: k + 1]) for k in range(count)]
        i += 2 + count
    return decoded
