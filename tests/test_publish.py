"""Publishing: output that cannot be written, a full disk, builds killed halfway."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from builder.commands import build
from test_bad_input import ATLAS, atlas, tree_digest


def test_an_output_directory_that_cannot_be_written(project):
    blocker = project / "not-a-dir"
    blocker.write_text("a file where the site's parent directory should be", encoding="utf-8")
    result = atlas(project, "build", "--out", str(blocker / "site"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"cannot write) {blocker}" in result.stderr
    assert result.stderr.count("\n") <= 3  # the problem, the count, "nothing published"


def test_a_full_disk_is_one_clear_line(project, built_site, monkeypatch, capsys):
    out = project / "site"
    shutil.copytree(built_site, out)
    before = tree_digest(out)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(out.parent / ".atlas-build-site-x/docs/index.md"))

    monkeypatch.setattr("builder.mkdocs_run._sync", full)  # writing the docs tree
    assert build.run(project, out) == 1
    stderr = capsys.readouterr().err
    assert "磁盘已满 (disk full)" in stderr and "free some space" in stderr
    assert "Traceback" not in stderr
    assert tree_digest(out) == before
    assert not list(project.glob(".atlas-build-*"))


def _start_build(project: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([*ATLAS, "build", "--out", str(out), "--project", str(project)], cwd=project,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def _kill_once_staging_exists(process: subprocess.Popen, project: Path, marker: str) -> None:
    """SIGKILL the build as soon as its staging tree holds `marker` (waits on state, not on time)."""
    deadline = time.monotonic() + 120
    while not any(project.glob(f".atlas-build-*/{marker}")):
        assert process.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline, "the build never reached the point to kill it"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.mark.parametrize("marker", ["side/index/search/meta.json.gz", "site/index.html"])
def test_builds_killed_halfway_leave_nothing_behind(project, built_site, marker):
    out = project / "site"
    shutil.copytree(built_site, out)
    before = tree_digest(out)
    for _ in range(2):
        _kill_once_staging_exists(_start_build(project, out), project, marker)
    assert list(project.glob(".atlas-build-*")), "the kills should have left staging directories"
    assert tree_digest(out) == before  # a killed build never touches the published site

    result = atlas(project, "build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert not list(project.glob(".atlas-build-*"))
    assert (out / "index.html").is_file()


def test_a_stale_old_site_is_removed_or_restored(project, built_site):
    out = project / "site"
    retired = project / ".site.old"
    # Killed between the two renames: the old site sits under .site.old and site/ is missing.
    shutil.copytree(built_site, retired)
    from builder.publish import recover, staging_for

    with staging_for(out):
        pass
    assert out.is_dir() and not retired.exists(), "the last published site should be put back"
    assert tree_digest(out) == tree_digest(built_site)
    recover(out)  # nothing left to do: no error
    # A leftover .site.old beside a good site/ is simply removed by the next build, and so is what
    # a removal of a replaced site left (killed halfway).
    shutil.copytree(built_site, retired)
    shutil.copytree(built_site, project / ".atlas-trash-site-x" / "site")
    result = atlas(project, "build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert not retired.exists() and not (project / ".atlas-trash-site-x").exists()


def test_the_replaced_site_is_removed_after_the_build(project, built_site):
    out = project / "site"
    shutil.copytree(built_site, out)
    (out / "only-in-the-old-site.txt").write_text("old", encoding="utf-8")
    result = atlas(project, "build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert not (out / "only-in-the-old-site.txt").exists() and not _retired_exists(out)
    deadline = time.monotonic() + 120  # removed by a process of its own (`parallel.detached`): wait for it
    while list(project.glob(".atlas-trash-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(project.glob(".atlas-trash-*")), "the replaced site was not removed"


def test_an_output_path_that_is_a_file(project):
    out = project / "site"
    out.write_text("not a directory", encoding="utf-8")
    result = subprocess.run([*ATLAS, "build", "--out", str(out), "--project", str(project)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "is a file, not a directory" in result.stderr
    assert out.read_text(encoding="utf-8") == "not a directory"


def _published_copy(project: Path, built_site: Path) -> tuple[Path, dict]:
    out = project / "site"
    shutil.copytree(built_site, out)
    return out, tree_digest(out)


def _assert_untouched(project: Path, out: Path, before: dict) -> None:
    assert tree_digest(out) == before, "a failed build changed the published site"
    assert not list(project.glob(".atlas-build-*")), "a failed build left its staging directory behind"
    assert not _retired_exists(out)


def _retired_exists(out: Path) -> bool:
    return out.with_name(f".{out.name}.old").exists()


def test_a_failure_inside_mkdocs_leaves_the_site_as_it_was(project, built_site):
    """A broken link in a hand-written page fails MkDocs (strict) after the pages were generated."""
    out, before = _published_copy(project, built_site)
    page = project / "site_src" / "about" / "broken.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("# 坏链接\n\n[不存在的页面](no-such-page.md)\n", encoding="utf-8")
    result = atlas(project, "build", "--out", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "site_src/about/broken.md: MkDocs build failed:" in result.stderr and "no-such-page.md" in result.stderr
    _assert_untouched(project, out, before)


INDEX_FAILS = """
import errno, sys
from pathlib import Path
import builder.generate
def full(*args, **options):
    raise OSError(errno.ENOSPC, "No space left on device", "search/bi/0.json")
builder.generate.build_index = builder.generate.packed_index = full  # without and with the cache
from builder.commands import build
sys.exit(build.run(Path(sys.argv[1]), Path(sys.argv[2])))
"""


def test_a_failure_in_the_search_index_worker_leaves_the_site_as_it_was(project, built_site):
    """The index is built by a forked worker; its failure comes back as one clear line."""
    out, before = _published_copy(project, built_site)
    result = subprocess.run([ATLAS[0], "-c", INDEX_FAILS, str(project), str(out)], capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "磁盘已满 (disk full) while writing search/bi/0.json" in result.stderr and "Traceback" not in result.stderr
    _assert_untouched(project, out, before)


def test_a_failure_of_the_final_rename_puts_the_old_site_back(project, built_site, monkeypatch, capsys):
    out, before = _published_copy(project, built_site)
    rename = os.rename

    def refuse_new_site(source, target):
        if Path(target) == out.resolve() and ".atlas-build-" in str(source):
            raise OSError(errno.EACCES, "Permission denied", str(target))
        rename(source, target)

    monkeypatch.setattr("builder.publish.os.rename", refuse_new_site)
    assert build.run(project, out) == 1
    assert "无法写入 (cannot write)" in capsys.readouterr().err
    _assert_untouched(project, out, before)
