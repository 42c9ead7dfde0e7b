"""The build cache under `.atlas-cache/`: work whose inputs have not changed is not done again.

Entries are files named by the SHA-256 of everything their content depends on (the key), so a
changed input simply finds no entry. Each entry starts with a header naming the cache format and
an HMAC-SHA256 of its payload under a key kept outside the project (`~/.cache/shenzhen-atlas/`,
created on first use): a truncated or altered file, one written by another format, or one that
came from anywhere but a build on this machine (a cache committed into a repository) is detected
on read, deleted and rebuilt, never trusted. Entries go into the site unescaped and compiled
templates run as code, so a forged entry must be impossible, not just unlikely. Writes go to a
temporary file renamed into place, so a build killed halfway leaves no half-written entry under a
real name.

One build at a time uses a project's cache (`BuildCache.open` takes a lock without waiting); a
second build running meanwhile, such as a test next to `atlas serve`, builds without it rather
than wait. `--no-cache` builds without it too. The output is the same either way (tested).
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

from jinja2 import BytecodeCache

CACHE_DIR = ".atlas-cache"
FORMAT = 3  # bump when an entry's layout or meaning changes: every old entry then misses
_MAGIC = b"atlas-cache"
_HEADER_LIMIT = 200  # bytes: a header is the magic, the format and a hex HMAC


def _versions() -> bytes:
    """The code an entry was made by: the builder's own files (a version number does not change
    when a developer edits them) and the libraries that shape the output."""
    package = Path(__file__).parent
    h = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix not in (".pyc",) and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    names = ("mkdocs", "mkdocs-material", "markdown", "folium", "branca", "jinja2", "shapely")
    return "\n".join([h.hexdigest(), *(f"{name}={_version_of(name)}" for name in names)]).encode()


def _version_of(name: str) -> str:
    try:
        return version(name)
    except Exception:  # noqa: BLE001 - not installed as a distribution (a source checkout)
        return "?"


def machine_secret() -> bytes:
    """This user's key for signing cache entries, made on first use (OSError if it cannot be)."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "shenzhen-atlas"
    path = folder / "cache-key"
    try:
        secret = path.read_bytes()
        if len(secret) == 32:
            return secret
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = folder / f".cache-key-{os.getpid()}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(os.urandom(32))
    os.replace(temporary, path)  # two first builds at once: the last one's key wins, both read it back
    return path.read_bytes()


def digest(*parts: bytes | str) -> str:
    """The SHA-256 of parts, each length-prefixed so that ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


class BuildCache:
    """Content-addressed entries, grouped by kind (`maps`, `index`, …), and the lock that owns them."""

    def __init__(self, folder: Path, secret: bytes):
        self.folder = folder
        self.secret = secret
        self.code = _versions()
        self._used: dict[str, set[str]] = {}

    @classmethod
    @contextmanager
    def open(cls, root: Path) -> Iterator[BuildCache | None]:
        """The project's cache, or None when another build holds it (or it cannot be created)."""
        folder = root / CACHE_DIR
        try:
            secret = machine_secret()
            folder.mkdir(exist_ok=True)
            handle = open(folder / "lock", "w")
        except OSError:
            yield None
            return
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                yield None
                return
            try:
                yield cls(folder, secret)
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def key(self, *parts: bytes | str) -> str:
        return digest(str(FORMAT), self.code, *parts)

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / key

    def get(self, kind: str, key: str) -> bytes | None:
        self._used.setdefault(kind, set()).add(key)
        path = self._path(kind, key)
        try:  # the header line, then the payload read into one object (at scale, entries are large)
            with open(path, "rb") as handle:
                header, payload = handle.readline(_HEADER_LIMIT).rstrip(b"\n"), handle.read()
        except OSError:
            return None
        if not hmac.compare_digest(header, self._header(payload)):  # damaged, or not made here
            path.unlink(missing_ok=True)
            return None
        return payload

    def has(self, kind: str, key: str) -> bool:
        """Whether an entry is there, unchecked (to plan work; `get` verifies what is used)."""
        return self._path(kind, key).is_file()

    def get_or_make(self, kind: str, key: str, make) -> bytes:
        """The entry, or `make()` (bytes) stored as it."""
        payload = self.get(kind, key)
        if payload is None:
            payload = make()
            self.put(kind, key, payload)
        return payload

    def mark_used(self, kind: str, key: str) -> None:
        """Keep an entry another process of this build used through `prune`."""
        self._used.setdefault(kind, set()).add(key)

    def put(self, kind: str, key: str, payload: bytes) -> None:
        self.mark_used(kind, key)
        path = self._path(kind, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(self._header(payload) + b"\n")
            out.write(payload)  # not joined to the header first: that would copy it
        os.replace(temporary, path)

    def sign(self, payload: bytes) -> str:
        return hmac.new(self.secret, payload, hashlib.sha256).hexdigest()

    def _header(self, payload: bytes) -> bytes:
        return _MAGIC + b" %d " % FORMAT + self.sign(payload).encode()

    def prune(self, kind: str) -> None:
        """Remove the entries of `kind` this build did not use: the cache holds one build's worth."""
        used = self._used.get(kind, set())
        for path in (self.folder / kind).glob("*/*"):
            if path.name not in used:
                path.unlink(missing_ok=True)

    def tree(self, name: str) -> Path:
        """A folder of the cache that a stage keeps whole between builds (the MkDocs tree)."""
        return self.folder / name


def memoised(cache: BuildCache | None, kind: str, parts: tuple, compute) -> bytes:
    """`compute()` (bytes), or the entry it made before for the same `parts` of input.

    For work done once per build: the other entries of `kind` are removed.
    """
    if cache is None:
        return compute()
    key = cache.key(*(part if isinstance(part, (bytes, str)) else repr(part) for part in parts))
    payload = cache.get_or_make(kind, key, compute)
    cache.prune(kind)
    return payload


class TemplateBytecode(BytecodeCache):
    """Jinja's compiled templates kept in the build cache: compiling them is a good part of a rebuild.

    Jinja keys a template by its name and checks the source's checksum; its own header names the
    Python version, and our entry header catches a damaged file.
    """

    KIND = "jinja"

    def __init__(self, cache: BuildCache):
        self.cache = cache

    def _key(self, bucket) -> str:
        return self.cache.key(bucket.key, bucket.checksum)

    def load_bytecode(self, bucket) -> None:
        data = self.cache.get(self.KIND, self._key(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        self.cache.put(self.KIND, self._key(bucket), bucket.bytecode_to_string())
