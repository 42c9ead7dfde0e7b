"""Scale: synthetic corpora validate and build; one bad record among ten copies is found at its line.

The 10× build is the CI check that the pipeline still handles a much bigger atlas (issue 13);
times are measured in bench/, not asserted here.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from bench.scale_bench import measure
from bench.synth import make_corpus, recombine

ATLAS = [sys.executable, "-m", "builder.cli"]


@pytest.fixture(scope="module")
def corpus_10x(tmp_path_factory):
    return make_corpus(10, tmp_path_factory.mktemp("scale") / "corpus")


def test_recombined_text_keeps_every_paragraph_with_its_anchor():
    import random

    text = "## 标题 {#s1}\n\n甲段。\n{: #s1-p1 }\n\n乙段。\n{: #s1-p2 }\n\n| 表 | 格 |\n{: #t1 }\n\n丙段。\n{: #s1-p3 }\n"
    shuffled = recombine(text, random.Random(3))
    assert sorted(shuffled.split("\n\n")) == sorted(text.split("\n\n"))
    assert shuffled.startswith("## 标题 {#s1}") and shuffled.split("\n\n")[3] == "| 表 | 格 |\n{: #t1 }"


def test_a_10x_corpus_builds(corpus_10x, tmp_path):
    out = tmp_path / "site"
    result = subprocess.run([*ATLAS, "build", "--quiet", "--project", str(corpus_10x), "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (out / "plans" / "longgang-14th-x9" / "index.html").exists()
    assert (out / "places" / "longgang-west-x9" / "index.html").exists()
    assert sum(1 for _ in out.rglob("index.html")) > 5000


def test_one_bad_record_among_ten_copies_is_reported_at_its_line(corpus_10x):
    places = corpus_10x / "content" / "places" / "longgang-x7.yaml"
    good = places.read_text(encoding="utf-8")
    lines = good.splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines, start=1) if text.strip().startswith("district:"))
    lines[line - 1] = lines[line - 1].split("district:")[0] + "district: no-such-district\n"
    places.write_text("".join(lines), encoding="utf-8")
    try:
        check = subprocess.run([*ATLAS, "check", "--project", str(corpus_10x)], capture_output=True, text=True)
    finally:
        places.write_text(good, encoding="utf-8")
    assert check.returncode == 1
    problems = [p for p in check.stderr.splitlines() if p.startswith("content/")]
    assert problems and all(p.startswith(f"content/places/longgang-x7.yaml:{line}: ") for p in problems), check.stderr
    assert "no-such-district" in problems[0]


def test_the_scale_benchmark_runs_at_1x(tmp_path):
    row = measure(1, tmp_path)
    assert row["pages"] > 500 and row["files"] > row["index_files"] > 100
    assert 0 < row["text_mb"] < row["index_mb"] < 2 * row["text_mb"]  # issue 13: index ≤ 2× the text it indexes
    assert 0 < row["english_ratio"] < 2.5
    assert 0 < row["warm_kb"] < row["cold_kb"]  # the warm query reuses meta.json
    assert set(row["stages"]) >= {"load", "render", "mkdocs", "index", "publish"}
    # sampled while it ran (bench/memory.py): a build of 1,200 pages holds more than 50 MB, and the total of
    # its few processes' proportional sets stays under four times the largest one's resident set
    assert 50 < row["peak_mb"] and 50 < row["total_mb"] < 4 * row["peak_mb"]
