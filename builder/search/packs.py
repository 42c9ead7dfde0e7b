"""How the index's files are stored: each compressed as it is made (`Packer`), and the documents
in packs of consecutive ones (`DocPacks`). See `index.py` for the format."""

from __future__ import annotations

import gzip
import hashlib

DOC_PACK_BYTES = 40_000  # before compression; about 14 KB on disk
PACKED_SUFFIX = ".gz"  # every index file is stored gzip-compressed under its name plus this


class Packer:
    """Index files compressed as they are made, as the site stores them: each gzip-compressed, under
    its path plus PACKED_SUFFIX. No timestamp in the header and a fixed level, so the bytes are the
    same every build. `memo` (path → (digest of the text, its compressed bytes)) from the last
    build saves compressing again the files that did not change; it is left holding exactly these
    files. A file is compressed the moment it is made, so the index's JSON is never held whole."""

    def __init__(self, memo: dict | None = None):
        self.memo, self.kept, self.packed = memo, {}, {}

    def keep(self, path: str) -> None:
        """The last build's file at `path`, as it was (`patch.py`)."""
        self.kept[path] = self.memo[path]
        self.packed[path + PACKED_SUFFIX] = self.memo[path][1]

    def add(self, path: str, data: bytes) -> None:
        digest = hashlib.blake2b(data, digest_size=16).digest()
        before = self.memo.get(path) if self.memo else None
        compressed = before[1] if before and before[0] == digest else gzip.compress(data, compresslevel=6, mtime=0)
        self.kept[path] = (digest, compressed)
        self.packed[path + PACKED_SUFFIX] = compressed

    def done(self) -> dict[str, bytes]:
        if self.memo is not None:
            self.memo.clear()
            self.memo.update(self.kept)
        return self.packed


class DocPacks:
    """The documents' packs, each emitted when full: consecutive documents, about DOC_PACK_BYTES a
    pack (of UTF-8; a document larger than that packs alone).

    Consecutive documents are neighbouring paragraphs of one plan, which one query tends to hit
    together, so a pack usually serves several results; and a build writes a few hundred files,
    not one per document (file creation dominates writing the index on a slow disk).
    """

    def __init__(self, emit, directory: str):
        self.emit, self.directory = emit, directory
        self.starts: list[int] = []  # the first document of each pack
        self.entries: list[bytes] = []
        self.size = self.count = 0

    def add(self, entry: str) -> None:
        data = entry.encode("utf-8")
        if not self.starts or self.size + len(data) + 1 > DOC_PACK_BYTES:
            self._flush()
            self.starts.append(self.count)
            self.size = 0
        self.entries.append(data)
        self.size += len(data) + 1
        self.count += 1

    def _flush(self) -> None:
        if self.entries:
            self.emit(f"{self.directory}/doc/{len(self.starts) - 1}.json", b"[" + b",".join(self.entries) + b"]")
            self.entries = []

    def close(self) -> list[int]:
        """The first document of each pack, once the last pack is emitted."""
        self._flush()
        return self.starts
