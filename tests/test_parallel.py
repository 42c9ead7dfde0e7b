"""builder.parallel: background work on a forked child gives the same results and errors as inline."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import ROOT

SCRIPT = textwrap.dedent(
    """
    import os, sys, threading
    from builder.errors import AtlasError, Location
    from builder.parallel import background, can_fork

    def square(n):
        return n * n, os.getpid()

    def fails(path):
        raise AtlasError("bad record", Location(path, 7))

    print("forks", can_fork())
    with background(square, 12) as result:
        value, pid = result()
    print("value", value, "other process", pid != os.getpid())
    try:
        with background(fails, "content/x.yaml") as result:
            result()
    except AtlasError as error:
        print("error", error)
    try:
        with background(square, 3) as result:  # the body fails before asking: no child is left
            raise KeyError("body")
    except KeyError:
        pass
    threading.Thread(target=threading.Event().wait, daemon=True).start()
    print("forks with a thread", can_fork())
    with background(square, 5) as result:
        value, pid = result()
    print("value", value, "other process", pid != os.getpid())
    """
)


def run(env_serial: str, script: str = SCRIPT) -> list[str]:
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "ATLAS_SERIAL": env_serial})  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_forked_work_returns_its_value_and_raises_its_error():
    assert run("0") == [
        "forks True",
        "value 144 other process True",
        "error content/x.yaml:7: bad record",
        "forks with a thread False",  # a threaded process never forks
        "value 25 other process False",
    ]


def test_serial_work_gives_the_same_results_in_this_process():
    assert run("1") == [
        "forks False",
        "value 144 other process False",
        "error content/x.yaml:7: bad record",
        "forks with a thread False",
        "value 25 other process False",
    ]


def test_a_worker_folder_is_merged_into_the_site_by_renames(tmp_path):
    from builder.generate import merge_tree

    site, side = tmp_path / "site", tmp_path / "side"
    (site / "search").mkdir(parents=True)
    (site / "search" / "index.html").write_text("page", encoding="utf-8")  # MkDocs' search page
    (side / "search" / "bi").mkdir(parents=True)
    (side / "search" / "bi" / "0.json").write_text("{}", encoding="utf-8")
    (side / "search" / "meta.json").write_text("{}", encoding="utf-8")
    merge_tree(side, site)
    merge_tree(tmp_path / "no-maps", site)  # a job that wrote nothing
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        "search/bi/0.json", "search/index.html", "search/meta.json",
    ]  # fmt: skip
    assert (site / "search" / "index.html").read_text(encoding="utf-8") == "page"


STREAM_SCRIPT = textwrap.dedent(
    """
    import os, time
    from bench.memory import _children
    from builder.parallel import background

    def large(n):  # far more than a pipe holds: the child writes it all, then leaves
        return ["页面" * 1000 + str(i) for i in range(n)]

    def unpicklable():
        return [1, 2, lambda: 3]  # pickling fails part way, after the stream has begun

    def dies():
        os._exit(3)

    def children():  # this process's children that have not exited (a zombie is done)
        found = _children(os.getpid())
        return [pid for pid in found if open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"]

    with background(large, 5000) as result:
        deadline = time.monotonic() + 100
        while children() and time.monotonic() < deadline:  # done, it leaves without being asked
            time.sleep(0.05)
        print("left before asked", not children())
        pages = result()
    print("pages", len(pages), len(pages[-1]), pages[-1][-4:])
    for function in (unpicklable, dies):
        try:
            with background(function) as result:
                result()
        except Exception as error:
            print(function.__name__, type(error).__name__, "without a whole result" in str(error))
    """
)


def test_a_large_result_comes_whole_from_a_child_that_left_and_a_broken_one_is_an_error():
    assert run("0", STREAM_SCRIPT) == [
        "left before asked True",  # a pipe would hold it until the parent read its 10 MB
        "pages 5000 2004 4999",
        "unpicklable RuntimeError True",
        "dies RuntimeError True",
    ]


STANDBY_SCRIPT = textwrap.dedent(
    """
    import os
    from bench.memory import _children
    from builder.errors import AtlasError, Location
    from builder.parallel import standby

    made_later = []

    def report(n, text):  # what the child knew: its arguments, and the state when it was forked
        return n * 2, text[-3:], len(made_later), os.getpid()

    def fails():
        raise AtlasError("bad page", Location("site_src/x.md", 3))

    def running():
        return [pid for pid in _children(os.getpid()) if open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"]

    with standby(report, collect=True) as job:
        forked = running()
        made_later.extend(range(1000))  # after the fork: the child's copy does not have it
        job.start(21, "页" * 100_000 + "尾巴x")  # more than a pipe holds at once
        doubled, tail, seen, pid = job.result()
    print("waiting child", len(forked) == 1, "value", doubled, tail, "saw later state", seen > 0, "other process", pid != os.getpid())
    try:
        with standby(fails) as job:
            job.start()
            job.result()
    except AtlasError as error:
        print("error", error)
    try:
        with standby(report) as job:  # the build fails before starting it: the child is stopped
            raise KeyError("body")
    except KeyError:
        print("left running", running())
    """
)


def test_a_standby_child_is_forked_first_and_runs_what_it_is_sent_later():
    assert run("0", STANDBY_SCRIPT) == [
        "waiting child True value 42 尾巴x saw later state False other process True",
        "error site_src/x.md:3: bad page",
        "left running []",
    ]
    assert run("1", STANDBY_SCRIPT) == [  # run here, in result(): it sees the state of then
        "waiting child False value 42 尾巴x saw later state True other process False",
        "error site_src/x.md:3: bad page",
        "left running []",
    ]


DETACHED_SCRIPT = textwrap.dedent(
    """
    import fcntl, os, sys, time
    from pathlib import Path
    from builder.parallel import detached

    folder = Path(sys.argv[1])
    go, done = folder / "go", folder / "done"

    def clean_up():  # waits for the test's word: only a process nobody waits for can
        deadline = time.monotonic() + 60
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        done.write_text(str(os.getpid()), encoding="utf-8")
        print("a detached process writes nowhere")

    lock = open(folder / "lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    detached(clean_up)
    print("returned before it ended", not done.exists(), flush=True)
    """
)


def test_a_detached_process_outlives_its_caller_without_its_output_or_its_locks(tmp_path):
    """The published site's old tree is removed this way (`publish._remove_later`)."""
    import fcntl
    import time

    result = subprocess.run([sys.executable, "-c", DETACHED_SCRIPT, str(tmp_path)], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "ATLAS_SERIAL": "0"})  # fmt: skip
    # run() returned although the detached process still waits: it holds neither the caller's
    # output nor its lock
    assert result.returncode == 0 and result.stdout == "returned before it ended True\n", result.stderr
    with open(tmp_path / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free: the next build is not kept waiting
    (tmp_path / "go").write_text("", encoding="utf-8")
    deadline = time.monotonic() + 60
    while not (tmp_path / "done").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert (tmp_path / "done").exists()
    (tmp_path / "serial").mkdir()
    script = DETACHED_SCRIPT.replace("detached(clean_up)", "go.touch(); detached(clean_up)")
    serial = subprocess.run([sys.executable, "-c", script, str(tmp_path / "serial")], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env={"PATH": "/usr/bin:/bin", "ATLAS_SERIAL": "1"})  # fmt: skip
    assert serial.stdout.splitlines() == ["a detached process writes nowhere", "returned before it ended False"]  # run here, at once


def test_a_background_child_can_yield_the_cores():
    script = textwrap.dedent(
        """
        import os
        from builder.parallel import background
        with background(os.nice, 0, nice=5) as result:
            print(result() - os.nice(0))
        """
    )
    assert run("0", script) == ["5"]  # the child's niceness, five above the build's
    assert run("1", script) == ["0"]  # run here: the build's own is left alone
