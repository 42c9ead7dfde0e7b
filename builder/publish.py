"""Stage 7 — publish: build in a staging directory beside the site, then swap it in.

Nothing touches the published `site/` until the whole build has succeeded; then the new tree is
renamed into place, with renames on one filesystem, and the old one is removed by a process of
its own that the build does not wait for. A lock file keeps two builds of the same site
(`atlas serve` and a manual `atlas build`) from racing.

A build killed halfway (Ctrl+C twice, a CI timeout, a full disk) leaves its staging directory
behind, and one killed between the two renames leaves the old site under `.site.old` and no
`site/`. The next build, holding the lock, knows no other build is running: it removes stale
staging directories and what an old site's removal left, and either restores `.site.old` (when
`site/` is missing) or deletes it.

File-system errors (a directory that cannot be written, a full disk) become one `AtlasError` line
naming the path, never a traceback.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import AtlasError, Location

STAGING_PREFIX = ".atlas-build-"
TRASH_PREFIX = ".atlas-trash-"  # a replaced site, being removed (`publish`)


def _retired(out: Path) -> Path:
    return out.with_name(f".{out.name}.old")


def io_error(exc: OSError, out: Path) -> AtlasError:
    """One clear line for a failed write: what, where, and what to do."""
    where = exc.filename or out
    if exc.errno == errno.ENOSPC:
        message = f"磁盘已满 (disk full) while writing {where}: free some space and build again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        message = f"无法写入 (cannot write) {where}: {exc.strerror}; choose another --out or fix its permissions"
    else:
        message = f"无法写入 (cannot write) {where}: {exc.strerror or exc}; check that --out is a directory you can write"
    return AtlasError(message, Location(str(out)))


@contextmanager
def _lock(out: Path) -> Iterator[None]:
    with open(out.with_name(f".{out.name}.atlas-lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def recover(out: Path) -> None:
    """Undo what a killed build left behind (call while holding the lock)."""
    for prefix in (STAGING_PREFIX, TRASH_PREFIX):
        for stale in out.parent.glob(f"{prefix}{out.name}-*"):
            shutil.rmtree(stale, ignore_errors=True)
    retired = _retired(out)
    if retired.exists() or retired.is_symlink():
        if not out.exists():
            os.rename(retired, out)  # the last published site, put back
        elif retired.is_dir() and not retired.is_symlink():
            shutil.rmtree(retired)
        else:
            retired.unlink()


@contextmanager
def staging_for(out: Path) -> Iterator[Path]:
    """A fresh directory beside `out` to build in; removed afterwards, whatever happens (after a
    success, by a process of its own: `_remove_later`)."""
    if out.exists() and not out.is_dir():
        raise AtlasError(f"输出路径不是目录 (--out is a file, not a directory): {out}", Location(str(out)))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with _lock(out):
            recover(out)
            staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{out.name}-", dir=out.parent))
            try:
                yield staging
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            _remove_later(staging, out)
    except OSError as exc:
        raise io_error(exc, out) from None


def publish(built: Path, out: Path) -> None:
    """Swap the new tree in with renames on the same filesystem; the replaced site goes into the
    staging directory, which is removed after the build (`staging_for`)."""
    retired = _retired(out)
    had_site = out.exists()
    if had_site:
        os.rename(out, retired)
    try:
        os.rename(built, out)
    except OSError:
        if had_site:  # put the last published site back before reporting the failure
            os.rename(retired, out)
        raise
    if had_site:
        os.rename(retired, built.with_name("replaced"))


def _remove_later(tree: Path, out: Path) -> None:
    """Remove a finished build's staging directory (with the site it replaced) without keeping
    staff waiting (a tenth of a second at this size, minutes at 100× the content): renamed to a
    name `recover` knows, should the removal be cut short, then deleted by a process of its own
    (`parallel.detached`)."""
    from .parallel import detached

    trash = Path(tempfile.mkdtemp(prefix=f"{TRASH_PREFIX}{out.name}-", dir=out.parent))
    os.rename(tree, trash / "build")
    detached(shutil.rmtree, trash, True)
