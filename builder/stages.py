"""Build stages timed and reported: one line per stage as it ends, or a table with `--profile`.

Staff rebuild after every change, so a build says where its time goes. `Stages` is passed down the
pipeline; each stage is a `with stages.run("…"):` block that may note counts for its line.
`--quiet` prints nothing but errors; `--json` prints one JSON object at the end for tooling.
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Stage:
    name: str
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Stages:
    mode: str = "silent"  # silent (library use), lines, profile, quiet, json
    stages: list[Stage] = field(default_factory=list)

    @contextmanager
    def run(self, name: str):
        stage = Stage(name)
        started = time.perf_counter()
        try:
            yield stage
        finally:
            stage.seconds += time.perf_counter() - started
            self.ended(stage)

    def ended(self, stage: Stage) -> None:
        """A stage timed elsewhere (in the process that ran it) has ended: noted and printed."""
        self._merge(stage)
        if self.mode in ("lines", "profile"):
            counts = ", ".join(f"{v} {k}" for k, v in stage.counts.items())
            print(f"  {stage.name:<12} {stage.seconds:6.2f}s{'  ' + counts if counts else ''}", flush=True)

    def add(self, name: str, seconds: float) -> None:
        """Time spent on a stage inside another one (maps are drawn while pages render)."""
        self._merge(Stage(name, seconds))

    def _merge(self, stage: Stage) -> None:
        for existing in self.stages:
            if existing.name == stage.name:
                existing.seconds += stage.seconds
                existing.counts.update(stage.counts)
                return
        self.stages.append(stage)

    @property
    def total(self) -> float:
        return sum(s.seconds for s in self.stages if not s.name.startswith("  "))

    def as_json(self, **summary) -> str:
        """One JSON object for staff tooling: the summary fields, then every stage's time and counts."""
        stages = [{"name": s.name.strip(), "seconds": round(s.seconds, 3), **s.counts} for s in self.stages]
        return json.dumps({**summary, "stages": stages}, ensure_ascii=False)

    def table(self) -> str:
        """The `--profile` table: every stage's seconds and its share of the total."""
        lines = ["stage        seconds  share"]
        for s in self.stages:
            share = s.seconds / self.total if self.total else 0
            lines.append(f"{s.name:<12} {s.seconds:7.2f}  {share:5.0%}")
        return "\n".join(lines)
