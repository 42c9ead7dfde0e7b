"""The package installs from a wheel (not only editable) and its `atlas` builds the bundled content."""

from __future__ import annotations

import subprocess
import sys
import venv

from conftest import ROOT, copy_project


def test_a_wheel_installs_into_a_fresh_venv_and_builds_the_site(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    wheel = next(wheels.glob("shenzhen_policy_atlas-*.whl"))
    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=True)
    install = subprocess.run(
        [fresh / "bin/pip", "install", "-q", "-c", str(ROOT / "constraints.txt"), str(wheel)], capture_output=True, text=True
    )
    assert install.returncode == 0, install.stderr[-2000:]
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    # Run from elsewhere so nothing can be imported from the source tree by accident.
    result = subprocess.run(
        [fresh / "bin/atlas", "build", "--project", str(project), "--out", str(out)], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (out / "index.html").is_file() and (out / "search/meta.json.gz").is_file()
    where = subprocess.run([fresh / "bin/python", "-c", "import builder; print(builder.__file__)"], capture_output=True, text=True, cwd=tmp_path)
    assert str(fresh) in where.stdout  # the installed package, not the checkout
