"""Work that runs on the other core while the build goes on (the machine it targets has two).

`background(function, argument)` starts `function(argument)` in a forked process — the child
inherits the joined Atlas instead of receiving it pickled — and yields a callable that waits for
the result. Where processes cannot be forked (not Linux), or when ATLAS_SERIAL=1, it runs the
work in this process when the result is asked for: the output is the same either way. It also
runs here when this process has other threads (a test runner, a browser driver, `atlas serve`'s
watcher): forking a threaded process can copy a lock held by another thread and hang the child.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

_JOB: tuple | None = None  # (function, argument), read by the forked child


def _run_job():
    function, argument = _JOB
    return function(argument)


def _can_fork() -> bool:
    if os.environ.get("ATLAS_SERIAL") == "1" or "fork" not in multiprocessing.get_all_start_methods():
        return False
    return threading.active_count() == 1


@contextmanager
def background(function, argument):
    global _JOB
    if not _can_fork():
        yield lambda: function(argument)
        return
    _JOB = (function, argument)
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        future = pool.submit(_run_job)
        try:
            yield future.result
        finally:
            _JOB = None
