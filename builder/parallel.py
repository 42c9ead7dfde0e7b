"""Work that runs on the other core while the build goes on (the machine it targets has two).

`with background(function, *args) as result:` forks a child that runs `function(*args)`; the
child inherits the joined Atlas and the rendered pages instead of receiving them pickled, and
`result()` waits for it and returns its value (or raises its exception). Several may run at
once: the search index and the map scripts are built while MkDocs renders the pages.

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


def _child(function, args, pipe: int) -> None:
    # The work builds large acyclic structures and the child exits after: the collector would only
    # cost time. Work that makes cyclic garbage (Folium's element trees) calls gc.collect() itself,
    # which then looks at the child's own objects only (the parent froze its own before forking).
    gc.disable()
    try:
        value = function(*args)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        try:
            payload = pickle.dumps((False, exc))
        except Exception:  # an exception that cannot be pickled: send its traceback as text
            payload = pickle.dumps((False, RuntimeError("".join(traceback.format_exception(exc)))))
        with os.fdopen(pipe, "wb") as out:
            out.write(payload)
        return
    with os.fdopen(pipe, "wb") as out:
        # Streamed as it is pickled, not pickled whole first: a value of every English page at
        # 100× the content would otherwise exist twice in the child, and its bytes once more in
        # the parent. The parent reads while it unpickles, so the pipe never holds more than a frame.
        pickle.dump((True, value), out, protocol=pickle.HIGHEST_PROTOCOL)


@contextmanager
def background(function, *args):
    if not can_fork():
        yield lambda: function(*args)
        return
    read, write = os.pipe()
    gc.freeze()  # the child's collections never walk (and so copy) the pages it shares with the parent
    pid = os.fork()
    if pid == 0:  # the child: do the work, send the outcome, leave without running any cleanup
        os.close(read)
        code = 0
        try:
            _child(function, args, write)
        except BaseException:  # noqa: BLE001
            code = 1
        os._exit(code)
    gc.unfreeze()
    os.close(write)
    del args  # the child has its copy: the parent may free what it no longer needs (the Atlas, before MkDocs)
    outcome: list = []
    reaped: list = []

    def result():
        if not outcome:
            with os.fdopen(read, "rb") as pipe:
                try:
                    received = pickle.load(pipe)  # noqa: S301 - our own child's output
                except Exception:  # noqa: BLE001 - a truncated stream: the child died while sending
                    received = None
            _, status = os.waitpid(pid, 0)
            reaped.append(status)
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
            os.close(read)
