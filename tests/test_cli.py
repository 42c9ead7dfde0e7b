"""The `atlas` command as staff use it."""

import subprocess
import sys
import time
import urllib.request

from conftest import ROOT, copy_project


def test_check_passes_on_the_bundled_content():
    result = subprocess.run([sys.executable, "-m", "builder.cli", "check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "检查通过" in result.stdout


def test_build_replaces_the_previous_site(tmp_path):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    out.mkdir()
    (out / "stale.html").write_text("old")
    result = subprocess.run(
        [sys.executable, "-m", "builder.cli", "build", "--out", str(out), "--project", str(project)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert not (out / "stale.html").exists()
    assert (out / "index.html").exists()


def test_serve_builds_serves_and_rebuilds_on_change(tmp_path):
    project = copy_project(tmp_path / "project")
    port = 8765
    server = subprocess.Popen(
        [sys.executable, "-m", "builder.cli", "serve", "--port", str(port), "--project", str(project)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        page = fetch_when_ready(f"http://127.0.0.1:{port}/places/longgang-west/", 120)
        assert "龙岗西先进制造业园区" in page
        places = project / "content" / "places" / "longgang.yaml"
        places.write_text(places.read_text(encoding="utf-8").replace("name: 龙岗西先进制造业园区", "name: 龙岗西先进制造业园区（已更新）", 1), encoding="utf-8")
        deadline = time.time() + 120
        while "（已更新）" not in fetch_when_ready(f"http://127.0.0.1:{port}/places/longgang-west/", 60):
            assert time.time() < deadline, "site was not rebuilt after a content change"
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)


def fetch_when_ready(url: str, timeout: float) -> str:
    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.5)
