"""Memory of a build and the workers it forks, sampled from /proc while it runs.

Two numbers, because forked workers share their parent's pages: the largest resident set of one
process (what `ru_maxrss` reports; shared pages count in every process that maps them) and the
largest total of the processes' proportional set sizes (PSS: a shared page is split between the
processes sharing it), which is what the machine needs at that moment. Written by hand: psutil
does not read `smaps_rollup` for a whole process tree at once, and this is a dozen lines.
"""

from __future__ import annotations

import os
import subprocess
import threading
from dataclasses import dataclass


@dataclass
class Peaks:
    largest_process_mb: float = 0.0  # resident set (RSS) of the largest process
    whole_build_mb: float = 0.0  # total PSS of the build and its workers


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as listing:
                found += [int(child) for child in listing.read().split()]
    except OSError:  # the process ended meanwhile
        pass
    return found


def _rollup(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KB; zeros once it has ended."""
    values = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                name, _, rest = line.partition(":")
                if name in ("Rss", "Pss"):
                    values[name] = int(rest.split()[0])
    except (OSError, ValueError):
        pass
    return values.get("Rss", 0), values.get("Pss", 0)


def run_measured(command: list[str], interval: float = 0.1, **options) -> tuple[subprocess.CompletedProcess, Peaks]:
    """`subprocess.run(command, **options)` while sampling the memory of the process tree."""
    peaks, done = Peaks(), threading.Event()
    process = subprocess.Popen(command, **options)

    def sample():
        while not done.is_set():
            pending, total = [process.pid], 0
            while pending:
                pid = pending.pop()
                pending += _children(pid)
                rss, pss = _rollup(pid)
                peaks.largest_process_mb = max(peaks.largest_process_mb, rss / 1024)
                total += pss
            peaks.whole_build_mb = max(peaks.whole_build_mb, total / 1024)
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    done.set()
    sampler.join()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr), peaks
