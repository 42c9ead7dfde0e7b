"""Work that runs on the other core while the build goes on (the machine it targets has two).

`with background(function, *args) as result:` forks a child that runs `function(*args)`; the
child inherits the joined Atlas and the rendered pages instead of receiving them pickled, and
`result()` waits for it and returns its value (or raises its exception). Several may run at
once: the English pages render while the Chinese ones do, and MkDocs renders the pages in a child
forked at the start of the build (`standby`) while the build draws the maps and the search index.

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


_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """A child must not outlive its build: killed halfway, a build would leave MkDocs' process
    writing into a staging folder the next build has cleaned away (Linux's PR_SET_PDEATHSIG; the
    parent may have died before it was set)."""
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux
        pass
    if os.getppid() != parent:
        os._exit(1)


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
def background(function, *args, collect: bool = False, nice: int = 0):
    """`function(*args)` in a forked child (see the module docstring); with `collect`, the child
    collects cyclic garbage as it goes; with `nice`, it yields the cores to the build's other work
    (for work that is not waited for soon)."""
    if not can_fork():
        yield lambda: function(*args)
        return
    received_file = tempfile.TemporaryFile(prefix="atlas-background-")  # noqa: SIM115 - closed in result() or below
    gc.freeze()  # the child's collections never walk (and so copy) the pages it shares with the parent
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: do the work, send the outcome, leave without running any cleanup
        code = 0
        try:
            _die_with(parent)
            if nice:
                os.nice(nice)
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


def detached(function, *args) -> None:
    """`function(*args)` in a process that outlives this one, for clean-up nobody waits for (the
    published site's old tree). Forked twice, so that no zombie is left and the build need not
    wait; the process holds none of the build's files (a lock stays with its build) and writes
    nowhere (a caller reading the build's output sees it end with the build). Run here, at once,
    where `can_fork` says no."""
    if not can_fork():
        function(*args)
        return
    pid = os.fork()
    if pid == 0:
        try:
            if os.fork() == 0:
                os.setsid()  # out of the build's process group: a Ctrl+C for the build is not for it
                blank = os.open(os.devnull, os.O_RDWR)
                for stream in (0, 1, 2):
                    os.dup2(blank, stream)
                os.closerange(3, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1024)
                gc.disable()
                function(*args)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


@contextmanager
def like_a_worker():
    """Run a background job's work in this process as its child would run it: without the
    collector, except where the work collects itself, and then over its own objects only. A full
    collection here would walk every record the build holds, again and again as the job allocates
    (at 100× the content, millions of objects)."""
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


class Standby:
    """A job whose child is forked before its arguments exist (see `standby`)."""

    def __init__(self, start, result):
        self.start, self.result = start, result


@contextmanager
def standby(function, collect: bool = False):
    """`with standby(function) as job:` forks a child now that waits; `job.start(*args)` sends it
    the arguments and `job.result()` waits for `function(*args)`, as `background` does.

    Why fork early: a child forked late inherits a heap that the build has filled and fragmented
    (at 10× the content, MkDocs ran on top of 280 MB the records had left behind, most of it
    freed but not returnable). Forked at the start of a build, MkDocs runs in a small, clean
    process, and the build goes on with the search index and maps where the records already are.
    The arguments go through a pipe; run here (see `can_fork`), the job runs in `result()`.
    """
    if not can_fork():
        sent: list = []
        yield Standby(start=lambda *args: sent.append(args), result=lambda: function(*sent[0]))
        return
    read_end, write_end = os.pipe()

    def wait_then_run():
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            args = pickle.load(pipe)  # noqa: S301 - from our own parent
        return function(*args)

    wait_then_run.__name__ = function.__name__
    with background(wait_then_run, collect=collect) as result:
        os.close(read_end)
        with os.fdopen(write_end, "wb") as sending:

            def start(*args):
                try:
                    pickle.dump(args, sending, protocol=pickle.HIGHEST_PROTOCOL)
                    sending.flush()
                except BrokenPipeError:  # the child died: result() says how
                    pass

            yield Standby(start=start, result=result)
            # never started (the build failed first): `background` stops the child
