"""A fixed sample of mutants, run in CI: each planted bug must make the named non-browser tests fail.

`make mutation` (mutmut, docs/testing.md) is too slow for every run, so this keeps the bugs that
once went unnoticed — the ones issue #16 planted — from going unnoticed again. Each bug is one
textual edit to a copy of the project; the copy is imported first (PYTHONPATH, also in the CLI
subprocesses the tests start). The tests named must then *fail* (pytest exit 1), not error out:
a bug that breaks collection or an import would prove nothing about the tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, copy_project


@dataclass(frozen=True)
class Planted:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


PLANTED = [
    Planted(
        "a citation quote accepted in any paragraph of the plan",
        "builder/validate.py",
        "    if plain(citation.quote) not in block.text:",
        "    if not any(plain(citation.quote) in other.text for other in text.blocks):",
        ("tests/test_bad_input.py::test_citation_quote_that_is_in_another_paragraph_of_the_plan",),
    ),
    Planted(
        "a place description printed raw",
        "templates/pages/place.md.j2",
        "{{ place.description }}",
        "{{ place.description|safe }}",
        ("tests/test_security.py::test_markup_in_every_text_field_is_escaped_without_a_browser",),
    ),
    Planted(
        "the old site deleted before MkDocs runs",
        "builder/site.py",
        "            built, side = staging / \"site\", staging / \"side\"\n",
        "            built, side = staging / \"site\", staging / \"side\"\n            __import__(\"shutil\").rmtree(out, ignore_errors=True)\n",
        ("tests/test_publish.py::test_a_failure_inside_mkdocs_leaves_the_site_as_it_was",),
    ),
    Planted(
        "YAML syntax errors reported one line early",
        "builder/yamlsource.py",
        "        return (mark.line + 1 if mark else 0), ",
        "        return (mark.line if mark else 0), ",
        ("tests/test_yamlsource.py",),
    ),
    Planted(
        "a schema error reported at the record's line, not the field's",
        "builder/load.py",
        "            best = line_of(node, part) or best\n",
        "            best = best\n",
        ("tests/test_bad_input.py::test_a_schema_error_names_the_line_of_the_field",),
    ),
    Planted(
        "search positions stored without delta coding",
        "builder/search/postings.py",
        "    return [positions[0], *map(int.__sub__, positions[1:], positions)] if positions else []",
        "    return list(positions)",
        ("tests/test_search_index.py", "tests/test_search_js.py"),
    ),
    Planted(
        "a duplicate feature id replaces the first",
        "builder/geometry.py",
        "        if feature_id in shapes:\n",
        "        if False:\n",
        ("tests/test_geometry.py",),
    ),
]


def _copy(target: Path) -> Path:
    """The project's inputs (`copy_project`) plus the code and the tests that the bugs go into."""
    copy_project(target)
    for part in ("builder", "tests"):
        shutil.copytree(ROOT / part, target / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


@pytest.mark.parametrize("bug", PLANTED, ids=[b.name for b in PLANTED])
def test_the_planted_bug_is_caught(tmp_path, bug):
    copy = _copy(tmp_path / "project")
    target = copy / bug.path
    source = target.read_text(encoding="utf-8")
    assert source.count(bug.old) == 1, f"{bug.path} changed: update the planted bug {bug.name!r}"
    target.write_text(source.replace(bug.old, bug.new), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:randomly", "-p", "no:cacheprovider", "-m", "not browser",
         *bug.tests],
        cwd=copy, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    assert result.returncode == 1 and re.search(r"\b[1-9]\d* failed\b", summary), (
        f"{bug.name}: not caught by {', '.join(bug.tests)} ({summary})"
    )
    assert " error" not in summary, summary


def test_the_copy_imports_its_own_builder(tmp_path):
    """Without this the planted bugs would be tested against the unchanged package."""
    copy = _copy(tmp_path / "project")
    env = {**os.environ, "PYTHONPATH": str(copy)}
    probe = "import builder, builder.cli; print(builder.__file__)"
    shown = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert Path(shown.stdout.strip()).resolve() == (copy / "builder/__init__.py").resolve()
