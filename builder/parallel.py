"""Work that runs on the other core while the build goes on (the machine it targets has two).

`with background(function, *args) as result:` forks a child that runs `function(*args)`; the
child inherits the joined Atlas and the rendered pages instead of receiving them pickled, and
`result()` waits for it and returns its value (or raises its exception). Several may run at
once: the English pages render while the Chinese ones do, and the map scripts and the search index
are built while MkDocs renders the pages.

The child writes its value into an unlinked temporary file, not a pipe, and exits: a child that is
done before it is asked frees its memory at once, instead of waiting, with everything it built, for
the parent to read (a pipe holds 64 KB; at 100× the content the index worker's list of paths alone
is more, and it held everything it had built through MkDocs).

Written with `os.fork` rather than `concurrent.futures`: an executor starts a management thread,
and forking a process that has threads can copy a lock held by another thread and hang the
child. For the same reason the work runs in this process, when `result()` is called, if this
process already has other threads (a test runner, a browser driver, `atlas serve`'s watcher),
where fork is unavailable (not POSIX), or when ATLAS_SERIAL=1. The output is the same either way.
"""

from __future__ import annotations

import ctypes
import gc
import os
import pickle
import signal
import tempfile
import threading
import traceback
from contextlib import contextmanager


def release_free_memory() -> None:
    """Give the memory Python freed back to the system (glibc keeps it otherwise): a child forked
    next then does not keep the freed pages resident as its own."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def can_fork() -> bool:
    if os.environ.get("ATLAS_SERIAL") == "1" or not hasattr(os, "fork"):
        return False
    return threading.active_count() == 1


def _child(function, args, out, collect: bool) -> None:
    # Most work builds large acyclic structures and the child exits after: the collector would only
    # cost time. Work that makes cyclic garbage throughout (rendering pages: at 100× the content the
    # English edition left gigabytes of it) runs with the collector (`collect`), and work that makes
    # it in batches (Folium's element trees) calls gc.collect() itself; either way the collector
    # looks at the child's own objects only (the parent froze its own before forking).
    if not collect:
        gc.disable()
    try:
        value = function(*args)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        try:
            payload = pickle.dumps((False, exc))
        except Exception:  # an exception that cannot be pickled: send its traceback as text
            payload = pickle.dumps((False, RuntimeError("".join(traceback.format_exception(exc)))))
        out.write(payload)
        out.flush()
        return
    # Streamed as it is pickled, not pickled whole first: a value of every English page at 100× the
    # content would otherwise exist twice in the child.
    pickle.dump((True, value), out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()


@contextmanager
def background(function, *args, collect: bool = False):
    """`function(*args)` in a forked child (see the module docstring); with `collect`, the child
    collects cyclic garbage as it goes."""
    if not can_fork():
        yield lambda: function(*args)
        return
    received_file = tempfile.TemporaryFile(prefix="atlas-background-")  # noqa: SIM115 - closed in result() or below
    gc.freeze()  # the child's collections never walk (and so copy) the pages it shares with the parent
    pid = os.fork()
    if pid == 0:  # the child: do the work, send the outcome, leave without running any cleanup
        code = 0
        try:
            _child(function, args, received_file, collect)
        except BaseException:  # noqa: BLE001
            code = 1
        os._exit(code)
    gc.unfreeze()
    del args  # the child has its copy: the parent may free what it no longer needs (the Atlas, before MkDocs)
    outcome: list = []
    reaped: list = []

    def result():
        if not outcome:
            _, status = os.waitpid(pid, 0)
            reaped.append(status)
            with received_file:
                received_file.seek(0)
                try:
                    received = pickle.load(received_file)  # noqa: S301 - our own child's output
                except Exception:  # noqa: BLE001 - a truncated file: the child died while writing
                    received = None
            if received is None:
                raise RuntimeError(f"background work {function.__name__} ended without a whole result (status {status})")
            outcome.append(received)
        ok, value = outcome[0]
        if not ok:
            raise value
        return value

    try:
        yield result
    finally:
        if not reaped:  # the build failed before asking: stop the child
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            received_file.close()
